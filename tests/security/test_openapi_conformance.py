"""The OpenAPI document tells the truth: every operation's real success answer fits its documented
schema, refusals use the status codes for what they mean (401, 403, 405 with Allow, 429 with
Retry-After), schemathesis can follow the document's links through a workshop's life without a
server error or an answer the document does not promise, and docs/api.md lists every operation.

The random inputs of tests/security/test_fuzz_api.py seldom get past a workshop's rules, so the
success answers are checked here on one workshop walked through its phases.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)

from tests.security.conftest import make_app
from workshop import authz
from workshop.extensions import db
from workshop.http.openapi import build_spec

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


@pytest.fixture(scope="module")
def api_app(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("openapi"), RATE_LIMIT_ENABLED=False, SQLALCHEMY_DATABASE_URI="sqlite://")
    with app.app_context():
        db.create_all()
        app.config["schema"] = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
        yield app
        db.session.remove()
        db.engine.dispose()


class Walk:
    """Calls the API and checks each answer against its operation in the document."""

    def __init__(self, app):
        self.client, self.schema, self.seen = app.test_client(), app.config["schema"], set()
        self.code, self.tokens, self.ids = None, {}, {}

    def __call__(self, method: str, template: str, role: str | None = None, body=None, status: int | None = None):
        values = {"code": self.code, **self.ids}
        path = "/api" + template.format(**values)
        token = self.tokens.get(role)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = self.client.open(path, method=method, json=body, headers=headers)
        assert response.status_code == (status or response.status_code) and response.status_code < 400, \
            (method, path, response.status_code, response.get_data(as_text=True)[:300])
        self.schema["/api" + template][method.lower()].validate_response(response)
        self.seen.add((template, method.lower()))
        db.session.remove()
        return response.get_json(silent=True)


def test_every_operation_answers_as_documented_on_a_workshop_walked_through_its_life(api_app):
    walk = Walk(api_app)
    walk("GET", "/templates")
    created = walk("POST", "/workshops", body={"question": "How do we buy better?", "language": "en"}, status=201)
    walk.code = created["code"]
    walk.tokens = {"facilitator": created["facilitator_token"], "projector": created["projector_token"]}
    walk("GET", "/workshops/{code}/public")
    joined = walk("POST", "/workshops/{code}/participants", body={"perspective": "buyer", "name": "Kim"}, status=201)
    walk.tokens["participant"] = joined["token"]
    for role in ("facilitator", "projector", "participant"):
        walk("GET", "/workshops/{code}", role)
    walk("PUT", "/workshops/{code}/joining", "facilitator", {"open": True})
    walk("PUT", "/workshops/{code}/phase", "facilitator", {"phase": "collect"})
    item = {"client_id": "item-000001", "lane": "challenge", "text": "Slow tenders"}
    walk.ids["item_id"] = walk("POST", "/workshops/{code}/items", "participant", item, 201)["item"]["id"]
    assert walk("POST", "/workshops/{code}/items", "participant", item, 200)["duplicate"] is True
    other = walk("POST", "/workshops/{code}/items", "participant",
                 {"client_id": "item-000002", "lane": "challenge", "text": "Unclear owners"}, 201)["item"]["id"]
    walk("POST", "/workshops/{code}/items", "facilitator",
         {"client_id": "item-000003", "lane": "challenge", "text": "From paper"}, 201)
    walk("PATCH", "/workshops/{code}/items/{item_id}", "participant", {"text": "Very slow tenders"})
    walk("PUT", "/workshops/{code}/similar-hint", "facilitator", {"on": True})
    walk("POST", "/workshops/{code}/similar", "participant", {"text": "Tenders are slow", "lane": "challenge"})
    mine, walk.ids["item_id"] = walk.ids["item_id"], walk("POST", "/workshops/{code}/items", "facilitator", {
        "client_id": "item-000009", "lane": "challenge", "text": "Tenders drag on"}, 201)["item"]["id"]
    walk("POST", "/workshops/{code}/items/{item_id}/support", "participant", {"client_id": "support-0001"})
    walk.ids["item_id"] = mine
    kept = walk.ids["item_id"]
    walk.ids["item_id"] = walk("POST", "/workshops/{code}/items", "participant",
                               {"client_id": "item-000004", "lane": "challenge", "text": "Oops"}, 201)["item"]["id"]
    walk("DELETE", "/workshops/{code}/items/{item_id}", "participant")
    walk.ids["item_id"] = kept
    walk("POST", "/workshops/{code}/items/{item_id}/hide", "facilitator")
    walk("POST", "/workshops/{code}/items/{item_id}/restore", "facilitator")
    walk.ids["kind"] = "tag"
    walk.ids["key"] = walk("POST", "/workshops/{code}/options/{kind}", "facilitator", {"name": "Speed"}, 201)["key"]
    walk("PATCH", "/workshops/{code}/options/{kind}/{key}", "facilitator", {"name": "Pace"})
    walk("DELETE", "/workshops/{code}/options/{kind}/{key}", "facilitator")
    walk("POST", "/workshops/{code}/templates", "facilitator", {"name": "Our set-up"}, 201)
    walk("PUT", "/workshops/{code}/phase", "facilitator", {"phase": "present"})
    walk("PUT", "/workshops/{code}/spotlight", "facilitator", {"mode": "lane", "lane": "challenge"})
    walk("POST", "/workshops/{code}/spotlight/step", "facilitator", {"delta": 1})
    walk("DELETE", "/workshops/{code}/spotlight", "facilitator")
    walk("PUT", "/workshops/{code}/timer", "facilitator", {"seconds": 60})
    walk("POST", "/workshops/{code}/timer/extend", "facilitator", {"seconds": 30})
    walk("DELETE", "/workshops/{code}/timer", "facilitator")
    walk("PUT", "/workshops/{code}/phase", "facilitator", {"phase": "aggregate"})
    walk.ids["theme_id"] = theme = walk("POST", "/workshops/{code}/themes", "facilitator", {"name": "Speed"},
                                        201)["theme"]["id"]
    second = walk("POST", "/workshops/{code}/themes", "facilitator", {"name": "Owners"}, 201)["theme"]["id"]
    walk("PATCH", "/workshops/{code}/themes/{theme_id}", "facilitator", {"name": "Pace"})
    walk("PUT", "/workshops/{code}/items/{item_id}/theme", "facilitator", {"theme_id": theme})
    walk("PUT", "/workshops/{code}/items/theme", "facilitator", {"item_ids": [other], "theme_id": second})
    walk.ids["theme_id"] = second
    walk("POST", "/workshops/{code}/themes/{theme_id}/merge", "facilitator", {"into_id": theme})
    walk("POST", "/workshops/{code}/themes/{theme_id}/unmerge", "facilitator", {})
    walk.ids["item_id"] = other
    walk("POST", "/workshops/{code}/items/{item_id}/merge", "facilitator", {"into_id": walk_item(walk, theme)})
    walk("POST", "/workshops/{code}/items/{item_id}/unmerge", "facilitator", {})
    walk("POST", "/workshops/{code}/themes/split", "facilitator", {"name": "Split", "item_ids": [other]}, 201)
    walk("POST", "/workshops/{code}/undo", "facilitator", {})
    walk("GET", "/workshops/{code}/suggestions", "facilitator")
    walk("POST", "/workshops/{code}/suggestions/reject", "facilitator", {"key": "0" * 32})
    walk("DELETE", "/workshops/{code}/themes/{theme_id}", "facilitator")
    walk.ids["theme_id"] = theme
    walk("PUT", "/workshops/{code}/phase", "facilitator", {"phase": "prioritise"})
    ballot = {"client_id": "ballot-0001", "allocation": {str(theme): 2}}
    walk("PUT", "/workshops/{code}/ballot", "participant", ballot)
    assert walk("PUT", "/workshops/{code}/ballot", "participant", ballot)["duplicate"] is True
    paper = {"client_id": "paper-0001", "label": "Anna", "allocation": {str(theme): 1}}
    walk("POST", "/workshops/{code}/paper-ballots", "facilitator", paper, 201)
    assert walk("POST", "/workshops/{code}/paper-ballots", "facilitator", paper, 200)["duplicate"] is True
    round_id = walk("POST", "/workshops/{code}/rounds", "facilitator", {"method": "matrix", "current": False},
                    201)["round_id"]
    walk("PUT", "/workshops/{code}/rounds/current", "facilitator", {"round_id": round_id})
    walk("PUT", "/workshops/{code}/results", "facilitator", {"revealed": True})
    walk("PUT", "/workshops/{code}/phase", "facilitator", {"phase": "concretise"})
    proposal = {"client_id": "prop-00001", "theme_id": theme, "type": "checklist", "description": "A list"}
    walk.ids["proposal_id"] = walk("POST", "/workshops/{code}/proposals", "participant", proposal,
                                   201)["proposal"]["id"]
    assert walk("POST", "/workshops/{code}/proposals", "participant", proposal, 200)["duplicate"] is True
    walk("PUT", "/workshops/{code}/proposals/{proposal_id}", "participant", {"type": "guide", "description": "B"})
    walk("PUT", "/workshops/{code}/phase", "facilitator", {"phase": "advice"})
    walk("PUT", "/workshops/{code}/advice", "participant", {"client_id": "advice-0001", "text": "Start early"})
    walk("PUT", "/workshops/{code}/review", "facilitator", {"open": True})
    walk("GET", "/workshops/{code}/review", "participant")
    walk("GET", "/workshops/{code}/review", "facilitator")
    comment = {"client_id": "comment-001", "text": "Good"}
    walk.ids["comment_id"] = walk("POST", "/workshops/{code}/review/comments", "participant", comment, 201)["comment"]["id"]
    assert walk("POST", "/workshops/{code}/review/comments", "participant", comment, 200)["duplicate"] is True
    walk.ids["theme_id"] = theme
    walk("PUT", "/workshops/{code}/review/themes/{theme_id}/response", "participant", {"stance": "agree"})
    assert walk("PUT", "/workshops/{code}/review/themes/{theme_id}/response", "participant",
                {"stance": "agree"})["duplicate"] is True
    walk("PUT", "/workshops/{code}/review/comments/{comment_id}/handling", "facilitator", {"handling": "accepted"})
    editorial = walk("GET", "/workshops/{code}/editorial", "facilitator")["editorial"]
    assert editorial["workshop"]["version"] == 0 and editorial["themes"]
    walk("PUT", "/workshops/{code}/editorial", "facilitator", {"version": 0, "conclusion": "Start with the users"})
    assert walk("PUT", "/workshops/{code}/editorial", "facilitator",
                {"version": 1, "conclusion": "Start with the users"})["duplicate"] is True
    walk("PUT", "/workshops/{code}/editorial/themes/{theme_id}", "facilitator",
         {"version": 0, "synthesis": "In brief", "proposal_id": walk.ids["proposal_id"], "support_owner": "Anna",
          "support_due": "2027-03-31"})
    for fmt in ("md", "json", "csv", "html", "rounds.csv", "editorial.csv", "xlsx"):
        walk.ids["fmt"] = fmt
        walk("GET", "/workshops/{code}/guide.{fmt}", "facilitator")
    walk("GET", "/workshops/{code}/audit", "facilitator")
    walk("PUT", "/workshops/{code}/retention", "facilitator", {"days": 30})
    walk("PUT", "/workshops/{code}/anonymity", "facilitator", {"anonymity": "anonymous"})
    walk("DELETE", "/workshops/{code}/links/projector", "facilitator")
    walk.tokens["facilitator"] = walk("POST", "/workshops/{code}/links", "facilitator")["facilitator_token"]
    walk("POST", "/workshops/{code}/review/final", "facilitator", {})
    walk("POST", "/workshops/{code}/contributions/withdraw", "participant", {})
    walk("DELETE", "/workshops/{code}", "facilitator")
    documented = {(path.removeprefix("/api"), method) for path, methods in build_spec_paths(api_app).items()
                  for method in methods}
    assert documented == walk.seen, documented ^ walk.seen


def walk_item(walk, theme: int) -> int:
    """An item of the first theme, to merge a duplicate into."""
    snapshot = walk("GET", "/workshops/{code}", "facilitator")
    return next(i["id"] for i in snapshot["items"] if i["theme_id"] == theme)


def build_spec_paths(app) -> dict:
    with app.test_request_context():
        return build_spec()["paths"]


# --- refusals ----------------------------------------------------------------------------------

def _workshop(client) -> dict:
    return client.post("/api/workshops", json={"question": "How do we buy better?", "language": "en"}).get_json()


def _check(app, path: str, method: str, response) -> None:
    app.config["schema"][path][method].validate_response(response)


def test_no_or_a_revoked_token_is_401_with_a_challenge_and_a_token_without_the_right_403(api_app):
    client = api_app.test_client()
    created = _workshop(client)
    path = f"/api/workshops/{created['code']}/phase"
    anonymous = client.put(path, json={"phase": "collect"})
    assert anonymous.status_code == 401 and anonymous.headers["WWW-Authenticate"] == 'Bearer realm="workshop"'
    unknown = client.put(path, json={"phase": "collect"}, headers={"Authorization": "Bearer revoked"})
    assert unknown.status_code == 401 and 'error="invalid_token"' in unknown.headers["WWW-Authenticate"]
    projector = client.put(path, json={"phase": "collect"},
                           headers={"Authorization": f"Bearer {created['projector_token']}"})
    assert projector.status_code == 403 and "WWW-Authenticate" not in projector.headers
    for response in (anonymous, unknown, projector):
        assert response.get_json()["error"]["code"] in ("bad_token", "not_allowed")
        _check(api_app, "/api/workshops/{code}/phase", "put", response)
    db.session.remove()


def test_a_method_the_route_does_not_have_is_405_with_allow_and_the_json_error(api_app):
    client = api_app.test_client()
    response = client.delete("/api/templates")
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}
    assert response.get_json()["error"]["code"] == "http_405"
    code = _workshop(client)["code"]
    allowed = client.post(f"/api/workshops/{code}/phase").headers["Allow"]
    assert "PUT" in allowed and "POST" not in allowed
    db.session.remove()


def test_every_rate_limit_is_a_documented_429_with_retry_after(tmp_path):
    app = make_app(tmp_path, RATE_LIMIT_ENABLED=True, RATE_LIMIT_HTTP="3 per minute",
                   SQLALCHEMY_DATABASE_URI="sqlite://")
    with app.app_context():
        db.create_all()
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
        client = app.test_client()
        responses = [client.get("/api/templates") for _ in range(4)]
        limited = responses[-1]
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
        assert limited.get_json()["error"]["code"] == "http_429"
        schema["/api/templates"]["get"].validate_response(limited)
        for path, methods in schema.raw_schema["paths"].items():
            for method, operation in methods.items():
                assert "Retry-After" in operation["responses"]["429"]["headers"], (method, path)
        db.session.remove()
        db.engine.dispose()


# --- following the links --------------------------------------------------------------------------

def _role_for(endpoint: str) -> str | None:
    """The token that can do the most with an operation: a runner's, else a phone's, else none."""
    return next((role for role in ("facilitator", "participant", "projector") if authz.can(role, endpoint)), None)


def test_schemathesis_follows_the_links_through_workshops_without_an_undocumented_answer(api_app):
    """Stateful: creating a workshop and joining it feed the code (and, here, the tokens their
    answers hold) into the operations the document links them to."""
    schema = api_app.config["schema"]
    operations = {(path, method): op["operationId"] for path, methods in schema.raw_schema["paths"].items()
                  for method, op in methods.items()}
    tokens: dict[str, dict[str, str]] = {}
    followed: set[str] = set()  # operations on a created workshop that answered 2xx

    class Workshops(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            endpoint = "api." + operations[(case.operation.path, case.method.lower())]
            token = tokens.get((case.path_parameters or {}).get("code"), {}).get(_role_for(endpoint))
            return {"headers": {"Authorization": f"Bearer {token}"}} if token else {}

        def after_call(self, response, case):
            super().after_call(response, case)
            db.session.remove()
            if "{code}" in case.operation.path and response.status_code < 300:
                followed.add(f"{case.method} {case.operation.path}")
            body = response.json() if response.status_code in (200, 201) and "json" in \
                (response.headers.get("content-type") or [""])[0] else None
            if isinstance(body, dict) and "facilitator_token" in body and "code" in body:
                tokens[body["code"]] = {"facilitator": body["facilitator_token"], "projector": body["projector_token"]}
            elif isinstance(body, dict) and "token" in body and "participant" in body:
                tokens.setdefault(case.path_parameters["code"], {})["participant"] = body["token"]

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs or None)

    Workshops.run(settings=settings(max_examples=60, stateful_step_count=10, deadline=None, database=None,
                                    suppress_health_check=list(HealthCheck)))
    # At least one operation that needs a token succeeded on a linked workshop (random inputs
    # decide how many: most are refused by the workshop's rules, which is also checked above).
    assert tokens and followed - {"GET /api/workshops/{code}/public"}, ("links not followed", sorted(followed))


# --- docs/api.md ---------------------------------------------------------------------------------

def test_docs_api_md_lists_every_operation_of_the_document(api_app):
    """The table's rows name each operation as `METHOD path` (ids as `{id}`)."""
    documented = set(re.findall(r"^\| `(GET|POST|PUT|PATCH|DELETE) (/api/[^`]+)`", DOC.read_text(encoding="utf-8"),
                                re.M))
    spec = {(method.upper(), re.sub(r"{(theme_id|item_id|proposal_id)}", "{id}", path))
            for path, methods in build_spec_paths(api_app).items() for method in methods}
    assert spec - documented == set(), "operations docs/api.md does not list"
    assert documented - spec == set(), "rows in docs/api.md for operations that do not exist"
