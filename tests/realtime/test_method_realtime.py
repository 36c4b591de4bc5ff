"""The full method over real Socket.IO connections to the real server: phones follow the
spotlight, proposals reach every screen (authors only as a perspective, on the console), and a
locked timer that ran out makes the server refuse input by its own clock."""
from __future__ import annotations

import json
import uuid
from datetime import datetime


def _item(phone, text, lane="challenge"):
    reply = phone.call("item.submit", {"client_id": uuid.uuid4().hex, "lane": lane, "text": text})
    assert reply["ok"], reply
    return reply["item"]


def test_phones_follow_the_spotlight_without_learning_who_wrote_what(live_server, screens):
    created = live_server.create_workshop(language="en", question="How do we assess needs?")
    console = screens(live_server, "facilitator", created["facilitator_token"])
    projector = screens(live_server, "projector", created["projector_token"])
    sigrid, bo = live_server.join(created["code"], "supplier", "Sigrid"), live_server.join(created["code"], "buyer", "Bo")
    phone_s, phone_b = (screens(live_server, "participant", p["token"]) for p in (sigrid, bo))
    own = [_item(phone_s, "Late market dialogue"), _item(phone_s, "Dialogue early", "success_factor")]
    _item(phone_b, "Unclear ownership")
    assert console.call("phase.set", {"phase": "present"})["ok"]
    assert console.call("spotlight.step", {"delta": 1})["ok"]
    for screen in (phone_s, phone_b, projector, console):
        change = screen.wait_change("spotlight.changed")
        spot = change["data"]["spotlight"]
        assert (spot["ordinal"], spot["total"], spot["perspective"]) == (1, 2, "supplier")
        assert [i["id"] for i in spot["items"]] == [i["id"] for i in own]
        assert "Sigrid" not in json.dumps(change)
        assert set(spot) == {"mode", "ordinal", "total", "perspective", "paper", "items"}
    # The phone whose items these are can tell: they are its own items.
    mine = {i["id"] for i in phone_s.fresh()["items"] if i.get("mine")}
    assert {i["id"] for i in phone_s.changes[-1]["data"]["spotlight"]["items"]} <= mine
    assert console.call("spotlight.step", {"delta": 1})["ok"]
    assert phone_b.wait_for(lambda: phone_b.changes[-1]["data"].get("spotlight", {}).get("ordinal") == 2)
    # A phone that reconnects gets the spotlight in its snapshot.
    assert phone_b.fresh()["spotlight"]["perspective"] == "buyer"
    refused = phone_b.call("spotlight.step", {"delta": 1})
    assert refused["ok"] is False and refused["error"]["code"] == "not_allowed"


def test_proposals_reach_the_console_and_projector_live_and_a_locked_timer_refuses_late_ones(live_server, screens):
    created = live_server.create_workshop(language="sv")
    console = screens(live_server, "facilitator", created["facilitator_token"])
    projector = screens(live_server, "projector", created["projector_token"])
    anna, erik = live_server.join(created["code"], "legal", "Anna"), live_server.join(created["code"], "buyer")
    phone_a = screens(live_server, "participant", anna["token"], lang="sv")
    phone_e = screens(live_server, "participant", erik["token"], lang="en")
    _item(phone_a, "Kraven kopieras från gamla upphandlingar")
    theme = console.call("theme.create", {"name": "Kravställning"})["theme"]
    assert console.call("phase.set", {"phase": "concretise"})["ok"]
    sent = phone_a.call("proposal.submit", {"client_id": uuid.uuid4().hex, "theme_id": theme["id"], "type": "template",
                                            "description": "En mall för behovsbeskrivningen",
                                            "who_needs": "Beställande verksamheter"})
    assert sent["ok"] and sent["proposal"]["mine"] is True
    on_console = console.wait_change("proposal.added")["data"]["proposal"]
    assert on_console["perspective"] == "legal" and on_console["description"] == "En mall för behovsbeskrivningen"
    for screen in (projector, phone_e):
        shown = screen.wait_change("proposal.added")["data"]["proposal"]
        assert shown["id"] == sent["proposal"]["id"] and "perspective" not in shown
        assert "Anna" not in json.dumps(shown)
    assert phone_e.fresh()["proposals"][0]["mine"] is False

    # A timer with the lock: every screen gets the server's clock with it.
    started = console.call("timer.start", {"seconds": 10, "lock": True})
    assert started["ok"], started
    for screen in (phone_a, phone_e, projector):
        change = screen.wait_change("timer.changed")
        assert change["data"]["timer"]["lock"] is True and change["data"]["now"]
    ends_at = datetime.fromisoformat(started["timer"]["ends_at"])
    # The server's clock runs past the end; nobody sleeps through the ten seconds.
    live_server.advance_clock((ends_at - datetime.fromisoformat(started["now"])).total_seconds() + 1)
    late = phone_a.call("proposal.submit", {"client_id": uuid.uuid4().hex, "theme_id": theme["id"], "type": "guide",
                                            "description": "För sent"})
    assert late["ok"] is False and late["error"]["code"] == "time_up"
    assert late["error"]["message"].startswith("Tiden är ute")  # in the phone's language
    edit = phone_a.call("proposal.edit", {"proposal_id": sent["proposal"]["id"], "type": "guide", "description": "Ny"})
    assert edit["ok"] is False and edit["error"]["code"] == "time_up"
    english = phone_e.call("proposal.submit", {"client_id": uuid.uuid4().hex, "theme_id": theme["id"], "type": "guide",
                                               "description": "Too late"})
    assert english["error"]["message"] == "Time is up for this step: the facilitator has closed input."
    # More time opens input again.
    assert console.call("timer.extend", {"seconds": 30})["ok"]
    assert phone_e.call("proposal.submit", {"client_id": uuid.uuid4().hex, "theme_id": theme["id"], "type": "guide",
                                            "description": "In time"})["ok"]
    assert len(console.fresh()["proposals"]) == 2
