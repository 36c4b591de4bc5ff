"""Voting rounds over real Socket.IO connections to the real server: two tabs of one phone racing
whole ballots, and no tally in any phone's or the projector's payload before the reveal, in
every method."""
from __future__ import annotations

import json
import threading
import uuid

SCORES = ('"score"', '"by_perspective"', '"impact"', '"feasibility"', '"quadrant"', '"consensus"', '"spread"')


def _without_headcount(value):
    """Everything but the headcount by perspective (people, not votes) and the phone's own ballot."""
    if isinstance(value, dict):
        return {k: _without_headcount(v) for k, v in value.items() if k not in ("participants", "me")}
    if isinstance(value, list):
        return [_without_headcount(v) for v in value]
    return value


def _prioritising(live_server, screens, themes=3):
    created = live_server.create_workshop()
    console = screens(live_server, "facilitator", created["facilitator_token"])
    projector = screens(live_server, "projector", created["projector_token"])
    people = [live_server.join(created["code"], "supplier"), live_server.join(created["code"], "buyer")]
    phones = [screens(live_server, "participant", p["token"]) for p in people]
    item = phones[0].call("item.submit", {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "Sen dialog"})
    assert item["ok"]
    assert console.call("phase.set", {"phase": "aggregate"})["ok"]
    ids = [console.call("theme.create", {"name": f"Tema {n}"})["theme"]["id"] for n in range(themes)]
    assert console.call("phase.set", {"phase": "prioritise"})["ok"]
    return created, console, projector, people, phones, ids


def test_two_tabs_of_one_phone_racing_ballots_keep_one_whole_ballot_within_budget(live_server, screens):
    created, console, _, people, phones, (t1, t2, t3) = _prioritising(live_server, screens)
    second_tab = screens(live_server, "participant", people[0]["token"])
    ballots = ({str(t1): 3, str(t2): 2}, {str(t3): 3, str(t2): 2})
    for _ in range(6):
        barrier = threading.Barrier(2)
        replies = []

        def vote(tab, allocation):
            barrier.wait(timeout=5)
            replies.append(tab.call("ballot.set", {"client_id": uuid.uuid4().hex, "allocation": allocation}))

        threads = [threading.Thread(target=vote, args=pair) for pair in zip((phones[0], second_tab), ballots)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        assert [r["ok"] for r in replies] == [True, True]
        stands = phones[0].fresh()["me"]["ballot"]
        assert stands in ballots and sum(stands.values()) <= 5
        assert second_tab.fresh()["me"]["ballot"] == stands
    assert console.fresh()["turnout"] == {"voted": 1, "participants": 2}


def test_no_tally_reaches_a_phone_or_the_projector_before_the_reveal_in_any_method(live_server, screens):
    created, console, projector, _, phones, (t1, t2, t3) = _prioritising(live_server, screens)
    ballots = {
        "dots": [{"allocation": {str(t1): 2}}, {"allocation": {str(t2): 3}}],
        "matrix": [{"ratings": {str(t1): {"impact": 5, "feasibility": 2}}},
                   {"ratings": {str(t2): {"impact": 2, "feasibility": 4}}}],
        "ranking": [{"ranking": [t2, t1]}, {"ranking": [t3]}],
    }
    for method, shapes in ballots.items():
        if method != "dots":
            made = console.call("round.create", {"method": method})
            assert made["ok"] and made["voting"]["method"] == method
            for screen in (projector, *phones):
                screen.wait_change("rounds.changed", round_id=made["round_id"])
        for phone, shape in zip(phones, shapes):
            reply = phone.call("ballot.set", {"client_id": uuid.uuid4().hex, **shape})
            assert reply["ok"], reply
            assert reply["me"]["ballot"] == next(iter(shape.values())) or method == "dots"
        turnout = console.wait_change("turnout.changed", turnout={"voted": 2, "participants": 2})
        assert turnout["data"]["results"] is None
        for screen in (projector, *phones):
            screen.caught_up()
            everything = json.dumps(_without_headcount([screen.snapshot, screen.changes, screen.fresh()]))
            for field in SCORES:
                assert field not in everything, f"{screen.role} sees {field} in a {method} round before the reveal"
        assert not any(c["type"] == "turnout.changed" for c in phones[0].changes)  # phones are spared turnout
        revealed = console.call("results.reveal", {"revealed": True})
        assert revealed["ok"] and revealed["results"]["method"] == method
        assert all("by_perspective" in e for e in revealed["results"]["entries"])
        shown = projector.wait_change("results.changed", round_id=revealed["round_id"], results_revealed=True)
        assert shown["data"]["results"]["voters"] == 2
        assert all("by_perspective" not in e for e in shown["data"]["results"]["entries"])
        assert phones[1].fresh()["results"]["method"] == method
        assert console.call("results.reveal", {"revealed": False})["ok"]
        for screen in (projector, *phones):
            screen.caught_up()
            assert screen.fresh()["results"] is None
            screen.changes.clear()
            screen.snapshot = {}
    # The console follows every round; each method's ballot is the phone's own, in its shape.
    rounds = console.fresh()["rounds"]
    assert [(r["method"], r["voted"]) for r in rounds] == [("dots", 2), ("matrix", 2), ("ranking", 2)]
    me = phones[0].fresh()["me"]
    assert me["ballot"] == [t2, t1]
    assert me["ballots"] == {str(rounds[0]["id"]): {str(t1): 2},
                             str(rounds[1]["id"]): {str(t1): {"impact": 5, "feasibility": 2}},
                             str(rounds[2]["id"]): [t2, t1]}
