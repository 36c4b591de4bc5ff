"""A participant takes back everything they contributed, from their phone, in two deliberate steps."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .accessibility import assert_accessible
from .pages import LIVE, expect_announced, expect_saved, join, my_item, small_targets, write_item

pytestmark = pytest.mark.e2e


def test_a_participant_withdraws_their_contributions_from_the_phone(live_server, open_page, shots):
    created = live_server.create_workshop("Can I take it back?", "en")
    code, fac = created["code"], created["facilitator_token"]
    phone = open_page(created["join_url"], "withdrawing-phone", "phone")
    join(phone, "Supplier", "Siv")
    write_item(phone, "Challenge", "Something I would rather not have said")
    expect_saved(phone, "Something I would rather not have said")
    stored = lambda: live_server.api("GET", f"/api/workshops/{code}", token=fac).json()["items"]
    assert len(stored()) == 1

    phone.get_by_text("Your contributions").click()
    phone.get_by_role("button", name="Withdraw my contributions").click()
    assert len(stored()) == 1  # the first button only asks
    assert_accessible(phone, "phone asking to confirm a withdrawal")
    assert small_targets(phone) == []
    shots(phone, "40-phone-withdraw-confirm", at=phone.locator(".withdraw"))
    phone.get_by_role("button", name="Yes, withdraw everything").click()

    expect(phone.locator(".withdraw-status")).to_have_text("Your contributions have been withdrawn.", timeout=LIVE)
    expect_announced(phone, "Your contributions have been withdrawn")
    expect(my_item(phone, "Something I would rather not have said")).to_have_count(0)
    assert stored() == []
    expect(phone.locator("#whoami")).not_to_contain_text("Siv")
    phone.reload()  # the server, not only this screen, has forgotten them
    expect(phone.locator("#phase")).to_be_visible(timeout=LIVE)
    expect(my_item(phone, "Something I would rather not have said")).to_have_count(0)
    open_page.assert_clean()
