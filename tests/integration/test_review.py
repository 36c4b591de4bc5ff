"""The validation round: the facilitator opens the draft guide, phones comment, the console reads
the comments, and finalising closes the round and the workshop. On SQLite and PostgreSQL."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from workshop.domain.errors import DomainError, Forbidden
from workshop.extensions import db
from workshop.models import GuideComment, Item, Participant, Workshop
from workshop.operations import perform
from workshop.services import review, snapshots
from workshop.services.outcome import audience

from .test_services import count, join, new_workshop, refused, submit, theme, version


def comment(who, text="The second theme is really two needs.", theme_id=None, client_id=None):
    return perform("comment.submit", who, {"client_id": client_id or uuid.uuid4().hex, "text": text,
                                           "theme_id": theme_id})


def a_grouped_workshop():
    created, fac = new_workshop()
    alice, _ = join(created, "buyer", "Alice Svensson")
    submit(alice, "Nobody owns the need")
    perform("phase.set", fac, {"phase": "aggregate"})
    theme_id = theme(fac, "Ownership")
    item = db.session.scalar(select(Item).where(Item.workshop_id == created.id))
    perform("item.assign", fac, {"item_id": item.id, "theme_id": theme_id})
    return created, fac, alice, theme_id


def test_comments_are_refused_until_the_facilitator_opens_the_draft(app):
    created, fac, alice, _ = a_grouped_workshop()
    error = refused("review_not_open", "comment.submit", alice,
                    {"client_id": uuid.uuid4().hex, "text": "Too early", "theme_id": None})
    assert "not open" in str(error)
    with pytest.raises(DomainError) as info:  # nor may a phone read the draft before then
        review.draft(alice)
    assert info.value.code == "review_not_open"
    assert count(GuideComment, workshop_id=created.id) == 0


def test_an_open_draft_takes_each_comment_once_and_the_console_lists_them_without_authors(app):
    created, fac, alice, theme_id = a_grouped_workshop()
    opened = perform("review.open", fac, {"open": True})
    assert opened.reply["review"]["open"] is True and opened.changes[0].type == "review.changed"
    first = comment(alice, "Split this theme in two.", theme_id, client_id="comment-0001")
    again = comment(alice, "Split this theme in two.", theme_id, client_id="comment-0001")
    assert again.reply["duplicate"] is True and again.version is None
    assert again.reply["comment"]["id"] == first.reply["comment"]["id"]
    assert count(GuideComment, workshop_id=created.id) == 1
    bob, _ = join(created, "supplier")
    with pytest.raises(DomainError) as info:  # a client id is its sender's alone
        comment(bob, "Mine now", client_id="comment-0001")
    assert info.value.code == "client_id_taken"

    workshop = db.session.get(Workshop, created.id)
    console = snapshots.snapshot(workshop, "facilitator", None, {})["review"]
    assert [(c["text"], c["theme"]) for c in console["comments"]] == [("Split this theme in two.", "Ownership")]
    assert not {"participant_id", "name", "perspective"} & set(console["comments"][0])
    projector = snapshots.snapshot(workshop, "projector", None, {})["review"]
    assert projector == {k: console[k] for k in ("open", "finalised", "opened_at", "finalised_at")}
    phone = snapshots.snapshot(workshop, "participant", db.session.get(Participant, alice.participant_id), {})
    assert [c["text"] for c in phone["review"]["mine"]] == ["Split this theme in two."]
    bobs = snapshots.snapshot(workshop, "participant", db.session.get(Participant, bob.participant_id), {})
    assert bobs["review"]["mine"] == []
    # The console alone hears of a comment.
    assert audience(first.changes[0].type) == ("facilitator",)


def test_the_phone_draft_shows_the_guide_but_no_scores_before_the_reveal(app):
    created, fac, alice, theme_id = a_grouped_workshop()
    perform("phase.set", fac, {"phase": "prioritise"})
    perform("ballot.set", alice, {"client_id": uuid.uuid4().hex, "allocation": {str(theme_id): 2}})
    perform("review.open", fac, {"open": True})
    hidden = review.draft(alice)["draft"]
    assert [(t["name"], t["items"]) for t in hidden["themes"]] == [
        ("Ownership", [{"text": "Nobody owns the need", "mentions": 1}])]  # no perspectives on an anonymous phone
    assert "score" not in hidden["themes"][0] and hidden["voters"] is None
    perform("results.reveal", fac, {"revealed": True})
    shown = review.draft(alice)["draft"]
    assert (shown["themes"][0]["score"], shown["themes"][0]["rank"], shown["voters"]) == (2, 1, 1)


def test_a_comment_on_another_workshops_theme_or_bad_input_changes_nothing(app):
    created, fac, alice, _ = a_grouped_workshop()
    other, other_fac = new_workshop()
    foreign = theme(other_fac, "Not yours")
    perform("review.open", fac, {"open": True})
    refused("theme_not_found", "comment.submit", alice, {"client_id": uuid.uuid4().hex, "text": "x",
                                                         "theme_id": foreign})
    from marshmallow import ValidationError
    for payload in ({"client_id": uuid.uuid4().hex, "text": ""},
                    {"client_id": uuid.uuid4().hex, "text": "x" * 501},
                    {"client_id": "bad", "text": "fine"}):
        before = version(created.id)
        with pytest.raises(ValidationError):
            perform("comment.submit", alice, payload)
        assert version(created.id) == before
    with pytest.raises(Forbidden):  # the console does not comment, a phone does not open the round
        perform("comment.submit", fac, {"client_id": uuid.uuid4().hex, "text": "x"})
    with pytest.raises(Forbidden):
        perform("review.open", alice, {"open": True})
    assert count(GuideComment, workshop_id=created.id) == 0


def test_closing_the_round_stops_comments_and_finalising_closes_the_workshop(app):
    created, fac, alice, _ = a_grouped_workshop()
    perform("review.open", fac, {"open": True})
    comment(alice, "Kept after closing")
    perform("review.open", fac, {"open": False})
    refused("review_not_open", "comment.submit", alice, {"client_id": uuid.uuid4().hex, "text": "Late"})
    perform("review.open", fac, {"open": True})
    final = perform("review.finalise", fac, {})
    assert final.reply["phase"] == "closed" and final.reply["review"]["finalised"] is True
    workshop = db.session.get(Workshop, created.id)
    assert workshop.phase == "closed" and workshop.closed_at is not None
    refused("review_finalised", "comment.submit", alice, {"client_id": uuid.uuid4().hex, "text": "After"})
    refused("review_finalised", "review.open", fac, {"open": True})
    refused("review_finalised", "review.finalise", fac, {})
    assert [c["text"] for c in review.comments_of(created.id)] == ["Kept after closing"]


def test_withdrawing_ones_contributions_takes_ones_comments_too(app):
    created, fac, alice, _ = a_grouped_workshop()
    bob, _ = join(created, "supplier")
    perform("review.open", fac, {"open": True})
    comment(alice, "Alice's comment")
    comment(bob, "Bob's comment")
    perform("contributions.withdraw", alice, {})
    assert [c["text"] for c in review.comments_of(created.id)] == ["Bob's comment"]


def test_the_review_api_follows_the_same_rules(client):
    created = client.post("/api/workshops", json={"question": "How do we buy better?", "language": "sv"}).get_json()
    code, fac = created["code"], {"Authorization": f"Bearer {created['facilitator_token']}"}
    person = client.post(f"/api/workshops/{code}/participants", json={"perspective": "buyer"}).get_json()
    phone = {"Authorization": f"Bearer {person['token']}", "Accept-Language": "sv"}
    closed = client.get(f"/api/workshops/{code}/review", headers=phone)
    assert closed.status_code == 409 and closed.get_json()["error"]["code"] == "review_not_open"
    assert "inte öppet" in closed.get_json()["error"]["message"]  # in the phone's language
    assert client.put(f"/api/workshops/{code}/review", json={"open": True}, headers=fac).status_code == 200
    draft = client.get(f"/api/workshops/{code}/review", headers=phone).get_json()
    assert draft["review"]["open"] is True and draft["draft"]["question"] == "How do we buy better?"
    sent = client.post(f"/api/workshops/{code}/review/comments", headers=phone,
                       json={"client_id": "comment-api-01", "text": "Bra utkast"})
    resent = client.post(f"/api/workshops/{code}/review/comments", headers=phone,
                         json={"client_id": "comment-api-01", "text": "Bra utkast"})
    assert (sent.status_code, resent.status_code) == (201, 200)
    listed = client.get(f"/api/workshops/{code}/review", headers=fac).get_json()
    assert [c["text"] for c in listed["review"]["comments"]] == ["Bra utkast"]
    assert client.post(f"/api/workshops/{code}/review/final", json={}, headers=phone).status_code == 403
    assert client.post(f"/api/workshops/{code}/review/final", json={}, headers=fac).get_json()["phase"] == "closed"
