"""The validation round that matters: participants agree or disagree with each theme of the draft
(one answer per participant and theme, the last one standing), the console sees the counts and
marks what was done with each comment, and the guide carries a validation section, read back from
Markdown, DOCX, JSON and XLSX. Withdrawal takes a participant's answers with it. On SQLite and
PostgreSQL."""
from __future__ import annotations

import io
import json
import uuid

import pytest
from docx import Document
from marshmallow import ValidationError
from openpyxl import load_workbook

from workshop.domain.errors import DomainError, Forbidden
from workshop.domain.guide import build_guide
from workshop.extensions import db
from workshop.models import Participant, ReviewResponse, Workshop
from workshop.operations import perform
from workshop.services import review, snapshots
from workshop.services import workshops as ws
from workshop.services import founding
from workshop.services.outcome import audience
from workshop.services.state import load_state

from tests.integration.test_setup_moderation import join, submit
from tests.integration.test_statements_everywhere import download


def build():
    created = founding.create_workshop("How do we buy better?", "en", "think-tank", None, None)
    wid, code = created.workshop.id, created.workshop.code
    fac = ws.Identity("facilitator", wid)
    alice, bob, carl = join(code, wid, "buyer"), join(code, wid, "supplier"), join(code, wid, "requester")
    owner, late = submit(alice, text="Nobody owns the need"), submit(bob, text="Users come in too late")
    perform("phase.set", fac, {"phase": "aggregate"})
    themes = {name: perform("theme.create", fac, {"name": name}).reply["theme"]["id"] for name in ("Ownership", "Timing")}
    perform("item.assign", fac, {"item_id": owner["id"], "theme_id": themes["Ownership"]})
    perform("item.assign", fac, {"item_id": late["id"], "theme_id": themes["Timing"]})
    return created, fac, (alice, bob, carl), themes


def respond(who, theme_id, stance):
    return perform("review.respond", who, {"theme_id": theme_id, "stance": stance})


def console(workshop_id):
    return snapshots.snapshot(db.session.get(Workshop, workshop_id), "facilitator", None, {})["review"]


def test_answers_need_an_open_draft_and_the_last_one_stands_once_per_theme(app):
    created, fac, (alice, bob, _), themes = build()
    wid = created.workshop.id
    with pytest.raises(DomainError) as info:
        respond(alice, themes["Ownership"], "agree")
    assert info.value.code == "review_not_open"
    perform("review.open", fac, {"open": True})
    first = respond(alice, themes["Ownership"], "agree")
    assert first.changes[0].type == "review.responded" and audience("review.responded") == ("facilitator",)
    again = respond(alice, themes["Ownership"], "agree")
    assert again.reply["duplicate"] is True and again.version is None and not again.changes
    respond(alice, themes["Ownership"], "disagree")  # a change of mind replaces the answer
    respond(bob, themes["Ownership"], "agree")
    respond(bob, themes["Timing"], "agree")
    assert db.session.query(ReviewResponse).filter_by(workshop_id=wid).count() == 3
    assert console(wid)["responses"] == [
        {"theme_id": themes["Ownership"], "agree": 1, "disagree": 1},
        {"theme_id": themes["Timing"], "agree": 1, "disagree": 0}]
    phone = snapshots.snapshot(db.session.get(Workshop, wid), "participant",
                           db.session.get(Participant, alice.participant_id), {})["review"]
    assert phone["my_responses"] == [{"theme_id": themes["Ownership"], "stance": "disagree"}]
    assert "responses" not in phone
    before = db.session.scalar(db.select(Workshop.version).where(Workshop.id == wid))
    for payload in ({"theme_id": themes["Timing"], "stance": "maybe"}, {"theme_id": themes["Timing"]},
                    {"theme_id": "1", "stance": "agree"}):
        with pytest.raises(ValidationError):
            perform("review.respond", alice, payload)
    other = founding.create_workshop("Other", "en", "think-tank", None, None)
    foreign = perform("theme.create", ws.Identity("facilitator", other.workshop.id), {"name": "Not yours"})
    with pytest.raises(DomainError) as info:
        respond(alice, foreign.reply["theme"]["id"], "agree")
    assert info.value.code == "theme_not_found"
    with pytest.raises(Forbidden):
        perform("review.respond", fac, {"theme_id": themes["Timing"], "stance": "agree"})
    assert db.session.scalar(db.select(Workshop.version).where(Workshop.id == wid)) == before


def test_only_runners_mark_what_was_done_with_a_comment(app):
    created, fac, (alice, _, _), themes = build()
    perform("review.open", fac, {"open": True})
    made = perform("comment.submit", alice, {"client_id": uuid.uuid4().hex, "text": "Split it", "theme_id": themes["Timing"]})
    cid = made.reply["comment"]["id"]
    assert made.reply["comment"]["handling"] is None
    with pytest.raises(Forbidden):
        perform("comment.handle", alice, {"comment_id": cid, "handling": "accepted"})
    with pytest.raises(ValidationError):
        perform("comment.handle", fac, {"comment_id": cid, "handling": "ignored"})
    handled = perform("comment.handle", fac, {"comment_id": cid, "handling": "changed"})
    assert handled.changes[0].type == "comment.handled" and audience("comment.handled") == ("facilitator",)
    assert [c["handling"] for c in console(created.workshop.id)["comments"]] == ["changed"]
    with pytest.raises(DomainError) as info:
        perform("comment.handle", fac, {"comment_id": cid + 1000, "handling": "noted"})
    assert info.value.code == "comment_not_found"


def test_the_guide_has_no_validation_section_until_someone_reviews(app, client):
    created, fac, _, _ = build()
    perform("review.open", fac, {"open": True})
    assert build_guide(load_state(db.session.get(Workshop, created.workshop.id))).validation is None
    markdown = download(client, created.workshop.code, created.facilitator_token, "md").decode()
    assert "Validation" not in markdown
    assert "validation" not in json.loads(download(client, created.workshop.code, created.facilitator_token, "json"))
    book = load_workbook(io.BytesIO(download(client, created.workshop.code, created.facilitator_token, "xlsx")))
    assert "Validation" not in book.sheetnames


def test_the_validation_section_reads_back_from_every_format(app, client):
    created, fac, (alice, bob, carl), themes = build()
    code, token = created.workshop.code, created.facilitator_token
    perform("review.open", fac, {"open": True})
    respond(alice, themes["Ownership"], "agree")
    respond(bob, themes["Ownership"], "agree")
    respond(carl, themes["Ownership"], "disagree")
    respond(alice, themes["Timing"], "disagree")
    made = perform("comment.submit", bob, {"client_id": uuid.uuid4().hex, "text": "Timing is two needs",
                                          "theme_id": themes["Timing"]})
    perform("comment.submit", carl, {"client_id": uuid.uuid4().hex, "text": "Add the users", "theme_id": None})
    perform("comment.handle", fac, {"comment_id": made.reply["comment"]["id"], "handling": "accepted"})

    guide = build_guide(load_state(db.session.get(Workshop, created.workshop.id)))
    assert guide.validation.reviewed == 3
    assert [(t.theme_name, t.agree, t.disagree) for t in guide.validation.themes] == [("Ownership", 2, 1), ("Timing", 0, 1)]

    markdown = download(client, code, token, "md").decode()
    assert "## Validation by the participants" in markdown and "3 participants reviewed the draft guide." in markdown
    assert "| Ownership | 2 | 1 | 67% |" in markdown and "| Timing | 0 | 1 | 0% |" in markdown
    assert "| Timing | Timing is two needs | Accepted |" in markdown
    assert "| The whole guide | Add the users | Not yet handled |" in markdown

    document = Document(io.BytesIO(download(client, code, token, "docx")))
    tables = {tuple(c.text for c in t.rows[0].cells): [[c.text for c in r.cells] for r in t.rows[1:]]
              for t in document.tables}
    assert tables[("Theme", "Agree", "Disagree", "Share agreeing")] == [["Ownership", "2", "1", "67%"],
                                                                       ["Timing", "0", "1", "0%"]]
    assert tables[("Theme", "Comment", "Handling")] == [["Timing", "Timing is two needs", "Accepted"],
                                                        ["The whole guide", "Add the users", "Not yet handled"]]
    assert "Validation by the participants" in [p.text for p in document.paragraphs]

    section = json.loads(download(client, code, token, "json"))["validation"]
    assert section["reviewed"] == 3
    assert [(t["theme"], t["agree"], t["disagree"], t["share"]) for t in section["themes"]] == [
        ("Ownership", 2, 1, 0.6667), ("Timing", 0, 1, 0.0)]
    assert [(c["theme"], c["text"], c["handling"]) for c in section["comments"]] == [
        ("Timing", "Timing is two needs", "accepted"), (None, "Add the users", None)]

    rows = list(load_workbook(io.BytesIO(download(client, code, token, "xlsx")))["Validation"].iter_rows(values_only=True))
    assert rows[1][:2] == ("Participants who reviewed", 3)
    assert rows[3:6] == [("Theme", "Agree", "Disagree", "Share agreeing"), ("Ownership", 2, 1, 0.6667),
                         ("Timing", 0, 1, 0)]
    assert ("Timing", "Timing is two needs", "Accepted", None) in rows

    html = download(client, code, token, "html").decode()
    assert 'id="validation"' in html and "Timing is two needs" in html


def test_withdrawal_takes_a_participants_answers_and_the_console_hears_the_new_counts(app):
    created, fac, (alice, bob, _), themes = build()
    perform("review.open", fac, {"open": True})
    respond(alice, themes["Ownership"], "agree")
    respond(bob, themes["Ownership"], "disagree")
    gone = perform("contributions.withdraw", alice, {})
    assert db.session.query(ReviewResponse).filter_by(participant_id=alice.participant_id).count() == 0
    counts = [{"theme_id": themes["Ownership"], "agree": 0, "disagree": 1}]
    assert gone.changes[0].facilitator_data["review_responses"] == counts
    assert console(created.workshop.id)["responses"] == counts
