"""Two things a screen must not get wrong after moderation or grouping, through
``operations.perform`` on SQLite and PostgreSQL:

- the console's pre-work counts follow every change that adds, hides, restores or withdraws an
  item, paper notes included, and are current again when the workshop goes back to pre-work;
- an item merged into a similar one stays on its author's phone, marked as part of that one (with
  its text and theme), can no longer be changed by its author, and stands alone again once
  unmerged: in the snapshot, in a reconnecting phone's catch-up and in what the author is sent live.
"""
from __future__ import annotations

from workshop.extensions import db
from workshop.models import Participant, Workshop
from workshop.operations import perform
from workshop.services import snapshots

from tests.integration.test_setup_moderation import join, made, refused, snap, submit


def console_prework(outcome) -> dict:
    return outcome.changes[0].for_role("facilitator")["prework"]


def test_the_console_prework_counts_follow_paper_notes_hiding_restoring_withdrawing_and_a_return(app):
    wid, code, fac = made()
    alice, bob = join(code, wid, "buyer"), join(code, wid, "supplier")
    first = submit(alice, text="Nobody owns the need")
    submit(alice, text="Requirements are copied")
    mine = submit(bob, text="Dialogue comes too late")
    paper = perform("item.add", fac, {"client_id": "paper-note-0001", "lane": "challenge", "text": "From a sticky note"})
    assert console_prework(paper)["paper"] == 1

    hidden = console_prework(perform("item.hide", fac, {"item_id": first["id"]}))
    assert hidden["items"] == 2 and hidden["by_perspective"]["buyer"] == {"participants": 1, "items": 1}
    restored = console_prework(perform("item.restore", fac, {"item_id": first["id"]}))
    assert restored["by_perspective"]["buyer"] == {"participants": 1, "items": 2}
    withdrawn = console_prework(perform("item.withdraw", bob, {"item_id": mine["id"]}))
    assert withdrawn["participants"] == 1 and "supplier" not in withdrawn["by_perspective"]
    # Neither a phone nor the projector is given the counts.
    again = perform("item.hide", fac, {"item_id": first["id"]}).changes[0]
    assert "prework" not in again.for_role("participant") and "prework" not in again.for_role("projector")

    # Items written meanwhile, in Collect, are counted once the workshop is back in pre-work.
    perform("phase.set", fac, {"phase": "collect"})
    submit(bob, text="Written during the live session")
    back = perform("phase.set", fac, {"phase": "prework"})
    assert console_prework(back) == snap(wid, "facilitator")["prework"]
    assert console_prework(back)["by_perspective"]["supplier"] == {"participants": 1, "items": 1}
    assert "prework" not in back.changes[0].for_role("participant")


def own(wid, participant_id) -> dict[int, dict]:
    return {i["id"]: i for i in snap(wid, "participant", participant_id)["items"] if i.get("mine")}


def test_an_item_merged_into_a_similar_one_stays_on_its_authors_phone_as_part_of_that_one(app):
    wid, code, fac = made()
    alice, bob = join(code, wid, "buyer"), join(code, wid, "supplier")
    keep = submit(bob, text="Nobody follows up the contracts")
    dup = submit(alice, text="Contracts are not followed up")
    perform("phase.set", fac, {"phase": "aggregate"})
    theme_id = perform("theme.create", fac, {"name": "Follow-up"}).reply["theme"]["id"]
    perform("item.assign", fac, {"item_id": keep["id"], "theme_id": theme_id})

    merged = perform("item.merge", fac, {"item_id": dup["id"], "into_id": keep["id"]})
    # The room sees the survivor once; the author hears personally that theirs is part of it.
    assert merged.changes[0].for_role("participant")["removed_item_ids"] == [dup["id"]]
    [told] = merged.personal
    assert told.participant_id == alice.participant_id and told.event == "item"
    expected = {"id": keep["id"], "text": "Nobody follows up the contracts", "theme_id": theme_id}
    assert told.data["item"]["merged_into"] == expected and told.data["item"]["mine"] is True
    assert "author" not in told.data["item"]["merged_into"]  # never who wrote the other one

    # After a reload and on a reconnect's catch-up, the same.
    assert own(wid, alice.participant_id)[dup["id"]]["merged_into"] == expected
    workshop = db.session.get(Workshop, wid)
    caught_up = snapshots.current(workshop, "participant", db.session.get(Participant, alice.participant_id))
    assert {i["id"]: i.get("merged_into") for i in caught_up["items"]} == {dup["id"]: expected}
    # Everyone else still sees it once, inside the survivor.
    assert dup["id"] not in {i["id"] for i in snap(wid, "participant", bob.participant_id)["items"]}
    assert dup["id"] not in {i["id"] for i in snap(wid, "projector")["items"]}
    # The group decided: the author can no longer change or take back that item alone.
    moved = perform("item.assign", fac, {"item_id": keep["id"], "theme_id": None})
    assert [p.data["item"]["merged_into"]["theme_id"] for p in moved.personal] == [None]  # told where it went
    refused("item_merged_own", "item.edit", alice, {"item_id": dup["id"], "text": "Changed"})
    refused("item_merged_own", "item.withdraw", alice, {"item_id": dup["id"]})

    # Unmerged, it stands alone again, everywhere.
    unmerged = perform("item.unmerge", fac, {"item_id": dup["id"]})
    assert dup["id"] in {i["id"] for i in unmerged.changes[0].for_role("participant")["items"]}
    assert unmerged.personal == []
    assert "merged_into" not in own(wid, alice.participant_id)[dup["id"]]
    perform("item.edit", alice, {"item_id": dup["id"], "text": "Contracts are never followed up"})


def test_a_merge_undone_and_redone_keeps_the_authors_phone_in_step(app):
    wid, code, fac = made()
    alice, bob = join(code, wid, "buyer"), join(code, wid, "supplier")
    keep = submit(bob, text="Users are asked too late")
    dup = submit(alice, text="End users come in too late")
    perform("phase.set", fac, {"phase": "aggregate"})
    perform("item.merge", fac, {"item_id": dup["id"], "into_id": keep["id"]})
    undone = perform("aggregation.undo", fac, {})
    assert undone.personal == [] and "merged_into" not in own(wid, alice.participant_id)[dup["id"]]
    perform("item.merge", fac, {"item_id": dup["id"], "into_id": keep["id"]})
    perform("item.unmerge", fac, {"item_id": dup["id"]})
    redone = perform("aggregation.undo", fac, {})  # undoing the unmerge merges it again
    assert [p.participant_id for p in redone.personal] == [alice.participant_id]
    assert redone.personal[0].data["item"]["merged_into"]["id"] == keep["id"]
    # A hidden survivor's text is not repeated on the phone.
    perform("item.hide", fac, {"item_id": keep["id"]})
    assert own(wid, alice.participant_id)[dup["id"]]["merged_into"] == {"id": keep["id"], "text": None,
                                                                      "theme_id": None}


def test_the_authors_of_merged_items_hear_when_the_item_they_belong_to_is_edited_hidden_or_restored(app):
    wid, code, fac = made()
    alice, bob, carl = join(code, wid, "buyer"), join(code, wid, "supplier"), join(code, wid, "legal")
    keep = submit(bob, text="Nobody follows up the contracts")
    dup = submit(alice, text="Contracts are not followed up")
    other = submit(carl, text="Follow-up is forgotten")
    perform("phase.set", fac, {"phase": "aggregate"})
    perform("item.merge", fac, {"item_id": dup["id"], "into_id": other["id"]})
    perform("item.merge", fac, {"item_id": other["id"], "into_id": keep["id"]})  # a chain: dup -> other -> keep

    edited = perform("item.edit", fac, {"item_id": keep["id"], "text": "Contracts are never followed up"})
    told = {p.participant_id: p.data["item"] for p in edited.personal}
    # Both authors whose items now belong to the edited one see its new text, live and after a reload.
    assert {told[alice.participant_id]["id"], told[carl.participant_id]["id"]} == {dup["id"], other["id"]}
    for who, item_id in ((alice, dup["id"]), (carl, other["id"])):
        assert told[who.participant_id]["merged_into"]["text"] == "Contracts are never followed up"
        assert own(wid, who.participant_id)[item_id]["merged_into"] == told[who.participant_id]["merged_into"]
    assert bob.participant_id in told  # the edited item's own author, as before

    hidden = perform("item.hide", fac, {"item_id": keep["id"]})
    assert {p.participant_id: p.data["item"]["merged_into"]["text"] for p in hidden.personal} == \
        {alice.participant_id: None, carl.participant_id: None}
    restored = perform("item.restore", fac, {"item_id": keep["id"]})
    texts = {p.participant_id: p.data["item"].get("merged_into", {}).get("text") for p in restored.personal}
    assert texts[alice.participant_id] == texts[carl.participant_id] == "Contracts are never followed up"
