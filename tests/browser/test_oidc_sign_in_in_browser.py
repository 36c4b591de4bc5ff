"""An organiser signs in with the organisation's OpenID provider in a real browser: the button on
the sign-in page, the provider's own form (a real `oidc-provider`, tests/oidc/provider.mjs), back
on the organiser's page; a refused address lands on the sign-in page with the reason, and the
password form there still works. axe-core checks our pages on the way."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.oidc.conftest import flask_cli, oidc_stack  # noqa: F401 (the provider and the server, as a fixture)
from tests.oidc.test_oidc_sign_in import account_row

from .accessibility import assert_accessible

pytestmark = pytest.mark.e2e


def sign_in_at_provider(page, login: str) -> None:
    page.locator('input[name="login"]').fill(login)
    page.locator('input[name="password"]').fill("any")
    page.locator('button[type="submit"]').click()


def test_an_organiser_signs_in_and_out_with_the_provider(oidc_stack, open_page, shots):  # noqa: F811
    server, provider, _ = oidc_stack
    page = open_page(server.url + "/organiser/", "sign-in", locale="sv-SE")
    expect(page).to_have_url(re.compile(r"/account/sign-in\?next=/organiser/"))
    button = page.get_by_role("link", name="Logga in med Kommunens inloggning")
    expect(button).to_be_visible()
    assert_accessible(page, "sign-in page with the provider")
    shots(page, "oidc-sign-in")
    button.click()
    expect(page).to_have_url(re.compile("^" + re.escape(provider.url)))
    sign_in_at_provider(page, "anna-0001")
    expect(page).to_have_url(server.url + "/organiser/")
    expect(page.get_by_text("Inloggad som anna@kommun.se")).to_be_visible()
    assert_accessible(page, "organiser page after the provider's sign-in")

    page.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(re.compile("^" + re.escape(provider.url) + "/session/end"))
    page.get_by_role("button", name=re.compile("Yes, sign me out")).click()
    expect(page).to_have_url(server.url + "/")


def test_a_refused_address_sees_why_and_can_still_use_a_password(oidc_stack, open_page):  # noqa: F811
    server, _, _ = oidc_stack
    page = open_page(server.url + "/account/sign-in", "refused", locale="en-GB")
    page.get_by_role("link", name="Sign in with Kommunens inloggning").click()
    sign_in_at_provider(page, "bob-0003")
    alert = page.get_by_role("alert")
    expect(alert).to_have_text(re.compile("Accounts of example.com may not sign in here"))
    assert_accessible(page, "sign-in page with the provider's refusal")
    page.get_by_label("Email").fill("nobody@kommun.se")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/account/sign-in$"))
    expect(page.get_by_role("alert")).to_have_text(re.compile("The email or password is not right"))


def test_a_password_account_links_its_provider_sign_in(oidc_stack, open_page):  # noqa: F811
    server, _, database = oidc_stack
    made = flask_cli(server, "admin", "create", "lina@kommun.se", ADMIN_PASSWORD="lina's long password")
    assert made.returncode == 0, made.stderr
    page = open_page(server.url + "/account/sign-in", "link", locale="en-GB")
    page.get_by_label("Email").fill("lina@kommun.se")
    page.get_by_label("Password").fill("lina's long password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    link = page.get_by_role("button", name="Link my sign-in with Kommunens inloggning")
    link.click()  # a form whose answer redirects to the provider: the page's CSP lets it
    sign_in_at_provider(page, "lina-0010")
    expect(page).to_have_url(server.url + "/organiser/")
    expect(link).to_have_count(0)
    assert account_row(database, "lina@kommun.se")["oidc_subject"] == "lina-0010"
