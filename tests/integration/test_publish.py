"""Publishing comes after the commit, and a failed publish never turns a stored change into an
error: the person is told it is saved (it is), and other screens catch up by version."""
from __future__ import annotations

import uuid

from sqlalchemy import func, select

from workshop import operations
from workshop.extensions import db, socketio
from workshop.models import Item, Participant
from workshop.services import workshops as ws
from workshop.services import founding


def test_a_failing_message_queue_does_not_report_a_stored_item_as_failed(app, monkeypatch):
    created = founding.create_workshop("Hur?", "sv")
    code, workshop_id = created.workshop.code, created.workshop.id
    emitted = []

    def broken_emit(*args, **kwargs):
        # The change must already be committed when publishing starts.
        emitted.append(db.session.scalar(select(func.count()).select_from(Item)))
        raise ConnectionError("message queue down")

    monkeypatch.setattr(socketio, "emit", broken_emit)
    participant, token = operations.join(code, {"perspective": "buyer"})
    assert token and db.session.get(Participant, participant["id"]) is not None
    who = ws.Identity("participant", workshop_id, participant["id"])
    outcome = operations.perform("item.submit", who, {"client_id": uuid.uuid4().hex, "lane": "challenge",
                                                      "text": "Otydligt mandat"})
    assert outcome.reply["item"]["text"] == "Otydligt mandat"
    assert db.session.scalar(select(func.count()).select_from(Item)) == 1
    assert emitted and emitted[-1] == 1
