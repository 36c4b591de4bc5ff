"""The accessibility statement and the privacy notice in a real browser, in Swedish and English:
reached from the join page and from every page's footer, naming the host organisation set in the
server's environment, and free of WCAG 2.1 A/AA violations (axe-core)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.live import LiveServer

from .accessibility import assert_accessible

pytestmark = pytest.mark.e2e

HOST = {"ORGANISATION_NAME": "Region Exempel", "ORGANISATION_EMAIL": "kontakt@region.example",
        "ORGANISATION_PHONE": "010-123 45 67", "ORGANISATION_ADDRESS": "Box 1, 123 45 Exempelstad",
        "ORGANISATION_DPO_EMAIL": "dataskydd@region.example", "ACCESSIBILITY_ASSESSED": "2026-11-30"}
WORDS = {
    "sv": {"locale": "sv-SE", "statement": "Tillgänglighetsredogörelse", "privacy": "Så hanterar vi dina uppgifter",
           "privacy_footer": "Behandling av personuppgifter",
           "privacy_heading": "Så behandlar vi deltagarnas personuppgifter",
           "enforcement": "Tillsyn", "digg": "Myndigheten för digital förvaltning (DIGG) har ansvaret för tillsyn",
           "assessed": "30 november 2026", "rights": "Integritetsskyddsmyndigheten (IMY)"},
    "en": {"locale": "en-GB", "statement": "Accessibility statement", "privacy": "How we handle your data",
           "privacy_footer": "Privacy notice", "privacy_heading": "Privacy notice for participants",
           "enforcement": "Enforcement", "digg": "Myndigheten för digital förvaltning, DIGG",
           "assessed": "November 30, 2026", "rights": "Integritetsskyddsmyndigheten, IMY"},
}


@pytest.fixture(scope="module")
def host_server(tmp_path_factory):
    base = tmp_path_factory.mktemp("statements")
    server = LiveServer(f"sqlite:///{base / 'statements.db'}", base / "server.log", extra_env=HOST)
    server.migrate()
    server.start()
    yield server
    server.stop()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_statements_are_reached_from_the_join_page_and_the_footer(host_server, open_page, shots, lang):
    words = WORDS[lang]
    code = host_server.create_workshop("Hur stärker vi behovsarbetet?", "sv")["code"]
    phone = open_page(f"{host_server.url}/join/{code}", f"phone ({lang})", "phone", locale=words["locale"])
    main = phone.locator("main")
    expect(main.get_by_role("link", name=words["privacy"])).to_be_visible()
    expect(main.get_by_role("link", name=words["statement"])).to_be_visible()
    footer = phone.get_by_role("contentinfo")
    expect(footer.get_by_role("link", name=words["privacy_footer"])).to_have_attribute("href", "/privacy")

    # The join form is drawn by the page's script and moves the footer down: click once it is there.
    expect(phone.locator("form.join-form")).to_be_visible()
    footer.get_by_role("link", name=words["statement"]).click()
    expect(phone).to_have_url(f"{host_server.url}/accessibility")
    expect(phone.get_by_role("heading", level=1)).to_have_text(words["statement"])
    expect(phone.get_by_role("heading", level=2, name=words["enforcement"])).to_be_visible()
    article = phone.locator("article")
    expect(article).to_contain_text("Region Exempel")
    expect(article).to_contain_text(words["digg"])
    expect(article).to_contain_text(words["assessed"])
    expect(article.get_by_role("link", name="kontakt@region.example").first).to_have_attribute(
        "href", "mailto:kontakt@region.example")
    assert_accessible(phone, f"accessibility statement ({lang})")
    shots(phone, f"statement-accessibility-{lang}", full_page=True)

    phone.get_by_role("contentinfo").get_by_role("link", name=words["privacy_footer"]).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(words["privacy_heading"])
    privacy = phone.locator("article")
    expect(privacy).to_contain_text("Region Exempel")
    expect(privacy).to_contain_text("dataskydd@region.example")
    expect(privacy).to_contain_text(words["rights"])
    assert_accessible(phone, f"privacy notice ({lang})")
    shots(phone, f"statement-privacy-{lang}", full_page=True)
    open_page.assert_clean()


def test_the_join_code_page_links_both_statements(host_server, open_page):
    page = open_page(f"{host_server.url}/join", "join code", "phone", locale="en-GB")
    page.locator("main").get_by_role("link", name="How we handle your data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice for participants")
    assert_accessible(page, "privacy notice from the join code page")
    open_page.assert_clean()
