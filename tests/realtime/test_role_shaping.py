"""What leaves the server for each role: no author's perspective or name on phones and the
projector, no tally before the reveal, no split by perspective outside the console, and nothing
at all for another workshop's screens."""
from __future__ import annotations

import json
import uuid


def _run_a_workshop(live_server, screens, created):
    """Drive one workshop through every kind of change; returns its screens."""
    console = screens(live_server, "facilitator", created["facilitator_token"])
    projector = screens(live_server, "projector", created["projector_token"])
    joined = [live_server.join(created["code"], "supplier", "Sigrid"), live_server.join(created["code"], "buyer", "Bo")]
    phones = [screens(live_server, "participant", person["token"]) for person in joined]
    items = [phone.call("item.submit", {"client_id": uuid.uuid4().hex, "lane": "challenge",
                                        "text": f"Sen dialog med marknaden {n}"})["item"]
             for n, phone in enumerate(phones)]
    assert console.call("phase.set", {"phase": "aggregate"})["ok"]
    theme = console.call("theme.create", {"name": "Dialog"})["theme"]
    for item in items:
        assert console.call("item.assign", {"item_id": item["id"], "theme_id": theme["id"]})["ok"]
    assert console.call("theme.rename", {"theme_id": theme["id"], "name": "Tidig dialog"})["ok"]
    assert console.call("phase.set", {"phase": "prioritise"})["ok"]
    for phone in phones:
        assert phone.call("ballot.set", {"client_id": uuid.uuid4().hex, "allocation": {str(theme["id"]): 2}})["ok"]
    hidden_versions = {c["version"] for c in projector.changes}
    assert console.call("results.reveal", {"revealed": True})["ok"]
    assert console.call("phase.set", {"phase": "advice"})["ok"]
    for phone in phones:
        assert phone.call("advice.set", {"client_id": uuid.uuid4().hex, "text": "Prata med leverantörerna tidigt."})["ok"]
    for screen in (console, projector, *phones):
        screen.caught_up()
    return console, projector, phones, joined, hidden_versions


def test_each_role_gets_only_what_it_may_see(live_server, screens):
    created = live_server.create_workshop()
    console, projector, phones, joined, hidden_versions = _run_a_workshop(live_server, screens, created)

    names = {"Sigrid": phones[0], "Bo": phones[1]}
    for screen in (projector, *phones):
        everything = json.dumps([screen.snapshot, screen.changes, screen.fresh()], ensure_ascii=False)
        for name, own_phone in names.items():
            if screen is not own_phone:  # a phone may show its own name back to its owner
                assert f'"{name}"' not in everything, f"{screen.role} learns {name}'s name"
        for item in screen.fresh()["items"]:
            assert "perspective" not in item, f"{screen.role} learns an author's perspective"
        for change in screen.changes:
            if change["type"].startswith("item."):
                assert "perspective" not in change["data"]["item"]
            if change["version"] in hidden_versions or change["version"] < min(hidden_versions | {10**9}):
                assert change["data"].get("results") is None, f"tally before reveal to {screen.role}"
            for entry in (change["data"].get("results") or {}).get("entries", []):
                assert "by_perspective" not in entry

    facilitator_items = [c["data"]["item"] for c in console.changes if c["type"] == "item.added"]
    assert {item["perspective"] for item in facilitator_items} == {"supplier", "buyer"}
    revealed = console.fresh()["results"]["entries"][0]
    assert revealed["by_perspective"] == {"supplier": 2, "buyer": 2}
    assert "Sigrid" not in json.dumps(console.fresh(), ensure_ascii=False)


def test_another_workshops_screens_receive_nothing(live_server, screens):
    other = live_server.create_workshop("En annan tankesmedja")
    other_phone_token = live_server.join(other["code"])["token"]
    watchers = [screens(live_server, "facilitator", other["facilitator_token"]),
                screens(live_server, "projector", other["projector_token"]),
                screens(live_server, "participant", other_phone_token)]
    _run_a_workshop(live_server, screens, live_server.create_workshop())
    for screen in watchers:
        assert screen.changes == [] and screen.personal == [], screen.role
        assert screen.fresh()["items"] == []
