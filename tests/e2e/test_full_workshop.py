"""The whole path through a workshop: the real server process, three phones, a projector and
the console over real Socket.IO, the JSON API for joining and downloads, then the guide."""
from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.e2e

QUESTION = "Hur kan vi stärka behovsarbetet inför upphandlingar?"


def _without_mine(items: list[dict]) -> list[dict]:
    """`mine` is personal: in the snapshot, not in broadcast changes (the ack tells the author)."""
    return sorted(({k: v for k, v in item.items() if k != "mine"} for item in items), key=lambda i: i["id"])


def test_three_phones_run_a_think_tank_and_download_the_guide(live_server, screens):
    created = live_server.create_workshop(QUESTION, "sv")
    for key in ("code", "join_url", "projector_url", "facilitator_url"):
        assert created[key]
    assert live_server.api("GET", created["join_url"].replace(live_server.url, "")).status_code == 200

    console = screens(live_server, "facilitator", created["facilitator_token"], lang="sv")
    projector = screens(live_server, "projector", created["projector_token"], lang="sv")
    people = [live_server.join(created["code"], perspective, name)
              for perspective, name in (("buyer", "Anna"), ("supplier", None), ("requester", "Omar"))]
    phones = [screens(live_server, "participant", person["token"], lang="sv") for person in people]
    console.wait_for(lambda: console.fresh()["participants"]["count"] == 3)

    # 1. Collect: each phone submits a challenge and a success factor; everyone sees them live.
    submitted = []
    for n, phone in enumerate(phones):
        for lane, text in (("challenge", f"Otydliga beslutsvägar, del {n}"),
                           ("success_factor", f"Koppla behoven till strategiska mål, del {n}")):
            reply = phone.call("item.submit", {"client_id": uuid.uuid4().hex, "lane": lane, "text": text})
            assert reply["ok"], reply
            submitted.append(reply["item"])
    for screen in (console, projector):
        screen.wait_for(lambda s=screen: len([c for c in s.changes if c["type"] == "item.added"]) == 6)
    for phone in phones:  # a phone holds its own items (from its acks), not the whole room's
        assert not [c for c in phone.changes if c["type"] == "item.added"]
        assert [i["mine"] for i in phone.fresh()["items"]] == [True, True]

    # 2. Aggregate: the facilitator groups items into named themes.
    assert console.call("phase.set", {"phase": "aggregate"})["ok"]
    for phone in phones:
        phone.wait_change("phase.changed", phase="aggregate")
    governance = console.call("theme.create", {"name": "Styrning och beslutsvägar"})["theme"]
    goals = console.call("theme.create", {"name": "Strategiska mål"})["theme"]
    spare = console.call("theme.create", {"name": "Övrigt"})["theme"]
    for item in submitted:
        theme = governance if item["lane"] == "challenge" else goals
        assert console.call("item.assign", {"item_id": item["id"], "theme_id": theme["id"]})["ok"]

    # 3. Prioritise: dots on themes, changeable; nothing is revealed until the facilitator says so.
    assert console.call("phase.set", {"phase": "prioritise"})["ok"]
    ballots = [{governance["id"]: 3, goals["id"]: 2}, {governance["id"]: 1}, {governance["id"]: 2, goals["id"]: 3}]
    for phone, ballot in zip(phones, ballots):
        reply = phone.call("ballot.set", {"client_id": uuid.uuid4().hex, "allocation": {str(k): v for k, v in ballot.items()}})
        assert reply["ok"], reply
    changed = phones[1].call("ballot.set", {"client_id": uuid.uuid4().hex, "allocation": {str(goals["id"]): 3}})  # a change of mind
    assert changed["ok"] and changed["me"]["ballot"] == {str(goals["id"]): 3}
    console.wait_for(lambda: console.fresh()["turnout"] == {"voted": 3, "participants": 3})
    assert projector.fresh()["results"] is None and phones[0].fresh()["results"] is None
    assert all(c["data"].get("results") is None for c in projector.changes if c["type"] == "turnout.changed")

    assert console.call("results.reveal", {"revealed": True})["ok"]
    revealed = projector.wait_change("results.changed", results_revealed=True)["data"]["results"]
    scores = {entry["name"]: (entry["score"], entry["rank"]) for entry in revealed["entries"]}
    assert scores == {"Strategiska mål": (8, 1), "Styrning och beslutsvägar": (5, 2), "Övrigt": (0, 3)}
    # Removing the unused theme after the reveal updates the results on every screen.
    assert console.call("theme.delete", {"theme_id": spare["id"]})["ok"]
    after = projector.wait_change("theme.deleted")["data"]["results"]
    assert [entry["name"] for entry in after["entries"]] == ["Strategiska mål", "Styrning och beslutsvägar"]

    # 4. Advice: one piece each, editable until the phase closes.
    assert console.call("phase.set", {"phase": "advice"})["ok"]
    advice = ["Börja med effekten ni vill uppnå.", "Bjud in leverantörer tidigt.", "Testa behoven med användarna."]
    for phone, text in zip(phones, advice):
        assert phone.call("advice.set", {"client_id": uuid.uuid4().hex, "text": "utkast"})["ok"]
        assert phone.call("advice.set", {"client_id": uuid.uuid4().hex, "text": text})["ok"]
    projector.wait_for(lambda: len(projector.fresh()["advice"]) == 3)

    # 5. Closed: read-only for everyone.
    assert console.call("phase.set", {"phase": "closed"})["ok"]
    refused = phones[0].call("advice.set", {"client_id": uuid.uuid4().hex, "text": "För sent"})
    assert refused["ok"] is False and refused["error"]["code"] == "workshop_closed"

    # Every screen's live view, built from its first snapshot and the changes alone, ended
    # equal to the server's state.
    for screen in (console, projector, *phones):
        server_state = screen.fresh()
        screen.wait_for(lambda s=screen: s.seq == server_state["seq"])
        live = screen.live_state()
        for key in ("seq", "workshop", "themes", "participants", "turnout", "results"):
            if key in server_state:  # a phone's snapshot holds no counts of the room
                assert live[key] == server_state[key], (screen.role, key)
        assert _without_mine(live["items"]) == _without_mine(server_state["items"]), screen.role
        assert sorted(a["text"] for a in live.get("advice", [])) == \
            sorted(a["text"] for a in server_state.get("advice", []))

    # 6. The organiser downloads the guide; it reflects what happened, and no one's name leaks.
    markdown = live_server.api("GET", f"/api/workshops/{created['code']}/guide.md",
                               token=created["facilitator_token"])
    assert markdown.status_code == 200
    text = markdown.text
    assert text.splitlines()[0] == f"# {QUESTION}"
    assert text.index("Strategiska mål") < text.index("Styrning och beslutsvägar")
    for expected in advice + [item["text"] for item in submitted]:
        assert expected in text
    assert "Anna" not in text and "Omar" not in text

    html = live_server.api("GET", created["facilitator_url"].replace(live_server.url, "") + "/guide.html")
    assert html.status_code == 200 and html.headers["Content-Type"].startswith("text/html")
    assert f"<h1>{QUESTION}</h1>" in html.text or QUESTION in html.text.split("</h1>")[0]
    assert html.headers["Content-Disposition"].startswith("inline")  # "Open HTML" shows it
