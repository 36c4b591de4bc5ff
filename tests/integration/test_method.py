"""The full method's use cases on SQLite and PostgreSQL: pre-work, the Present spotlight, the
phase timer and its lock, support proposals (Concretise) and advice until the phase closes."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from marshmallow import ValidationError
from sqlalchemy import select, update

from workshop.domain.errors import DomainError, Forbidden
from workshop.domain.support import TOP_THEMES
from workshop.domain.timer import Timer
from workshop.extensions import db
from workshop.models import Advice, Item, Participant, Proposal, Workshop, utcnow
from workshop.operations import perform
from workshop.services import proposals as prop
from workshop.services import state
from workshop.services import snapshots
from tests.integration.test_services import count, join, new_workshop, refused, submit, theme


def phase(fac, name):
    return perform("phase.set", fac, {"phase": name})


def snap(made, role="facilitator", participant=None):
    workshop = db.session.get(Workshop, made.id)
    return snapshots.snapshot(workshop, role, participant, {})


def propose(who, theme_id, description="A checklist for the first meeting", kind="checklist",
            who_needs="New procurement officers", client_id=None):
    return perform("proposal.submit", who, {"client_id": client_id or uuid.uuid4().hex, "theme_id": theme_id,
                                            "type": kind, "description": description, "who_needs": who_needs})


def expire(workshop_id: int) -> None:
    """Move the running timer's end into the past, as the clock would."""
    workshop = db.session.get(Workshop, workshop_id)
    timer = Timer.from_json(workshop.timer)
    moved = Timer(timer.phase, utcnow() - timedelta(seconds=1), timer.seconds, timer.lock).to_json()
    db.session.execute(update(Workshop).where(Workshop.id == workshop_id).values(timer=moved))
    db.session.commit()


# --- Pre-work ---------------------------------------------------------------------------------

def test_prework_takes_items_at_ones_own_pace_and_the_console_counts_contributors_per_perspective(app):
    made, fac = new_workshop()
    assert db.session.get(Workshop, made.id).phase == "prework"
    alice, _ = join(made, "buyer", name="Alice")
    bob, _ = join(made, "buyer")
    carol, _ = join(made, "supplier")
    join(made, "legal")  # joined, contributed nothing
    submit(alice, "No time for dialogue")
    submit(alice, "Requirements copied from old tenders")
    submit(bob, "Unclear who owns the need")
    submit(carol, "Market dialogue helps", lane="success_factor")
    prework = snap(made)["prework"]
    assert prework == {"participants": 3, "items": 4, "by_perspective": {
        "buyer": {"participants": 2, "items": 3}, "supplier": {"participants": 1, "items": 1}}, "paper": 0}
    # Counts only (the equality above): nothing in it names or points to an author.
    assert "Alice" not in str(prework)
    # Neither the projector nor a phone is given the contributor counts.
    assert "prework" not in snap(made, "projector")


def test_a_batch_of_prework_items_tells_the_console_the_new_contributor_counts(app):
    made, fac = new_workshop()
    alice, _ = join(made, "end_user")
    outcome = submit(alice)
    change = outcome.changes[0]
    assert change.for_role("facilitator")["prework"]["by_perspective"] == {"end_user": {"participants": 1, "items": 1}}
    assert "prework" not in change.for_role("participant") and "prework" not in change.for_role("projector")
    phase(fac, "collect")
    assert "prework" not in submit(alice).changes[0].for_role("facilitator")  # counted only in pre-work


def test_withdrawing_tells_the_console_the_new_contributor_counts(app):
    made, fac = new_workshop()
    alice, _ = join(made, "end_user")
    bob, _ = join(made, "buyer")
    submit(alice)
    submit(bob)
    change = perform("contributions.withdraw", alice, {}).changes[0]
    assert change.for_role("facilitator")["prework"]["by_perspective"] == {"buyer": {"participants": 1, "items": 1}}
    assert "prework" not in change.for_role("participant")


# --- Present ----------------------------------------------------------------------------------

def presenting():
    made, fac = new_workshop()
    alice, _ = join(made, "buyer", name="Zelda")
    bob, _ = join(made, "supplier", name="Yngve")
    a1 = submit(alice, "Alice one").reply["item"]["id"]
    b1 = submit(bob, "Bob one", lane="success_factor").reply["item"]["id"]
    a2 = submit(alice, "Alice two", lane="success_factor").reply["item"]["id"]
    phase(fac, "collect")
    paper = submit(fac, "From paper").reply["item"]["id"]
    phase(fac, "present")
    return made, fac, alice, bob, (a1, b1, a2, paper)


def test_present_is_refused_with_no_items(app):
    made, fac = new_workshop()
    error = refused("phase_nothing_to_present", "phase.set", fac, {"phase": "present"})
    assert "nothing to present" in error.message


def test_stepping_through_contributors_shows_their_items_by_ordinal_and_perspective_never_by_name(app):
    made, fac, alice, bob, (a1, b1, a2, paper) = presenting()
    first = perform("spotlight.step", fac, {"delta": 1}).changes[0]
    spot = first.for_role("participant")["spotlight"]
    # "Participant 1 of 2": two people wrote; the paper notes are shown as such, not counted as one.
    assert (spot["mode"], spot["ordinal"], spot["total"], spot["perspective"]) == ("participant", 1, 2, "buyer")
    assert [i["id"] for i in spot["items"]] == [a1, a2]
    assert "Zelda" not in str(spot) and "participant" not in {k for k in spot if k != "mode"}
    second = perform("spotlight.step", fac, {"delta": 1}).reply["spotlight"]
    assert (second["ordinal"], second["perspective"], [i["id"] for i in second["items"]]) == (2, "supplier", [b1])
    third = perform("spotlight.step", fac, {"delta": 1}).reply["spotlight"]
    assert third["paper"] is True and [i["id"] for i in third["items"]] == [paper]
    refused("spotlight_end", "spotlight.step", fac, {"delta": 1})
    back = perform("spotlight.step", fac, {"delta": -1}).reply["spotlight"]
    assert back["ordinal"] == 2
    # Every screen's snapshot shows the same spotlight.
    assert snap(made, "projector")["spotlight"] == back


def test_spotlight_a_lane_or_a_participant_by_ordinal_and_clear_it(app):
    made, fac, alice, bob, (a1, b1, a2, paper) = presenting()
    lane = perform("spotlight.set", fac, {"mode": "lane", "lane": "success_factor"}).reply["spotlight"]
    assert (lane["mode"], lane["lane"], lane["position"], lane["total"]) == ("lane", "success_factor", 2, 2)
    assert [i["id"] for i in lane["items"]] == [b1, a2]
    assert perform("spotlight.step", fac, {"delta": -1}).reply["spotlight"]["lane"] == "challenge"
    refused("spotlight_end", "spotlight.step", fac, {"delta": -1})
    refused("lane_unknown", "spotlight.set", fac, {"mode": "lane", "lane": "idea"})
    refused("spotlight_ordinal", "spotlight.set", fac, {"mode": "participant", "ordinal": 4})
    chosen = perform("spotlight.set", fac, {"mode": "participant", "ordinal": 2}).reply["spotlight"]
    assert [i["id"] for i in chosen["items"]] == [b1]
    assert perform("spotlight.clear", fac, {}).reply["spotlight"] is None
    assert snap(made)["spotlight"] is None


def test_hidden_items_are_never_spotlighted(app):
    made, fac, alice, bob, (a1, b1, a2, paper) = presenting()
    db.session.execute(update(Item).where(Item.id == a2).values(hidden=True))
    db.session.commit()
    spot = perform("spotlight.set", fac, {"mode": "participant", "ordinal": 1}).reply["spotlight"]
    assert [i["id"] for i in spot["items"]] == [a1]
    lane = perform("spotlight.set", fac, {"mode": "lane", "lane": "success_factor"}).reply["spotlight"]
    assert [i["id"] for i in lane["items"]] == [b1]


def test_the_spotlight_is_only_for_the_present_phase_and_leaving_it_clears_the_spotlight(app):
    made, fac, *_ = presenting()
    perform("spotlight.step", fac, {"delta": 1})
    change = phase(fac, "aggregate").changes[0]
    assert change.data["spotlight"] is None and db.session.get(Workshop, made.id).spotlight is None
    refused("spotlight_not_present", "spotlight.step", fac, {"delta": 1})


def test_participants_cannot_steer_the_spotlight(app):
    made, fac, alice, *_ = presenting()
    refused("not_allowed", "spotlight.step", alice, {"delta": 1}, Forbidden)
    with pytest.raises(ValidationError):
        perform("spotlight.step", fac, {"delta": 2})


# --- Concretise -------------------------------------------------------------------------------

def concretising(themes=2):
    made, fac = new_workshop()
    alice, _ = join(made, "buyer")
    bob, _ = join(made, "legal")
    submit(alice)
    ids = [theme(fac, f"Theme {n}") for n in range(themes)]
    phase(fac, "concretise")
    return made, fac, alice, bob, ids


def test_concretise_is_refused_with_no_themes(app):
    made, fac = new_workshop()
    alice, _ = join(made)
    submit(alice)
    error = refused("phase_no_themes_to_concretise", "phase.set", fac, {"phase": "concretise"})
    assert "themes" in error.message


def test_a_proposal_is_stored_once_per_client_id_and_every_screen_sees_it_without_its_author(app):
    made, fac, alice, bob, (t1, t2) = concretising()
    first = propose(alice, t1, client_id="proposal-0001")
    again = propose(alice, t1, client_id="proposal-0001")
    assert count(Proposal, workshop_id=made.id) == 1
    assert again.reply["duplicate"] is True and again.reply["proposal"]["id"] == first.reply["proposal"]["id"]
    assert again.changes == [] and first.reply["proposal"]["mine"] is True
    change = first.changes[0]
    assert change.type == "proposal.added"
    public = change.for_role("participant")["proposal"]
    assert public["type"] == "checklist" and public["who_needs"] == "New procurement officers"
    assert "perspective" not in public and "participant_id" not in public and "mine" not in public
    assert change.for_role("facilitator")["proposal"]["perspective"] == "buyer"
    with pytest.raises(DomainError) as info:  # another participant cannot claim the client id
        propose(bob, t1, client_id="proposal-0001")
    assert info.value.code == "client_id_taken"
    with app.test_request_context():
        phone = snapshots.snapshot(db.session.get(Workshop, made.id), "participant",
                               db.session.get(Participant, bob.participant_id), {})
    assert [(p["theme_id"], p["mine"]) for p in phone["proposals"]] == [(t1, False)]
    assert [p.id for p in state.proposals_of(made.id)] == [first.reply["proposal"]["id"]]


def test_proposals_validate_type_and_lengths(app):
    made, fac, alice, bob, (t1, t2) = concretising()
    for bad in ({"type": "poster"}, {"description": "x" * 281}, {"description": ""}, {"who_needs": "y" * 121}):
        payload = {"client_id": uuid.uuid4().hex, "theme_id": t1, "type": "guide",
                   "description": "A guide", "who_needs": "", **bad}
        with pytest.raises(ValidationError):
            perform("proposal.submit", alice, payload)
    assert count(Proposal, workshop_id=made.id) == 0


def test_proposals_are_for_the_top_themes_of_the_revealed_vote_otherwise_for_every_theme(app):
    made, fac, alice, bob, ids = concretising(themes=TOP_THEMES + 2)
    assert prop.proposal_themes(db.session.get(Workshop, made.id)) == ids  # nothing revealed: all, in order
    phase(fac, "prioritise")
    perform("ballot.set", alice, {"client_id": uuid.uuid4().hex, "allocation": {str(ids[-1]): 3, str(ids[-2]): 2}})
    perform("results.reveal", fac, {"revealed": True})
    top = prop.proposal_themes(db.session.get(Workshop, made.id))
    assert top[:2] == [ids[-1], ids[-2]]  # by rank
    # The rest tie at rank 3 (no dots): all tied at a rank within the top are included.
    assert set(top) == set(ids)
    perform("ballot.set", bob, {"client_id": uuid.uuid4().hex, "allocation": {
        str(ids[4]): 3, str(ids[3]): 1, str(ids[2]): 1}})
    phase(fac, "concretise")
    top = prop.proposal_themes(db.session.get(Workshop, made.id))
    # Scores 3, 3, 2, 1, 1, 0, 0: ranks 1, 1, 3, 4, 4, 6, 6; the two without dots fall out.
    assert top == [ids[4], ids[6], ids[5], ids[2], ids[3]]
    left_out = [t for t in ids if t not in top]
    assert left_out, "with the vote spread, some themes fall outside the top"
    error = refused("proposal_theme", "proposal.submit", alice, {
        "client_id": uuid.uuid4().hex, "theme_id": left_out[0], "type": "guide", "description": "A guide"})
    assert "top themes" in error.message


def test_own_proposals_are_editable_until_the_phase_closes_and_nobody_elses_are(app):
    made, fac, alice, bob, (t1, t2) = concretising()
    pid = propose(alice, t1).reply["proposal"]["id"]
    edited = perform("proposal.edit", alice, {"proposal_id": pid, "type": "template",
                                               "description": "A template for the needs statement",
                                               "who_needs": "Requesting departments"})
    assert edited.changes[0].type == "proposal.updated"
    stored = db.session.get(Proposal, pid)
    assert (stored.type, stored.description, stored.theme_id) == ("template", "A template for the needs statement", t1)
    refused("proposal_not_yours", "proposal.edit", bob, {"proposal_id": pid, "type": "guide", "description": "Mine now"})
    phase(fac, "advice")
    error = refused("phase_forbids", "proposal.edit", alice,
                    {"proposal_id": pid, "type": "guide", "description": "Too late"})
    assert "Concretise" in error.message
    refused("phase_forbids", "proposal.submit", alice, {"client_id": uuid.uuid4().hex, "theme_id": t1,
                                                       "type": "guide", "description": "Too late"})
    assert db.session.get(Proposal, pid).type == "template"


def test_withdrawing_ones_contributions_removes_ones_proposals(app):
    made, fac, alice, bob, (t1, t2) = concretising()
    pid = propose(alice, t1).reply["proposal"]["id"]
    propose(bob, t2)
    change = perform("contributions.withdraw", alice, {}).changes[0]
    assert change.data["proposal_ids"] == [pid]
    assert count(Proposal, workshop_id=made.id) == 1


# --- Advice -----------------------------------------------------------------------------------

def test_advice_is_editable_during_the_phase_and_refused_once_it_closes(app):
    made, fac = new_workshop()
    alice, _ = join(made)
    phase(fac, "advice")
    perform("advice.set", alice, {"client_id": uuid.uuid4().hex, "text": "Talk to users early"})
    perform("advice.set", alice, {"client_id": uuid.uuid4().hex, "text": "Talk to end users early"})
    phase(fac, "closed")
    error = refused("workshop_closed", "advice.set", alice, {"client_id": uuid.uuid4().hex, "text": "Later"})
    assert error.message
    phase(fac, "advice")  # revisited: editable again
    perform("advice.set", alice, {"client_id": uuid.uuid4().hex, "text": "Talk to end users early"})
    phase(fac, "prework")
    error = refused("phase_forbids", "advice.set", alice, {"client_id": uuid.uuid4().hex, "text": "Later"})
    assert "Advice phase" in error.message
    assert db.session.scalar(select(Advice.text).where(Advice.participant_id == alice.participant_id)) \
        == "Talk to end users early"
