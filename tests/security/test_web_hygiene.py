"""CSRF, cookies, security headers and HTTP rate limits, on the real app and a real database."""
from __future__ import annotations

import re
import uuid

import pytest

from tests.security.conftest import make_app, make_people, make_world, sign_in_as
from workshop import create_app
from workshop.extensions import db

FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)


@pytest.fixture
def csrf_app(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


def _csrf_token(client, path="/"):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def test_every_post_form_on_every_page_carries_the_csrf_token(csrf_app):
    people = make_people()
    world = make_world(people)
    client = csrf_app.test_client()
    pages = ["/", "/account/sign-in", "/account/sign-up", "/join", f"/join/{world.code}",
             f"/facilitator/{world.facilitator_token}", f"/projector/{world.projector_token}"]
    forms = 0
    for path in pages:
        forms += _check_forms(client, path)
    sign_in_as(client, people.organiser)
    for path in ("/organiser/", f"/organiser/workshops/{world.code}"):
        forms += _check_forms(client, path)
    assert forms >= 10  # home, sign-in, sign-up, sign-out, create, and the organiser's actions


def _check_forms(client, path) -> int:
    response = client.get(path)
    assert response.status_code == 200, path
    found = 0
    for form in FORM.findall(response.get_data(as_text=True)):
        if re.search(r'method="post"', form, re.I):
            assert 'name="csrf_token"' in form, (path, form[:200])
            found += 1
    return found


def test_cookie_authenticated_changes_need_the_csrf_token_and_bearer_ones_do_not(csrf_app):
    people = make_people()
    world = make_world(people)
    client = csrf_app.test_client()
    sign_in_as(client, people.organiser)
    for method, path, body in (("put", f"/api/workshops/{world.code}/phase", {"phase": "collect"}),
                               ("post", f"/api/workshops/{world.code}/links", {}),
                               ("delete", f"/api/workshops/{world.code}", None)):
        refused = client.open(path, method=method, json=body)
        assert refused.status_code == 400, (path, refused.status_code)
    for path in (f"/organiser/workshops/{world.code}/links/rotate", "/account/sign-out", "/organiser/workshops"):
        assert client.post(path, data={}).status_code == 400, path
    assert client.get(f"/api/workshops/{world.code}").get_json()["workshop"]["phase"] == "aggregate"
    token = _csrf_token(client, "/organiser/")
    accepted = client.put(f"/api/workshops/{world.code}/phase", json={"phase": "collect"},
                          headers={"X-CSRFToken": token})
    assert accepted.status_code == 200, accepted.get_json()
    # A bearer token is no ambient authority: no CSRF token needed, even with a session cookie.
    by_token = client.put(f"/api/workshops/{world.code}/phase", json={"phase": "aggregate"},
                          headers={"Authorization": f"Bearer {world.facilitator_token}"})
    assert by_token.status_code == 200


def test_the_session_cookie_is_secure_httponly_and_samesite_in_production(tmp_path):
    app = create_app("production", SECRET_KEY="s" * 40, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'p.db'}",
                     PRIVACY_PURGE_EVERY=None)
    with app.app_context():
        db.create_all()
        people = make_people()
        client = app.test_client()
        page = client.get("/account/sign-in", base_url="https://workshop.test")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
        response = client.post("/account/sign-in", base_url="https://workshop.test",
                               headers={"Referer": "https://workshop.test/account/sign-in"},
                               data={"email": people.organiser.email, "password": "correct horse battery staple",
                                     "csrf_token": token})
        assert response.status_code == 303
        cookie = next(v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("session="))
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        db.session.remove()
        db.engine.dispose()


def test_security_headers_on_every_kind_of_page(secure_app, world):
    client = secure_app.test_client()
    for path in ("/", f"/join/{world.code}", f"/facilitator/{world.facilitator_token}", "/account/sign-in",
                 "/api/templates"):
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        script_src = re.search(r"script-src ([^;]+)", csp).group(1)
        assert script_src.strip() == "'self'", csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in response.headers  # plain HTTP: HSTS means nothing
    assert client.get(f"/facilitator/{world.facilitator_token}").headers["Cache-Control"] == "no-store"
    secure = client.get("/", base_url="https://workshop.test")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_page_has_an_inline_script_or_event_handler(secure_app, world):
    client = secure_app.test_client()
    for path in ("/", "/join", f"/join/{world.code}", f"/facilitator/{world.facilitator_token}",
                 f"/projector/{world.projector_token}", "/account/sign-in", "/account/sign-up"):
        html = client.get(path).get_data(as_text=True)
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"\son[a-z]+\s*=", html), path


# --- Rate limits --------------------------------------------------------------------------------

def _limited_app(tmp_path, **limits):
    app = make_app(tmp_path, **limits)
    return app


def test_http_routes_are_rate_limited_per_address(tmp_path):
    app = _limited_app(tmp_path, RATE_LIMIT_HTTP="5 per minute")
    with app.app_context():
        db.create_all()
        client = app.test_client()
        statuses = [client.get("/api/templates").status_code for _ in range(6)]
        assert statuses == [200] * 5 + [429]
        assert client.get("/api/templates").get_json()["error"]["code"] == "http_429"
        other = client.get("/api/templates", environ_base={"REMOTE_ADDR": "10.1.2.3"})
        assert other.status_code == 200  # another address has its own allowance
        assert client.get("/healthz").status_code == 200  # balancers are never limited
        db.engine.dispose()


def test_guessing_join_codes_is_stopped_but_a_room_joining_the_right_code_is_not(tmp_path):
    app = _limited_app(tmp_path, RATE_LIMIT_JOIN_FAILURES="3 per minute")
    with app.app_context():
        db.create_all()
        client = app.test_client()
        code = client.post("/api/workshops", json={"question": "Hur köper vi bättre?", "language": "sv"}).get_json()["code"]
        for _ in range(10):  # one venue, one address, many phones: successful joins never count
            assert client.post(f"/api/workshops/{code}/participants", json={"perspective": "buyer"}).status_code == 201
        guesses = ["AAAAAA", "BBBBBB", "CCCCCC"]
        assert [client.get(f"/api/workshops/{g}/public").status_code for g in guesses] == [404, 404, 404]
        # The limit is shared by every route that takes a code, pages included.
        assert client.get("/join?code=DDDDDD").status_code == 429
        assert client.post("/api/workshops/EEEEEE/participants", json={"perspective": "buyer"}).status_code == 429
        assert client.get("/api/workshops/FFFFFF", headers={"Authorization": "Bearer x"}).status_code == 429
        db.engine.dispose()


def test_failed_sign_ins_are_rate_limited(secure_app, people):
    secure_app.config["RATE_LIMIT_SIGN_IN"] = "3 per minute"
    client = secure_app.test_client()
    wrong = {"email": people.organiser.email, "password": "not the password at all"}
    assert [client.post("/account/sign-in", data=wrong).status_code for _ in range(3)] == [400, 400, 400]
    right = {"email": people.organiser.email, "password": "correct horse battery staple"}
    assert client.post("/account/sign-in", data=right).status_code == 429


def test_limits_are_shared_through_redis_by_every_process(tmp_path, redis_url):
    """Two apps (two processes behind a balancer) count against one limit in Redis."""
    channel = "limits-" + uuid.uuid4().hex  # a key of its own, whatever earlier runs left in Redis
    apps = [make_app(tmp_path, RATE_LIMIT_REDIS=redis_url, SOCKETIO_CHANNEL=channel, RATE_LIMIT_HTTP="4 per minute")
            for _ in range(2)]
    with apps[0].app_context():
        db.create_all()
    first, second = (app.test_client() for app in apps)
    assert [first.get("/api/templates").status_code for _ in range(4)] == [200] * 4
    assert second.get("/api/templates").status_code == 429
    assert apps[0].config["RATELIMIT_STORAGE_URI"] == redis_url
