"""Withdrawal and anonymisation leave nothing behind: not in any table, history entry, kept guide
file, log line or snapshot, nor on a screen that was connected at the time.

A real flow through ``operations.perform`` and the JSON API on SQLite and PostgreSQL: a participant
writes items carrying a unique marker, the facilitator groups them, merges one of them into
another participant's item and the other way round, unmerges and merges again, edits one, the
participant votes, proposes, advises and comments on the draft, the guide is downloaded in every
kept format; then the participant withdraws. Every column of every table is searched for the
marker afterwards (binaries decoded: DOCX and XLSX are zips of XML, a PDF's text is extracted), as
are every role's snapshot and the captured log. The screens connected before the withdrawal are
brought up to date by the browser's own reducer (static/js/live-state.js, run by Node) from the
published change and personal updates, and must match a fresh snapshot.
"""
from __future__ import annotations

import copy
import io
import json
import logging
import uuid
import zipfile

import pytest
from sqlalchemy import select

from tests.integration.test_services import count, join, new_workshop, submit, theme
from tests.reducer import replay
from workshop.domain.errors import DomainError
from workshop.extensions import db
from workshop.models import AggregationStep, Item, ItemRevision, Participant, RenderedGuide, Workshop
from workshop.operations import join as join_code
from workshop.operations import perform
from workshop.services import privacy, snapshots
from workshop.services.outcome import audience
from workshop.services import workshops as ws
from workshop.services import founding

KEPT = ("pdf", "docx", "xlsx")


def marker(kind: str = "marker") -> str:
    return f"ZQX-{kind}-{uuid.uuid4().hex[:12]}"


# --- Searching everything ---------------------------------------------------------------------

def file_texts(content: bytes) -> list[str]:
    """What a kept file says: its bytes, the XML of a DOCX or XLSX, the text of a PDF."""
    texts = [content.decode("utf-8", "ignore")]
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            texts += [archive.read(name).decode("utf-8", "ignore") for name in archive.namelist()]
    elif content[:4] == b"%PDF":
        import pypdfium2

        document = pypdfium2.PdfDocument(content)
        try:
            text = "".join(page.get_textpage().get_text_range() for page in document)
        finally:
            document.close()
        texts.append("".join(text.split()))  # a line break must not hide a word
    return texts


def found_in_database(*needles: str) -> set[str]:
    """``table.column`` of every value, in every table of the schema, that holds a needle."""
    db.session.expire_all()
    found = set()
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)).mappings():
            for column, value in row.items():
                if value is None:
                    continue
                if isinstance(value, (bytes, bytearray, memoryview)):
                    texts = file_texts(bytes(value))
                elif isinstance(value, (dict, list)):
                    texts = [json.dumps(value, ensure_ascii=False)]
                else:
                    texts = [str(value)]
                if any(needle in text for needle in needles for text in texts):
                    found.add(f"{table.name}.{column}")
    db.session.rollback()
    return found


def holds(value, *needles: str) -> bool:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return any(needle in text for needle in needles)


def log_holds(caplog, *needles: str) -> bool:
    lines = [caplog.text] + [str(record.__dict__) for record in caplog.records]
    return any(needle in line for needle in needles for line in lines)


def download(client, code: str, token: str, fmt: str) -> bytes:
    response = client.get(f"/api/workshops/{code}/guide.{fmt}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.data


# --- The screens' own reducer ------------------------------------------------------------------

@pytest.fixture
def reducer():
    """The browser's reducer (tests/reducer.py runs static/js/live-state.js under Node) on a
    snapshot and the messages a screen receives after it."""
    def reduce(snapshot: dict, messages: list[tuple[str, dict]]) -> dict:
        return replay([("snapshot", snapshot), *messages])
    return reduce


def received(outcome, role: str, participant_id: int | None = None) -> list[tuple[str, dict]]:
    """What a screen of ``role`` is sent for this outcome: its change, then its personal updates."""
    messages = []
    for change in outcome.changes:
        if role in audience(change.type):
            messages.append(("change", {"type": change.type, "data": change.for_role(role),
                                        "version": outcome.stamp.version, "seq": outcome.stamp.seq_for(role)}))
    messages += [(p.event, p.data) for p in outcome.personal if p.participant_id == participant_id]
    return messages


def snapshot(workshop_id: int, role: str, participant_id: int | None = None) -> dict:
    db.session.expire_all()
    workshop = db.session.get(Workshop, workshop_id)
    participant = db.session.get(Participant, participant_id) if participant_id else None
    return copy.deepcopy(snapshots.snapshot(workshop, role, participant, {}))


def shown(state: dict) -> dict:
    """What a screen shows of its items: text, theme, what is merged into each, what each is in."""
    items = {}
    for item in state["items"]:
        items[item["id"]] = (item["text"], item["theme_id"], bool(item.get("hidden")),
                             sorted((m["id"], m["text"]) for m in item.get("merged", [])),
                             (item.get("merged_into") or {}).get("text"))
    return items


# --- The workshop ------------------------------------------------------------------------------

def a_full_workshop(client, mark: str, name: str):
    """Alice (the one who will withdraw), Bob and Carol, through every phase of the method."""
    made, fac = new_workshop()
    alice, _ = join(made, "buyer", name=name)
    bob, _ = join(made, "supplier", name="Bob")
    carol, _ = join(made, "legal")
    perform("phase.set", fac, {"phase": "collect"})
    ids = {}
    for key, who, text in (("a1", alice, f"{mark} tenders are slow"), ("a2", alice, f"{mark} no market dialogue"),
                           ("a3", alice, f"{mark} nobody owns the need"), ("b1", bob, "Tenders take too long"),
                           ("b2", bob, "We never talk to the market"), ("c1", carol, "No dialogue with suppliers")):
        ids[key] = submit(who, text).reply["item"]["id"]
    perform("phase.set", fac, {"phase": "aggregate"})
    speed, dialogue = theme(fac, "Speed"), theme(fac, "Dialogue")
    perform("items.move", fac, {"item_ids": [ids["a1"], ids["b1"], ids["a3"]], "theme_id": speed})
    perform("items.move", fac, {"item_ids": [ids["a2"], ids["b2"], ids["c1"]], "theme_id": dialogue})
    perform("item.merge", fac, {"item_id": ids["a1"], "into_id": ids["b1"]})  # Alice's into Bob's
    perform("item.unmerge", fac, {"item_id": ids["a1"]})
    perform("item.merge", fac, {"item_id": ids["a1"], "into_id": ids["b1"]})
    perform("item.merge", fac, {"item_id": ids["c1"], "into_id": ids["b2"]})  # Carol's into Bob's,
    perform("item.merge", fac, {"item_id": ids["b2"], "into_id": ids["a2"]})  # and Bob's into Alice's
    perform("item.edit", fac, {"item_id": ids["a3"], "text": f"{mark} the need has no owner"})
    perform("phase.set", fac, {"phase": "prioritise"})
    perform("ballot.set", alice, {"client_id": uuid.uuid4().hex, "allocation": {str(speed): 3}})
    perform("ballot.set", bob, {"client_id": uuid.uuid4().hex, "allocation": {str(dialogue): 2}})
    perform("results.reveal", fac, {"revealed": True})
    perform("phase.set", fac, {"phase": "concretise"})
    for who, text in ((alice, f"{mark} a checklist"), (bob, "A template for dialogue")):
        perform("proposal.submit", who, {"client_id": uuid.uuid4().hex, "theme_id": speed, "type": "checklist",
                                         "description": text, "who_needs": f"{mark} buyers" if who is alice else ""})
    perform("phase.set", fac, {"phase": "advice"})
    perform("advice.set", alice, {"client_id": uuid.uuid4().hex, "text": f"{mark} start early"})
    perform("advice.set", bob, {"client_id": uuid.uuid4().hex, "text": "Ask the market"})
    perform("review.open", fac, {"open": True})
    perform("comment.submit", alice, {"client_id": uuid.uuid4().hex, "text": f"{mark} split Speed", "theme_id": speed})
    perform("comment.submit", bob, {"client_id": uuid.uuid4().hex, "text": "Looks right", "theme_id": None})
    for fmt in KEPT:
        download(client, made.code, made.facilitator_token, fmt)
    return made, fac, alice, bob, carol, ids


# --- Withdrawal --------------------------------------------------------------------------------

def test_a_withdrawal_leaves_no_text_or_name_anywhere_and_every_screen_converges_without_it(app, client, caplog,
                                                                                              reducer):
    caplog.set_level(logging.DEBUG)
    mark, name = marker(), marker("name")
    with app.test_request_context():
        made, fac, alice, bob, carol, ids = a_full_workshop(client, mark, name)
        # The search finds what is there: the texts in every place they are kept, the name.
        assert count(RenderedGuide, workshop_id=made.id) == len(KEPT)
        assert {"items.text", "item_revisions.text", "aggregation_steps.detail", "advice.text",
                "proposals.description", "proposals.who_needs", "guide_comments.text", "participants.name",
                "rendered_guides.content"} <= found_in_database(mark, name)
        kept = {fmt: db.session.scalar(select(RenderedGuide.content).where(
            RenderedGuide.workshop_id == made.id, RenderedGuide.format == fmt)) for fmt in KEPT}
        assert all(any(mark in text for text in file_texts(content)) for content in kept.values())
        screens = {"console": ("facilitator", None), "projector": ("projector", None),
                   "bob": ("participant", bob.participant_id), "carol": ("participant", carol.participant_id)}
        before = {screen: snapshot(made.id, role, pid) for screen, (role, pid) in screens.items()}
        assert holds(before["console"], mark) and holds(before["carol"], mark)  # c1 is in Alice's a2

        outcome = perform("contributions.withdraw", alice, {})

        assert outcome.reply["withdrawn"] == {"items": 3, "advice": 1}
        assert not holds(outcome.reply, mark, name)
        assert not found_in_database(mark, name)
        assert count(ItemRevision) == 0 and count(RenderedGuide, workshop_id=made.id) == 0
        # Every screen connected at the time ends up where a fresh snapshot is, without the text.
        for screen, (role, pid) in screens.items():
            live = reducer(before[screen], received(outcome, role, pid))
            fresh = snapshot(made.id, role, pid)
            assert not holds(live, mark, name), screen
            assert not holds(fresh, mark, name), screen
            assert shown(live) == shown(fresh), screen
            for key in ("aggregation", "moderation", "advice", "proposals", "spotlight", "round_results"):
                if key in fresh:
                    assert live.get(key) == fresh[key], (screen, key)
            if role == "facilitator":
                assert live["review"]["comments"] == fresh["review"]["comments"]
        # Bob's item that was merged into Alice's stands alone again, Carol's now belongs to it.
        fresh = snapshot(made.id, "participant", carol.participant_id)
        mine = next(item for item in fresh["items"] if item["id"] == ids["c1"])
        assert mine["merged_into"]["id"] == ids["b2"]
        assert db.session.get(Item, ids["b2"]).merged_into_id is None
        # The history still says what the facilitator did, with "(withdrawn)" for Alice's texts.
        details = [step.detail for step in db.session.scalars(select(AggregationStep).where(
            AggregationStep.workshop_id == made.id, AggregationStep.kind == "item.merge").order_by(AggregationStep.id))]
        assert [(d["item"], d["into"]) for d in details] == [
            ("(withdrawn)", "Tenders take too long"), ("(withdrawn)", "Tenders take too long"),
            ("No dialogue with suppliers", "We never talk to the market"), ("We never talk to the market", "(withdrawn)")]

        # Undo goes on working through the scrubbed steps, and never brings anything back.
        first = perform("aggregation.undo", fac, {"step_id": None})
        assert first.reply["undone"]["kind"] == "item.merge"
        for _ in range(10):
            try:
                perform("aggregation.undo", fac, {"step_id": None})
            except DomainError as error:
                assert error.code in ("nothing_to_undo", "undo_conflict", "undo_votes"), error.code
                break
        assert count(Item, workshop_id=made.id) == 3
        assert not found_in_database(mark, name)
        for role, pid in screens.values():
            assert not holds(snapshot(made.id, role, pid), mark, name)

        # A new download is made from what is left, and kept again without the text.
        for fmt in KEPT:
            assert not any(mark in text for text in file_texts(download(client, made.code, made.facilitator_token, fmt)))
        assert count(RenderedGuide, workshop_id=made.id) == len(KEPT)
        assert not found_in_database(mark, name)
    assert not log_holds(caplog, mark, name)


def test_withdrawing_one_item_scrubs_the_history_and_frees_what_was_merged_into_it(app, reducer, caplog):
    caplog.set_level(logging.DEBUG)
    mark = marker()
    with app.test_request_context():
        made, fac = new_workshop()
        perform("phase.set", fac, {"phase": "collect"})
        alice, _ = join(made, "buyer")
        bob, _ = join(made, "supplier")
        mine = submit(alice, f"{mark} an ungrouped item").reply["item"]["id"]
        other = submit(bob, "Bob's duplicate").reply["item"]["id"]
        perform("phase.set", fac, {"phase": "aggregate"})
        perform("item.merge", fac, {"item_id": other, "into_id": mine})  # still ungrouped: Alice may withdraw it
        console = snapshot(made.id, "facilitator")
        assert holds(console, mark) and "aggregation_steps.detail" in found_in_database(mark)

        outcome = perform("item.withdraw", alice, {"item_id": mine})

        assert not found_in_database(mark)
        live, fresh = reducer(console, received(outcome, "facilitator")), snapshot(made.id, "facilitator")
        assert not holds(live, mark) and shown(live) == shown(fresh) and live["aggregation"] == fresh["aggregation"]
        assert [i["id"] for i in fresh["items"]] == [other]  # Bob's item stands alone again
        undone = perform("aggregation.undo", fac, {"step_id": None})  # the merge of an item that is gone
        assert undone.reply["undone"]["detail"]["into"] == "(withdrawn)"
        assert db.session.get(Item, other).merged_into_id is None and not found_in_database(mark)
    assert not log_holds(caplog, mark)


def test_a_spotlighted_participant_withdraws_and_no_screen_keeps_their_words(app, reducer):
    mark = marker()
    with app.test_request_context():
        made, fac = new_workshop()
        perform("phase.set", fac, {"phase": "collect"})
        alice, _ = join(made, "buyer")
        submit(alice, f"{mark} spotlighted")
        perform("phase.set", fac, {"phase": "present"})
        perform("spotlight.set", fac, {"mode": "participant", "ordinal": 1})
        before = {role: snapshot(made.id, role) for role in ("facilitator", "projector")}
        assert all(holds(view["spotlight"], mark) for view in before.values())
        outcome = perform("contributions.withdraw", alice, {})
        for role, view in before.items():
            live = reducer(view, received(outcome, role))
            assert not holds(live, mark) and live["spotlight"] == snapshot(made.id, role)["spotlight"]


# --- Anonymisation -----------------------------------------------------------------------------

def test_anonymisation_leaves_no_name_anywhere(app, client, caplog):
    """Anonymisation promises the names, the organiser, the device links and the receipts go
    (docs/privacy.md); the contributions stay, unattributable."""
    caplog.set_level(logging.DEBUG)
    names = [marker("name") for _ in range(3)]
    organiser = marker("organiser")
    with app.test_request_context():
        created = founding.create_workshop("How do we buy better?", "en", "think-tank", organiser, anonymity="named")
        code, token, wid = created.workshop.code, created.facilitator_token, created.workshop.id
        fac = ws.Identity("facilitator", wid)
        perform("phase.set", fac, {"phase": "collect"})
        people = []
        for n, name in enumerate(names[:2]):
            joined, _ = join_code(code, {"perspective": "buyer", "name": name})
            who = ws.Identity("participant", wid, joined["id"])
            people.append(who)
            submit(who, f"Item {n}")
        perform("phase.set", fac, {"phase": "aggregate"})
        speed = theme(fac, "Speed")
        first, second = db.session.scalars(select(Item.id).where(Item.workshop_id == wid).order_by(Item.id))
        perform("items.move", fac, {"item_ids": [first, second], "theme_id": speed})
        perform("item.merge", fac, {"item_id": second, "into_id": first})
        perform("phase.set", fac, {"phase": "prioritise"})
        perform("ballot.paper", fac, {"client_id": uuid.uuid4().hex, "label": names[2], "allocation": {str(speed): 1}})
        for fmt in KEPT:
            download(client, code, token, fmt)
        found = found_in_database(*names, organiser)
        assert {"participants.name", "workshops.organiser", "rendered_guides.content"} <= found
        assert holds(snapshot(wid, "facilitator"), *names)

        privacy.anonymise(wid)

        assert not found_in_database(*names, organiser)
        assert count(Item, workshop_id=wid) == 2  # the result stays
        for role, pid in (("facilitator", None), ("projector", None), ("participant", people[0].participant_id)):
            assert not holds(snapshot(wid, role, pid), *names, organiser)
        for fmt in KEPT:
            assert not any(needle in text for text in file_texts(download(client, code, token, fmt))
                           for needle in (*names, organiser))
        assert not found_in_database(*names, organiser)
    assert not log_holds(caplog, *names, organiser)
