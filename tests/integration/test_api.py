"""The JSON API and the pages, through the Flask test client."""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.support import Translations
from sqlalchemy import func, select

from workshop import create_app
from workshop.extensions import db
from workshop.models import Vote, Workshop

TRANSLATIONS = Path(__file__).resolve().parents[2] / "workshop" / "translations"
QUESTION = "How do we strengthen needs assessment before procurement?"
REQUIRED = "This field is required."


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def create(client, question=QUESTION, language="en") -> dict:
    response = client.post("/api/workshops", json={"question": question, "language": language})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def join(client, code: str, perspective="buyer", name=None) -> str:
    response = client.post(f"/api/workshops/{code}/participants", json={"perspective": perspective, "name": name})
    assert response.status_code == 201
    return response.get_json()["token"]


def workshop_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Workshop))


def path_of(url: str) -> str:
    return urlsplit(url).path


# --- creating and the links it returns ---------------------------------------------------------

def test_create_with_question_and_language_returns_code_and_working_links(client):
    created = create(client)
    assert re.fullmatch(r"[A-Z2-9]{6}", created["code"])
    for key in ("join_url", "projector_url", "facilitator_url"):
        assert created[key].startswith("http://workshop.test/")
        assert client.get(path_of(created[key])).status_code == 200, key
    assert path_of(created["join_url"]) == f"/join/{created['code']}"
    snapshot = client.get(f"/api/workshops/{created['code']}", headers=bearer(created["facilitator_token"]))
    assert snapshot.get_json()["workshop"]["template"] == "think-tank"


def test_templates_list_includes_the_think_tank(client):
    templates = client.get("/api/templates").get_json()["templates"]
    think_tank = next(t for t in templates if t["id"] == "think-tank")
    assert think_tank["name"] and think_tank["phases"][:3] == ["prework", "collect", "present"]


def test_openapi_document_is_structurally_valid_and_covers_every_api_route(client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.") and spec["info"]["title"] and spec["info"]["version"]
    assert "/api/workshops" in spec["paths"] and "post" in spec["paths"]["/api/workshops"]
    schemas = spec["components"]["schemas"]
    for ref in re.findall(r'"\$ref": "([^"]+)"', json.dumps(spec)):
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in schemas
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert method in {"get", "post", "put", "patch", "delete"} and operation["responses"]
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == set(re.findall(r"{(\w+)}", path)), (path, method)
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    for rule in client.application.url_map.iter_rules():
        if rule.rule.startswith("/api/") and rule.endpoint != "api.openapi":
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (path, method.lower()) in documented


# --- errors ------------------------------------------------------------------------------------

def test_validation_error_is_a_json_envelope_with_english_field_messages(client):
    response = client.post("/api/workshops", json={"question": QUESTION, "language": "de"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"] == {"language": ["Choose Swedish or English."]}
    assert error["message"] == "Please check what you entered: Choose Swedish or English."


def test_missing_fields_are_reported_as_message_lists_like_every_other_field_error(client):
    response = client.post("/api/workshops", json={}, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["fields"] == {"question": [REQUIRED], "language": [REQUIRED]}
    assert error["message"] == f"Please check what you entered: {REQUIRED}"


@pytest.mark.parametrize("body,field,msgid", [
    ({"question": "Fine question", "language": "de"}, "language", "Choose Swedish or English."),
    ({"question": "ab", "language": "sv"}, "question", "Enter between %(min)s and %(max)s characters."),
])
def test_validation_error_follows_accept_language_swedish(client, body, field, msgid):
    sv = Translations.load(str(TRANSLATIONS), ["sv"])
    detail = sv.gettext(msgid) % {"min": 3, "max": 300} if "%(" in msgid else sv.gettext(msgid)
    response = client.post("/api/workshops", json=body, headers={"Accept-Language": "sv"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["fields"] == {field: [detail]}
    assert isinstance(error["message"], str) and error["message"]
    assert error["message"] == sv.gettext("Please check what you entered: %(detail)s") % {"detail": detail}


def test_unknown_fields_and_bad_requests_change_nothing(client):
    before = workshop_count()
    for body in ({"question": "ab", "language": "en"}, {"question": QUESTION, "language": "de"},
                 {"question": QUESTION, "language": "en", "admin": True}, ["not", "an", "object"]):
        response = client.post("/api/workshops", json=body)
        assert response.status_code == 400 and response.get_json()["error"]["code"] == "invalid"
    assert client.post("/api/workshops", json={"question": QUESTION, "language": "en",
                                               "template": "nope"}).status_code == 409
    assert workshop_count() == before


def test_a_refused_ballot_changes_no_votes_and_no_version(client):
    created = create(client)
    code, fac = created["code"], bearer(created["facilitator_token"])
    participant = bearer(join(client, code))
    client.post(f"/api/workshops/{code}/items", json={"client_id": "item-000001", "lane": "challenge",
                                                     "text": "No owner"}, headers=participant)
    client.put(f"/api/workshops/{code}/phase", json={"phase": "aggregate"}, headers=fac)
    theme = client.post(f"/api/workshops/{code}/themes", json={"name": "Ownership"}, headers=fac).get_json()
    client.put(f"/api/workshops/{code}/phase", json={"phase": "prioritise"}, headers=fac)
    version = client.get(f"/api/workshops/{code}", headers=fac).get_json()["version"]
    theme_id = str(theme["theme"]["id"])
    for body, status in (({"client_id": "ballot-0001", "allocation": {theme_id: 6}}, 409),
                         ({"client_id": "ballot-0002", "allocation": {"x": 1}}, 400),
                         ({"client_id": "ballot-0003", "allocation": {"1": "two"}}, 400),
                         ({"allocation": {theme_id: 1}}, 400)):
        response = client.put(f"/api/workshops/{code}/ballot", json=body, headers=participant)
        assert response.status_code == status and "error" in response.get_json()
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 0
    assert client.get(f"/api/workshops/{code}", headers=fac).get_json()["version"] == version


def test_bearer_auth_refuses_missing_wrong_role_and_other_workshop_tokens(client):
    a, b = create(client), create(client)
    participant = bearer(join(client, a["code"]))
    no_token = client.get(f"/api/workshops/{a['code']}")
    assert no_token.status_code == 401 and no_token.get_json()["error"]["code"] == "bad_token"
    assert no_token.headers["WWW-Authenticate"] == 'Bearer realm="workshop"'
    unknown = client.get(f"/api/workshops/{a['code']}", headers=bearer("not-a-token"))
    assert unknown.status_code == 401 and 'error="invalid_token"' in unknown.headers["WWW-Authenticate"]
    for method, route, body in (("put", "phase", {"phase": "closed"}), ("post", "themes", {"name": "x"}),
                                ("put", "results", {"revealed": True}), ("get", "guide.md", None)):
        response = getattr(client, method)(f"/api/workshops/{a['code']}/{route}", json=body, headers=participant)
        assert response.status_code == 403 and response.get_json()["error"]["code"] == "not_allowed", route
    other = client.put(f"/api/workshops/{b['code']}/phase", json={"phase": "closed"},
                       headers=bearer(a["facilitator_token"]))
    assert other.status_code == 403 and other.get_json()["error"]["code"] == "wrong_workshop"
    assert client.get(f"/api/workshops/{b['code']}", headers=bearer(a["facilitator_token"])).status_code == 403
    assert client.get(f"/api/workshops/{b['code']}", headers=bearer(b["facilitator_token"])) \
        .get_json()["workshop"]["phase"] == "prework"  # unchanged: the other workshop's link did nothing


def test_every_facilitator_route_works_through_the_api(client):
    created = create(client)
    code, fac = created["code"], bearer(created["facilitator_token"])
    base = f"/api/workshops/{code}"
    participant = bearer(join(client, code, "legal", "Alice"))
    item = {"client_id": "item-000002", "lane": "challenge", "text": "Unclear decisions"}
    first = client.post(f"{base}/items", json=item, headers=participant)
    assert first.status_code == 201
    again = client.post(f"{base}/items", json=item, headers=participant)
    assert again.status_code == 200 and again.get_json()["duplicate"] is True
    item_id = first.get_json()["item"]["id"]
    assert client.put(f"{base}/phase", json={"phase": "aggregate"}, headers=fac).get_json()["phase"] == "aggregate"
    on_behalf = client.post(f"{base}/items", json={"client_id": "paper-note-1", "lane": "success_factor",
                                                   "text": "Clear owner"}, headers=fac)
    assert on_behalf.status_code == 201 and on_behalf.get_json()["item"]["on_behalf"] is True
    created_theme = client.post(f"{base}/themes", json={"name": "Governance"}, headers=fac)
    assert created_theme.status_code == 201
    theme_id = created_theme.get_json()["theme"]["id"]
    spare = client.post(f"{base}/themes", json={"name": "Spare"}, headers=fac).get_json()["theme"]["id"]
    renamed = client.patch(f"{base}/themes/{theme_id}", json={"name": "Steering"}, headers=fac)
    assert renamed.status_code == 200 and renamed.get_json()["theme"]["name"] == "Steering"
    assigned = client.put(f"{base}/items/{item_id}/theme", json={"theme_id": theme_id}, headers=fac)
    assert assigned.get_json()["item"]["theme_id"] == theme_id
    assert client.delete(f"{base}/themes/{spare}", headers=fac).status_code == 200
    assert client.put(f"{base}/phase", json={"phase": "prioritise"}, headers=fac).status_code == 200
    assert client.put(f"{base}/ballot", json={"client_id": "ballot-0001", "allocation": {str(theme_id): 3}},
                      headers=participant).status_code == 200
    revealed = client.put(f"{base}/results", json={"revealed": True}, headers=fac).get_json()
    assert revealed["results_revealed"] is True and revealed["results"]["entries"][0]["score"] == 3
    snapshot = client.get(base, headers=fac).get_json()
    assert [t["name"] for t in snapshot["themes"]] == ["Steering"]
    assert {i["id"]: i["theme_id"] for i in snapshot["items"]}[item_id] == theme_id
    markdown = client.get(f"{base}/guide.md", headers=fac)
    assert markdown.status_code == 200 and "attachment" in markdown.headers["Content-Disposition"]
    assert markdown.get_data(as_text=True).splitlines()[0] == f"# {QUESTION}"
    html = client.get(f"{base}/guide.html", headers=fac).get_data(as_text=True)
    assert re.search(r"<h(\d)[^>]*>(.*?)</h\1>", html, re.S).group(2).strip() == QUESTION


# --- pages and HTTP ----------------------------------------------------------------------------

@pytest.fixture
def web(sqlite_app):
    return sqlite_app.test_client()


def test_pages_send_security_headers_with_a_strict_script_policy(web):
    code = create(web)["code"]
    for page in ("/", "/join", f"/join/{code}"):
        response = web.get(page)
        assert response.status_code == 200
        directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in response.headers["Content-Security-Policy"].split(";"))
        assert "'self'" in directives["script-src"] and "'unsafe-inline'" not in directives["script-src"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"]


def test_join_qr_code_is_an_svg_image(web):
    response = web.get(f"/w/{create(web)['code']}/qr.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data


def test_healthz_reports_the_process_alive_and_readyz_the_database_reachable(web):
    response = web.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    response = web.get("/readyz")
    assert response.status_code == 200 and response.get_json()["database"] is True


def test_home_form_creates_a_workshop_and_redirects_to_the_console(web):
    before = workshop_count()
    response = web.post("/", data={"question": QUESTION, "language": "en", "template": "think-tank"})
    assert response.status_code == 303
    assert re.fullmatch(r"/facilitator/[\w-]+", path_of(response.headers["Location"]))
    assert workshop_count() == before + 1
    assert web.get(path_of(response.headers["Location"])).status_code == 200


def test_home_form_with_empty_question_rerenders_with_an_error_and_creates_nothing(web):
    before = workshop_count()
    response = web.post("/", data={"question": "", "language": "en", "template": "think-tank"})
    assert response.status_code == 400
    assert "Enter between 3 and 300 characters." in response.get_data(as_text=True)
    assert workshop_count() == before


def test_home_form_without_csrf_token_is_rejected_when_csrf_is_on(tmp_path):
    app = create_app("testing", WTF_CSRF_ENABLED=True, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'csrf.db'}")
    with app.app_context():
        db.create_all()
        web = app.test_client()
        response = web.post("/", data={"question": QUESTION, "language": "en", "template": "think-tank"})
        assert response.status_code == 400 and workshop_count() == 0
        token = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/").get_data(as_text=True)).group(1)
        accepted = web.post("/", data={"question": QUESTION, "language": "en", "template": "think-tank",
                                       "csrf_token": token})
        assert accepted.status_code == 303 and workshop_count() == 1
        db.session.remove()
        db.engine.dispose()


def test_lang_query_parameter_sets_a_lang_cookie(web):
    web.get("/?lang=sv")
    assert web.get_cookie("lang").value == "sv"
    web.get("/?lang=xx")
    assert web.get_cookie("lang").value == "sv"


def test_json_body_over_the_size_limit_is_refused_with_413_json(web):
    before = workshop_count()
    body = json.dumps({"question": "x" * (65 * 1024), "language": "en"})
    response = web.post("/api/workshops", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "http_413"
    assert workshop_count() == before
