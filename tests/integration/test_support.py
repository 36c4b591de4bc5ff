"""'Something similar is already here': a participant's support for a contribution already in the
room counts as one more mention, from their perspective, on the console, in the validation draft
and in the guide (its JSON and Markdown); never twice; never for one's own item; gone when they
withdraw. Asking for similar contributions never shows an author and answers nothing while the
facilitator has not turned the hint on. Real services, real database, the real meaning engine."""
from __future__ import annotations

import json
import uuid

import pytest

from workshop.domain.errors import DomainError
from workshop.extensions import db
from workshop.models import ItemSupport, Workshop
from workshop.operations import perform
from workshop.services import review, snapshots
from workshop.services import workshops as ws
from workshop.services import founding

from tests.integration.test_setup_moderation import join, submit

NEED = "Vi saknar tid för behovsanalys"
SAME = "Det finns ingen tid att analysera behoven"
OTHER = "Leverantörerna svarar sent på frågor"


def build():
    created = founding.create_workshop("Hur gör vi behovsanalys?", "sv", "think-tank", None, None)
    wid = created.workshop.id
    fac = ws.Identity("facilitator", wid)
    alice, bob = join(created.workshop.code, wid, "buyer", "Alice Author"), join(created.workshop.code, wid, "supplier")
    need = submit(alice, text=NEED)["id"]
    other = submit(alice, text=OTHER)["id"]
    return created, fac, alice, bob, need, other


def support(who, item_id, client_id=None):
    return perform("item.support", who, {"item_id": item_id, "client_id": client_id or uuid.uuid4().hex})


def console_item(wid, item_id):
    snapshot = snapshots.snapshot(db.session.get(Workshop, wid), "facilitator", None, {})
    return next(i for i in snapshot["items"] if i["id"] == item_id)


def test_support_counts_as_a_mention_and_a_perspective_everywhere_once(app, client):
    created, fac, alice, bob, need, _ = build()
    wid, code = created.workshop.id, created.workshop.code
    assert console_item(wid, need)["mentions"] == 1
    client_id = uuid.uuid4().hex
    outcome = support(bob, need, client_id)
    assert outcome.stamp is not None and [c.type for c in outcome.changes] == ["item.supported"]
    assert outcome.changes[0].for_role("participant") == {"item_id": need, "mentions": 2}
    assert outcome.changes[0].for_role("facilitator")["perspectives"] == [
        {"key": "buyer", "count": 1}, {"key": "supplier", "count": 1}]
    # A resend, and support for the same item under another id: acknowledged, not counted again.
    assert support(bob, need, client_id).reply["duplicate"] is True
    assert support(bob, need).reply["duplicate"] is True
    item = console_item(wid, need)
    assert item["mentions"] == 2
    assert item["perspectives"] == [{"key": "buyer", "count": 1}, {"key": "supplier", "count": 1}]

    perform("phase.set", fac, {"phase": "aggregate"})
    theme = perform("theme.create", fac, {"name": "Tid"}).reply["theme"]["id"]
    perform("item.assign", fac, {"item_id": need, "theme_id": theme})
    perform("review.open", fac, {"open": True})
    draft = review.draft(fac)["draft"]
    assert {i["text"]: i["mentions"] for t in draft["themes"] for i in t["items"]}[NEED] == 2
    token = created.facilitator_token
    headers = {"Authorization": f"Bearer {token}"}
    document = json.loads(client.get(f"/api/workshops/{code}/guide.json", headers=headers).data)
    [entry] = [c for c in document["contributions"] if c["text"] == NEED]
    assert entry["mentions"] == 2 and len(entry["perspectives"]) == 2
    assert [c["mentions"] for c in document["contributions"] if c["text"] == OTHER] == [1]
    markdown = client.get(f"/api/workshops/{code}/guide.md", headers=headers).data.decode()
    said = [line for line in markdown.splitlines() if NEED in line and "2" in line]
    assert said and any("2 gånger" in line or "2 times" in line for line in said), markdown[:2000]

    # Withdrawal takes the support with it.
    perform("contributions.withdraw", bob, {})
    assert db.session.query(ItemSupport).count() == 0
    assert console_item(wid, need)["mentions"] == 1


def test_own_hidden_and_unknown_items_are_refused_and_change_nothing(app):
    created, fac, alice, bob, need, other = build()
    wid = created.workshop.id
    before = db.session.get(Workshop, wid).version
    with pytest.raises(DomainError) as own:
        support(alice, need)
    assert own.value.code == "support_own"
    perform("item.hide", fac, {"item_id": other})
    before = db.session.get(Workshop, wid).version
    for item_id in (other, 999999):
        with pytest.raises(DomainError) as gone:
            support(bob, item_id)
        assert gone.value.status == 404
    assert db.session.get(Workshop, wid).version == before
    assert db.session.query(ItemSupport).count() == 0


def test_similar_needs_the_hint_and_never_shows_an_author(app, client):
    created, fac, alice, bob, need, other = build()
    code, token = created.workshop.code, bob
    ask = {"text": SAME, "lane": "challenge"}
    assert perform("item.similar", bob, ask).reply == {"similar": []}  # the hint is off
    changed = perform("setup.similar_hint", fac, {"on": True})
    assert changed.changes[0].type == "setup.changed" and changed.changes[0].data["similar_hint"] is True
    snapshot = snapshots.snapshot(db.session.get(Workshop, created.workshop.id), "participant",
                              db.session.get(__import__("workshop.models", fromlist=["Participant"]).Participant,
                                             bob.participant_id), {})
    assert snapshot["workshop"]["similar_hint"] is True
    found = perform("item.similar", bob, ask).reply["similar"]
    assert found and found[0] == {"id": need, "text": NEED, "mentions": 1}
    assert all(set(entry) == {"id", "text", "mentions"} for entry in found)
    assert other not in [entry["id"] for entry in found]
    assert "Alice" not in json.dumps(found) and "buyer" not in json.dumps(found)
    # Her own contribution is never offered back to its author.
    assert perform("item.similar", alice, ask).reply["similar"] == []
    with pytest.raises(Exception):
        perform("item.similar", bob, {"text": "", "lane": "challenge"})
    perform("setup.similar_hint", fac, {"on": False})
    assert perform("item.similar", bob, ask).reply == {"similar": []}
