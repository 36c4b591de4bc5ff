"""Organisers sign in with their organisation's OpenID provider: a real provider process
(oidc-provider, Node) and a real server process, driven as a browser would through the
provider's own sign-in form.
"""
from __future__ import annotations

import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.oidc.conftest import csrf_token, flask_cli, start_sign_in, through_provider

pytestmark = pytest.mark.e2e


def account_row(database, email: str):
    engine = create_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT email, oidc_issuer, oidc_subject, is_admin, password_hash FROM accounts "
                                     "WHERE email = :e"), {"e": email}).mappings().first()
    finally:
        engine.dispose()


def organiser_page(browser, server) -> requests.Response:
    return browser.get(server.url + "/organiser/", allow_redirects=False, timeout=10)


def signed_out(browser, server) -> bool:
    response = organiser_page(browser, server)
    return response.status_code in (302, 303) and "/account/sign-in" in response.headers["Location"]


def test_sign_in_page_offers_the_provider(oidc_stack):
    server, _, _ = oidc_stack
    page = requests.get(server.url + "/account/sign-in?next=/organiser/", timeout=10)
    assert page.status_code == 200
    assert "Sign in with Kommunens inloggning" in page.text
    assert 'href="/account/oidc/start?next=/organiser/"' in page.text
    assert 'name="password"' in page.text  # local accounts stay beside it


def test_sign_in_makes_an_account_linked_to_the_subject_and_sign_out_ends_both_sessions(oidc_stack):
    server, provider, database = oidc_stack
    browser = requests.Session()
    callback = start_sign_in(browser, server, "anna-0001", next_path="/organiser/")
    landed = browser.get(callback, allow_redirects=False, timeout=10)
    assert landed.status_code == 303 and landed.headers["Location"] == "/organiser/"
    page = organiser_page(browser, server)
    assert page.status_code == 200 and "Signed in as anna@kommun.se" in page.text
    # The sign-out form's answer goes to the provider: the page's CSP lets that form go there.
    assert f"form-action 'self' {provider.url};" in page.headers["Content-Security-Policy"]
    assert "Link my sign-in" not in page.text  # already linked
    row = account_row(database, "anna@kommun.se")
    assert (row["oidc_issuer"], row["oidc_subject"], row["is_admin"]) == (provider.url, "anna-0001", False)
    # No password opens the account made by the provider.
    refused = requests.post(server.url + "/account/sign-in", data={"email": "anna@kommun.se",
                                                                    "password": row["password_hash"]}, timeout=10)
    assert refused.status_code == 400

    out = browser.post(server.url + "/account/sign-out", data={"csrf_token": csrf_token(page.text)},
                       allow_redirects=False, timeout=10)
    assert out.status_code == 303
    end = urlsplit(out.headers["Location"])
    assert f"{end.scheme}://{end.netloc}{end.path}" == provider.url + "/session/end"
    assert parse_qs(end.query) == {"client_id": ["behovsworkshop"], "post_logout_redirect_uri": [server.url + "/"]}
    assert signed_out(browser, server)
    # The provider asks to confirm, then sends the browser home.
    confirm = browser.get(out.headers["Location"], timeout=10)
    xsrf = confirm.text.split('name="xsrf" value="', 1)[1].split('"', 1)[0]
    done = browser.post(provider.url + "/session/end/confirm", data={"xsrf": xsrf, "logout": "yes"},
                        allow_redirects=False, timeout=10)
    assert done.headers["Location"] == server.url + "/"
    # Signed out at the provider too: signing in again shows its sign-in form again.
    again = browser.get(server.url + "/account/oidc/start", allow_redirects=True, timeout=10)
    assert 'name="login"' in again.text


def test_the_same_subject_signs_in_to_the_same_account(oidc_stack):
    server, _, database = oidc_stack
    for _ in range(2):
        browser = requests.Session()
        assert browser.get(start_sign_in(browser, server, "anna-0001"), allow_redirects=False,
                           timeout=10).status_code == 303
    engine = create_engine(f"sqlite:///{database}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM accounts WHERE oidc_subject = 'anna-0001'")).scalar() == 1
    engine.dispose()


def test_the_administrator_group_makes_an_administrator(oidc_stack):
    server, _, database = oidc_stack
    browser = requests.Session()
    browser.get(start_sign_in(browser, server, "admin-0002"), timeout=10)
    assert account_row(database, "ada@kommun.se")["is_admin"] in (1, True)


def test_an_address_outside_the_allowed_domains_is_refused(oidc_stack):
    server, _, database = oidc_stack
    browser = requests.Session()
    answer = browser.get(start_sign_in(browser, server, "bob-0003"), allow_redirects=False, timeout=10)
    assert answer.status_code == 403
    assert "Accounts of example.com may not sign in here" in answer.text
    assert account_row(database, "bob@example.com") is None
    assert signed_out(browser, server)


def test_an_address_the_provider_marks_unverified_is_refused(oidc_stack):
    server, _, database = oidc_stack
    browser = requests.Session()
    answer = browser.get(start_sign_in(browser, server, "eve-0007"), allow_redirects=False, timeout=10)
    assert answer.status_code == 403 and "not verified" in answer.text
    assert account_row(database, "eve@kommun.se") is None


def test_a_disabled_account_cannot_sign_in_and_its_open_session_ends(oidc_stack):
    server, _, _ = oidc_stack
    browser = requests.Session()
    browser.get(start_sign_in(browser, server, "dora-0004"), timeout=10)
    assert organiser_page(browser, server).status_code == 200
    result = flask_cli(server, "admin", "disable", "dora@kommun.se")
    assert result.returncode == 0, result.stderr
    assert signed_out(browser, server)  # the open session ends at its next request

    again = requests.Session()
    answer = again.get(start_sign_in(again, server, "dora-0004"), allow_redirects=False, timeout=10)
    assert answer.status_code == 403 and "This account is disabled" in answer.text
    assert signed_out(again, server)

    assert flask_cli(server, "admin", "disable", "--enable", "dora@kommun.se").returncode == 0
    third = requests.Session()
    assert third.get(start_sign_in(third, server, "dora-0004"), allow_redirects=False, timeout=10).status_code == 303


def test_a_replayed_answer_is_refused(oidc_stack):
    server, _, _ = oidc_stack
    browser = requests.Session()
    callback = start_sign_in(browser, server, "replay-0008")
    cookie_before = browser.cookies.get("session", domain="127.0.0.1")
    assert browser.get(callback, allow_redirects=False, timeout=10).status_code == 303

    # The same browser again: the state was used up.
    replay = browser.get(callback, allow_redirects=False, timeout=10)
    assert replay.status_code == 400 and "already used" in replay.text

    # Another browser holding the cookie from before the answer: the provider refuses the used code.
    thief = requests.Session()
    thief.cookies.set("session", cookie_before, domain="127.0.0.1")
    stolen = thief.get(callback, allow_redirects=False, timeout=10)
    assert stolen.status_code == 400 and "did not let you in" in stolen.text
    assert signed_out(thief, server)


def test_a_forged_state_is_refused(oidc_stack):
    server, _, database = oidc_stack
    browser = requests.Session()
    callback = urlsplit(start_sign_in(browser, server, "forge-0009"))
    query = parse_qs(callback.query)
    forged = f"{server.url}{callback.path}?" + urlencode({"code": query["code"][0], "state": secrets.token_urlsafe(24)})
    answer = browser.get(forged, allow_redirects=False, timeout=10)
    assert answer.status_code == 400 and "Start the sign-in again" in answer.text
    assert signed_out(browser, server)
    # An answer to a sign-in this browser never started.
    stranger = requests.Session()
    answer = stranger.get(f"{server.url}{callback.path}?{callback.query}", allow_redirects=False, timeout=10)
    assert answer.status_code == 400 and signed_out(stranger, server)
    assert account_row(database, "fred@kommun.se") is None


def test_an_existing_address_is_never_joined_by_email_alone_but_linked_by_its_owner(oidc_stack):
    server, _, database = oidc_stack
    made = flask_cli(server, "admin", "create", "carl@kommun.se", ADMIN_PASSWORD="a long local password")
    assert made.returncode == 0, made.stderr
    browser = requests.Session()
    answer = browser.get(start_sign_in(browser, server, "carl-0005"), allow_redirects=False, timeout=10)
    assert answer.status_code == 403 and "already exists and is not linked" in answer.text
    assert account_row(database, "carl@kommun.se")["oidc_subject"] is None

    # Its owner signs in with the password and links the provider's subject.
    form = browser.get(server.url + "/account/sign-in", timeout=10)
    signed = browser.post(server.url + "/account/sign-in", data={
        "email": "carl@kommun.se", "password": "a long local password", "csrf_token": csrf_token(form.text)},
        allow_redirects=False, timeout=10)
    assert signed.status_code == 303
    page = organiser_page(browser, server)
    assert "Link my sign-in with Kommunens inloggning" in page.text
    link = browser.post(server.url + "/account/oidc/link", data={"csrf_token": csrf_token(page.text)},
                        allow_redirects=False, timeout=10)
    back = browser.get(through_provider(browser, link, "carl-0005", server.url), allow_redirects=False, timeout=10)
    assert back.status_code == 303
    assert account_row(database, "carl@kommun.se")["oidc_subject"] == "carl-0005"

    # Now the subject signs in; another subject claiming the same address still does not.
    fresh = requests.Session()
    assert fresh.get(start_sign_in(fresh, server, "carl-0005"), allow_redirects=False, timeout=10).status_code == 303
    assert "Signed in as carl@kommun.se" in organiser_page(fresh, server).text
    mallory = requests.Session()
    answer = mallory.get(start_sign_in(mallory, server, "mallory-0006"), allow_redirects=False, timeout=10)
    assert answer.status_code == 403 and signed_out(mallory, server)


def test_without_configuration_there_is_no_provider(sqlite_app):
    client = sqlite_app.test_client()
    assert client.get("/account/oidc/start").status_code == 404
    assert client.get("/account/oidc/callback?code=x&state=y").status_code == 404
    page = client.get("/account/sign-in")
    assert page.status_code == 200 and "/account/oidc/start" not in page.get_data(as_text=True)
    assert "form-action 'self';" in page.headers["Content-Security-Policy"]
