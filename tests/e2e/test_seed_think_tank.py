"""The seed-001 think tank from start to finish: a facilitator and ten phones over real Socket.IO
against the real server process, through every phase of the method (pre-work, collect, present,
aggregate, prioritise, concretise, advice, the validation round), then the guide; and the
customer-journey variant, with its stages and assessments."""
from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.e2e

QUESTION = "Hur kan vi stärka behovsarbetet inför upphandlingar?"
PEOPLE = [("buyer", "Anna"), ("buyer", None), ("requester", "Omar"), ("requester", None), ("end_user", None),
          ("end_user", "Li"), ("supplier", None), ("supplier", None), ("legal", None), ("management", None)]


def _cid() -> str:
    return uuid.uuid4().hex


def _ok(reply: dict) -> dict:
    assert reply["ok"], reply
    return reply


def _phase(console, phones, phase: str) -> None:
    _ok(console.call("phase.set", {"phase": phase}))
    for phone in phones:
        phone.wait_change("phase.changed", phase=phase)


def test_a_facilitator_and_ten_phones_run_the_whole_think_tank(live_server, screens):
    created = live_server.create_workshop(QUESTION, "sv")
    code, fac = created["code"], created["facilitator_token"]
    console = screens(live_server, "facilitator", fac, lang="sv")
    projector = screens(live_server, "projector", created["projector_token"], lang="sv")
    people = [live_server.join(code, perspective, name) for perspective, name in PEOPLE]
    phones = [screens(live_server, "participant", person["token"], lang="sv") for person in people]
    assert console.fresh()["workshop"]["phase"] == "prework"

    # Pre-work: three people contribute days ahead; the console sees counts, never authors.
    for phone in phones[:3]:
        _ok(phone.call("item.submit", {"client_id": _cid(), "lane": "challenge", "text": "Behoven kartläggs för sent"}))
    prework = console.fresh()["prework"]
    assert prework["participants"] == 3 and prework["items"] == 3
    assert "Anna" not in str(prework)

    # Collect: everyone adds a challenge and a success factor; a paper note comes from the room.
    _phase(console, phones, "collect")
    texts = {}
    for n, phone in enumerate(phones):
        for lane, text in (("challenge", f"Otydligt vem som äger behovet ({n})"),
                           ("success_factor", f"Tidig dialog med användarna ({n})")):
            texts[_ok(phone.call("item.submit", {"client_id": _cid(), "lane": lane, "text": text}))["item"]["id"]] = text
    paper = _ok(console.call("item.add", {"client_id": _cid(), "lane": "challenge", "text": "Lapp: för lite tid"}))
    assert paper["item"]["on_behalf"] is True
    items = console.fresh()["items"]
    assert len(items) == 3 + 20 + 1

    # Present: the projector spotlights one contributor at a time; phones see it, without names.
    _phase(console, phones, "present")
    first = _ok(console.call("spotlight.step", {"delta": 1}))["spotlight"]
    assert first["mode"] == "participant" and first["ordinal"] == 1 and first["items"]
    for phone in phones:
        phone.wait_change("spotlight.changed")
    assert _ok(console.call("spotlight.step", {"delta": 1}))["spotlight"]["ordinal"] == 2
    assert "Anna" not in str(projector.fresh()["spotlight"])

    # Aggregate: suggestions are offered, never applied; the facilitator groups, merges and undoes.
    _phase(console, phones, "aggregate")
    suggestions = _ok(console.call("suggestions.list", {}))["suggestions"]
    assert suggestions["themes"] or suggestions["duplicates"]
    assert all(item["theme_id"] is None for item in console.fresh()["items"])  # nothing grouped by itself
    ownership = _ok(console.call("theme.create", {"name": "Ägarskap för behovet"}))["theme"]["id"]
    dialogue = _ok(console.call("theme.create", {"name": "Dialog med användarna"}))["theme"]["id"]
    spare = _ok(console.call("theme.create", {"name": "Tid"}))["theme"]["id"]
    by_lane = {lane: [i["id"] for i in console.fresh()["items"] if i["lane"] == lane]
               for lane in ("challenge", "success_factor")}
    _ok(console.call("items.move", {"item_ids": by_lane["challenge"], "theme_id": ownership}))
    _ok(console.call("items.move", {"item_ids": by_lane["success_factor"], "theme_id": dialogue}))
    _ok(console.call("theme.merge", {"theme_id": spare, "into_id": ownership}))
    _ok(console.call("aggregation.undo", {}))  # the merge was a mistake: the theme comes back
    assert spare in [t["id"] for t in console.fresh()["themes"]]
    _ok(console.call("theme.delete", {"theme_id": spare}))

    # Prioritise: dots, hidden from phones and the projector until the reveal.
    _phase(console, phones, "prioritise")
    for n, phone in enumerate(phones):
        allocation = {str(ownership): 3, str(dialogue): 2} if n % 3 else {str(dialogue): 3}
        _ok(phone.call("ballot.set", {"client_id": _cid(), "allocation": allocation}))
    console.wait_for(lambda: console.fresh()["turnout"]["voted"] == 10)
    assert projector.fresh()["results"] is None and phones[0].fresh()["results"] is None
    revealed = _ok(console.call("results.reveal", {"revealed": True}))["results"]
    # Four phones put 3 dots on dialogue; six put 3 on ownership and 2 on dialogue.
    assert [(e["name"], e["score"]) for e in revealed["entries"]] == [("Dialog med användarna", 24),
                                                                    ("Ägarskap för behovet", 18)]

    # Concretise: concrete support for the top themes.
    _phase(console, phones, "concretise")
    for phone, (kind, text) in zip(phones, (("checklist", "En checklista för behovsanalysen"),
                                            ("network", "Ett nätverk för beställare"),
                                            ("training", "Utbildning i tidig dialog"))):
        _ok(phone.call("proposal.submit", {"client_id": _cid(), "theme_id": dialogue, "type": kind,
                                           "description": text, "who_needs": "nya upphandlare"}))
    projector.wait_for(lambda: len(projector.fresh()["proposals"]) == 3)

    # Advice, then the validation round on the draft guide, then the final guide.
    _phase(console, phones, "advice")
    for n, phone in enumerate(phones):
        _ok(phone.call("advice.set", {"client_id": _cid(), "text": f"Börja med effekten ({n})"}))
    _ok(console.call("review.open", {"open": True}))
    for phone in phones:
        phone.wait_change("review.changed")
    _ok(phones[4].call("comment.submit", {"client_id": _cid(), "text": "Lägg till användarorganisationerna.",
                                          "theme_id": dialogue}))
    console.wait_for(lambda: len(console.fresh()["review"]["comments"]) == 1)
    assert _ok(console.call("review.finalise", {}))["phase"] == "closed"
    refused = phones[0].call("advice.set", {"client_id": _cid(), "text": "För sent"})
    assert refused["ok"] is False

    guide = live_server.api("GET", f"/api/workshops/{code}/guide.md", token=fac).text
    assert guide.splitlines()[0] == f"# {QUESTION}"
    assert "Utkast" not in guide.split("\n## ")[0]  # final, not a draft
    assert guide.index("Dialog med användarna") < guide.index("Ägarskap för behovet")
    for expected in ("En checklista för behovsanalysen", "Börja med effekten (9)", "Lapp: för lite tid",
                     *texts.values()):
        assert expected in guide, expected
    for name in ("Anna", "Omar", "Li"):
        assert f" {name}" not in guide


def test_ten_phones_walk_a_customer_journey_stage_by_stage(live_server, screens):
    response = live_server.api("POST", "/api/workshops", json={"question": "Hur upplever vi upphandlingsprocessen?",
                                                                "language": "sv", "template": "customer-journey"})
    created = response.json()
    code, fac = created["code"], created["facilitator_token"]
    console = screens(live_server, "facilitator", fac, lang="sv")
    stages = [lane["key"] for lane in console.fresh()["lanes"]]
    assert stages[:2] == ["needs_analysis", "market_dialogue"]
    renamed = _ok(console.call("option.rename", {"kind": "lane", "key": "market_dialogue", "name": "Dialog med marknaden"}))
    assert any(lane["name"] == "Dialog med marknaden" for lane in renamed["lanes"])
    people = [live_server.join(code, ("buyer", "supplier")[n % 2]) for n in range(10)]
    phones = [screens(live_server, "participant", person["token"], lang="sv") for person in people]

    refused = phones[0].call("item.submit", {"client_id": _cid(), "lane": "tendering", "text": "Utan bedömning"})
    assert refused["ok"] is False and refused["error"]["code"] == "assessment_required"
    for n, phone in enumerate(phones):
        stage = stages[n % len(stages)]
        assessment = "works_well" if n % 2 else "needs_development"
        item = _ok(phone.call("item.submit", {"client_id": _cid(), "lane": stage, "text": f"Steg {stage} ({n})",
                                              "assessment": assessment, "tag": "operational"}))["item"]
        assert item["assessment"] == assessment and item["lane"] == stage

    _phase(console, phones, "aggregate")
    theme = _ok(console.call("theme.create", {"name": "Dialogen före annonsering"}))["theme"]["id"]
    _ok(console.call("items.move", {"item_ids": [i["id"] for i in console.fresh()["items"]], "theme_id": theme}))
    _phase(console, phones, "prioritise")
    for phone in phones:
        _ok(phone.call("ballot.set", {"client_id": _cid(), "allocation": {str(theme): 2}}))
    _ok(console.call("results.reveal", {"revealed": True}))
    _phase(console, phones, "closed")

    guide = live_server.api("GET", f"/api/workshops/{code}/guide.md", token=fac).text
    assert "Dialog med marknaden" in guide and "Dialogen före annonsering" in guide
    assert "Fungerar bra" in guide and "Behöver utvecklas" in guide
