"""Joins, items and ballots applied many at a time (one group commit) keep every rule of one at a time.

Each test hands a whole batch to the use case, as the group commit does when a room sends at
once, on SQLite and on PostgreSQL: every command gets its own answer, a refused command changes
nothing, and the versions screens count by stay consecutive.
"""
from __future__ import annotations

import uuid

from sqlalchemy import select

from workshop.domain.errors import DomainError
from workshop.extensions import db
from workshop.models import Item, Participant, Receipt
from workshop.services import submissions as sub
from workshop.services.outcome import Outcome

from workshop.operations import perform

from .test_services import count, join, new_workshop, snapshot, stored_ballot, version, voting


def item(who, lane="challenge", text="Unclear needs", client_id=None):
    return sub.Command(who, {"client_id": client_id or uuid.uuid4().hex, "lane": lane, "text": text})


def ballot(who, allocation, client_id=None):
    return sub.Command(who, {"client_id": client_id or uuid.uuid4().hex, "allocation": allocation})


def test_a_batch_of_items_stores_each_once_with_consecutive_versions_and_refuses_only_the_bad_one(app):
    made, fac = new_workshop()
    alice, _ = join(made, "buyer")
    bob, _ = join(made, "supplier")
    before = version(made.id)
    resent = uuid.uuid4().hex
    batch = [item(alice, client_id=resent), item(bob, lane="no_such_lane"), item(bob, text="No time"),
             item(alice, client_id=resent), item(bob, client_id=resent), item(fac, text="From a paper note")]
    results = sub.add_items(made.id, batch)

    added = [r for r in results if isinstance(r, Outcome) and r.stamp]
    assert [r.stamp.version for r in added] == [before + 1, before + 2, before + 3]
    assert version(made.id) == before + 3
    assert isinstance(results[1], DomainError) and results[1].code == "lane_unknown"
    assert results[3].reply["duplicate"] is True and results[3].reply["item"]["id"] == results[0].reply["item"]["id"]
    assert isinstance(results[4], DomainError) and results[4].code == "client_id_taken"  # someone else's id
    # The console sees the author's perspective; phones and the projector never do.
    change = results[2].changes[0]
    assert change.for_role("facilitator")["item"]["perspective"] == "supplier"
    assert "perspective" not in change.for_role("projector")["item"]
    assert results[5].reply["item"]["on_behalf"] is True
    assert count(Item, workshop_id=made.id) == 3
    assert count(Item, client_id=resent) == 1


def test_an_item_resent_in_a_later_batch_changes_nothing(app):
    made, _ = new_workshop()
    alice, _ = join(made)
    first = sub.add_items(made.id, [item(alice, client_id="a" * 32)])[0]
    before = version(made.id)
    again = sub.add_items(made.id, [item(alice, client_id="a" * 32, text="edited on resend")])[0]
    assert again.stamp is None and again.reply["duplicate"] is True
    assert again.reply["item"] == {**first.reply["item"], "mine": True}
    assert version(made.id) == before


def test_a_batch_of_ballots_keeps_each_budget_applies_a_persons_later_ballot_and_is_one_turnout_change(app):
    made, fac, alice, (t1, t2, t3) = voting()
    bob, _ = join(made, "supplier")
    carl, _ = join(made, "legal")
    before = version(made.id)
    again = uuid.uuid4().hex
    results = sub.set_ballots(made.id, [
        ballot(alice, {t1: 3, t2: 2}),
        ballot(bob, {t1: 3, t2: 3}),             # over budget: refused, changes nothing
        ballot(alice, {t3: 1}, client_id=again),  # alice's second tab: the later ballot stands
        ballot(carl, {t2: 2}),
        ballot(carl, {t2: 2}, client_id=again),   # alice's id, from carl: refused
    ])
    assert isinstance(results[1], DomainError) and results[1].code == "ballot_budget"
    assert isinstance(results[4], DomainError) and results[4].code == "client_id_taken"
    assert stored_ballot(alice.participant_id) == {t3: 1}
    assert stored_ballot(bob.participant_id) == {}
    assert stored_ballot(carl.participant_id) == {t2: 2}
    # One versioned change for the batch, carrying the turnout; every ballot answered with `me`.
    versioned = [r for r in results if isinstance(r, Outcome) and r.stamp]
    assert len(versioned) == 1 and version(made.id) == before + 1
    assert versioned[0].changes[0].type == "turnout.changed"
    assert versioned[0].changes[0].data["turnout"] == {"voted": 2, "participants": 3}
    assert versioned[0].changes[0].data["results"] is None  # hidden until revealed
    assert results[3].reply["me"]["ballot"] == {str(t2): 2}
    assert count(Receipt, workshop_id=made.id) == 3


def test_a_ballot_resent_after_a_newer_one_is_not_applied_again(app):
    made, _, alice, (t1, t2, _t3) = voting()
    old = uuid.uuid4().hex
    sub.set_ballots(made.id, [ballot(alice, {t1: 2}, client_id=old)])
    sub.set_ballots(made.id, [ballot(alice, {t2: 1})])
    before = version(made.id)
    resent = sub.set_ballots(made.id, [ballot(alice, {t1: 2}, client_id=old)])[0]
    assert resent.reply["duplicate"] is True and resent.reply["me"]["ballot"] == {str(t2): 1}
    assert stored_ballot(alice.participant_id) == {t2: 1}
    assert version(made.id) == before


def test_a_batch_of_joins_registers_everyone_but_the_unknown_perspective_in_one_change(app):
    made, _ = new_workshop()
    before = version(made.id)
    commands = [sub.joining(p, n)[0] for p, n in (("buyer", "Alva"), ("astronaut", None), ("supplier", None))]
    results = sub.join_many(made.id, commands)
    assert isinstance(results[1], DomainError) and results[1].code == "perspective_unknown"
    assert [r.reply["participant"]["perspective"] for r in (results[0], results[2])] == ["buyer", "supplier"]
    assert version(made.id) == before + 1
    change = results[0].changes[0]
    assert change.type == "participants.changed"
    assert change.data["participants"]["count"] == 2 and change.data["turnout"]["participants"] == 2
    names = set(db.session.scalars(select(Participant.name).where(Participant.workshop_id == made.id)))
    assert names == {"Alva", None}


def test_phones_share_the_read_of_what_they_all_see_yet_each_snapshot_is_current_and_its_own(app):
    made, fac = new_workshop()
    alice, _ = join(made, "buyer")
    bob, _ = join(made, "supplier")
    mine = perform("item.submit", alice, {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "Alice's"})
    perform("item.submit", bob, {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "Bob's"})

    def texts(who):
        return [(i["text"], i["mine"]) for i in snapshot(app, made, "participant", who.participant_id)["items"]]

    assert texts(alice) == [("Alice's", True)] and texts(bob) == [("Bob's", True)]
    assert texts(alice) == [("Alice's", True)]  # the second read comes from what the first kept
    assert len(app.extensions["phone_snapshots"]) == 1
    perform("phase.set", fac, {"phase": "aggregate"})
    theme_id = perform("theme.create", fac, {"name": "Styrning"}).reply["theme"]["id"]
    perform("item.assign", fac, {"item_id": mine.reply["item"]["id"], "theme_id": theme_id})
    # A change phones are sent moves their sequence, so nobody is served the state from before it.
    after = snapshot(app, made, "participant", bob.participant_id)
    assert [t["name"] for t in after["themes"]] == ["Styrning"]
    assert [(i["text"], i["mine"]) for i in after["items"]] == [("Alice's", False), ("Bob's", True)]
    assert after["workshop"]["phase"] == "aggregate"
    assert texts(alice) == [("Alice's", True)]


def test_phones_share_one_tally_of_revealed_results_until_a_ballot_moves_it(app, monkeypatch):
    """A thousand phones asking for a fresh snapshot after the reveal must not each tally every
    ballot again; a ballot cast after the reveal must still reach the next snapshot."""
    made, fac, alice, themes = voting()
    bob, _ = join(made, "supplier")
    perform("ballot.set", alice, {"client_id": uuid.uuid4().hex, "allocation": {str(themes[0]): 3}})
    perform("results.reveal", fac, {"revealed": True})
    from workshop.services import state
    tallies = []
    real = state.tally_round
    monkeypatch.setattr(state, "tally_round", lambda r: tallies.append(r.id) or real(r))

    def scores(who):
        entries = snapshot(app, made, "participant", who.participant_id)["results"]["entries"]
        return {e["entry_id"]: e["score"] for e in entries}

    assert scores(alice)[themes[0]] == 3
    read_once = len(tallies)
    assert read_once >= 1
    assert scores(bob)[themes[0]] == 3 and scores(alice)[themes[0]] == 3
    assert len(tallies) == read_once  # the other phones were served what the first one tallied
    # A ballot after the reveal moves the tally (and the version), not what phones are sent.
    perform("ballot.set", bob, {"client_id": uuid.uuid4().hex, "allocation": {str(themes[1]): 2}})
    assert scores(alice)[themes[1]] == 2
    assert len(tallies) > read_once
