"""The validation round that matters, in Chromium: a phone reads each theme of the draft with its
statements, agrees with one and disagrees with another and comments; the console sees the counts
per theme live and marks what was done with the comment; the guide carries the section."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from .accessibility import assert_accessible
from .pages import LIVE, expect_announced, resume_as

pytestmark = pytest.mark.e2e


def _two_themes(live_server):
    created = live_server.create_workshop("How do we buy assistive technology?", "en")
    code, fac = created["code"], created["facilitator_token"]
    person = live_server.join(code, "buyer", "Anna")
    themes, items = {}, {}
    for name, text in (("Early user voice", "Users are asked too late"),
                       ("Market dialogue", "We never talk to suppliers before the tender")):
        items[name] = live_server.api("POST", f"/api/workshops/{code}/items", token=person["token"],
                                      json={"client_id": uuid.uuid4().hex, "lane": "challenge",
                                            "text": text}).json()["item"]
    assert live_server.api("PUT", f"/api/workshops/{code}/phase", token=fac, json={"phase": "aggregate"}).ok
    for name, item in items.items():
        theme = live_server.api("POST", f"/api/workshops/{code}/themes", token=fac, json={"name": name}).json()["theme"]
        assert live_server.api("PUT", f"/api/workshops/{code}/items/{item['id']}/theme", token=fac,
                               json={"theme_id": theme["id"]}).ok
        themes[name] = theme["id"]
    assert live_server.api("PUT", f"/api/workshops/{code}/phase", token=fac, json={"phase": "advice"}).ok
    assert live_server.api("PUT", f"/api/workshops/{code}/review", token=fac, json={"open": True}).ok
    return created, person, themes


def test_a_phone_agrees_disagrees_and_comments_and_the_console_handles_it(live_server, open_page):
    created, person, themes = _two_themes(live_server)
    console = open_page(created["facilitator_url"], "validation-console", "desktop")
    phone = open_page(created["join_url"], "validation-phone", "phone")
    resume_as(phone, created["code"], person)
    panel = phone.locator("#review-panel")
    expect(panel).to_be_visible(timeout=LIVE)
    expect(panel).to_contain_text("Users are asked too late", timeout=LIVE)  # statements shown, not only counts
    expect(panel).to_contain_text("We never talk to suppliers before the tender")

    early = panel.get_by_role("group", name="Do you agree with the theme “Early user voice”?")
    market = panel.get_by_role("group", name="Do you agree with the theme “Market dialogue”?")
    early.get_by_role("button", name="Agree", exact=True).click()
    expect(early.get_by_role("button", name="Agree", exact=True)).to_have_attribute("aria-pressed", "true", timeout=LIVE)
    market.get_by_role("button", name="Disagree", exact=True).click()
    expect(market.get_by_role("button", name="Disagree", exact=True)).to_have_attribute("aria-pressed", "true",
                                                                                        timeout=LIVE)
    panel.get_by_label("Your comment is about").select_option(label="Market dialogue")
    panel.get_by_label("Your comment", exact=True).fill("Name the suppliers' associations here.")
    panel.get_by_role("button", name="Send comment").click()
    expect_announced(phone, "your comment is saved")
    assert_accessible(phone, "phone answering the draft per theme")

    card = console.locator("#review-card")
    agreement = card.locator(".review-agreement")
    expect(agreement.locator(f'[data-theme="{themes["Early user voice"]}"]')).to_contain_text(
        "1 agree, 0 disagree", timeout=LIVE)
    expect(agreement.locator(f'[data-theme="{themes["Market dialogue"]}"]')).to_contain_text("0 agree, 1 disagree")
    expect(card).to_contain_text("Name the suppliers' associations here.", timeout=LIVE)
    card.get_by_label("Done with it").select_option(label="Accepted")
    expect(card.get_by_label("Done with it")).to_have_value("accepted", timeout=LIVE)
    assert_accessible(console, "console with responses and a handled comment")

    guide = live_server.api("GET", f"/api/workshops/{created['code']}/guide.md",
                            token=created["facilitator_token"]).text
    assert "Name the suppliers' associations here." in guide and "Accepted" in guide
    open_page.assert_clean()
