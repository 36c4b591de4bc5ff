"""The audit trail: facilitator and organiser actions recorded with who and when, visible to the
organiser; participants' actions and refused actions never recorded."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from tests.security.conftest import sign_in_as
from workshop.extensions import db
from workshop.models import AuditEntry


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def _actions(workshop_id):
    return [(e.action, e.actor_role, e.actor) for e in
            db.session.scalars(select(AuditEntry).where(AuditEntry.workshop_id == workshop_id).order_by(AuditEntry.id))]


def test_facilitator_and_organiser_actions_are_recorded_with_who_and_when(secure_app, people, world):
    db.session.execute(AuditEntry.__table__.delete())  # the set-up's own changes
    db.session.commit()
    client = secure_app.test_client()
    fac = _bearer(world.facilitator_token)
    assert client.put(f"/api/workshops/{world.code}/phase", json={"phase": "nope"}, headers=fac).status_code == 400
    assert client.put(f"/api/workshops/{world.code}/phase", json={"phase": "prioritise"}, headers=fac).status_code == 200
    assert client.put(f"/api/workshops/{world.code}/results", json={"revealed": True}, headers=fac).status_code == 200
    assert client.get(f"/facilitator/{world.facilitator_token}/guide.md").status_code == 200
    phone = _bearer(world.participant_token)
    assert client.put(f"/api/workshops/{world.code}/ballot", headers=phone, json={
        "client_id": uuid.uuid4().hex, "allocation": {str(world.theme_id): 1}}).status_code == 200
    sign_in_as(client, people.co_facilitator)
    assert client.post(f"/api/workshops/{world.code}/themes", json={"name": "Rules"}).status_code == 201
    assert client.get(f"/api/workshops/{world.code}/guide.html").status_code == 200
    sign_in_as(client, people.organiser)
    assert client.post(f"/organiser/workshops/{world.code}/links/rotate").status_code == 303
    assert client.post(f"/organiser/workshops/{world.code}/co-facilitators",
                       data={"email": people.stranger.email}).status_code == 303

    assert _actions(world.workshop_id) == [
        ("phase.set", "facilitator", None), ("results.reveal", "facilitator", None),
        ("guide.export", "facilitator", None),
        ("theme.create", "co-facilitator", people.co_facilitator.email),
        ("guide.export", "co-facilitator", people.co_facilitator.email),
        ("links.rotated", "organiser", people.organiser.email),
        ("co_facilitator.invited", "organiser", people.organiser.email),
    ]  # the refused phase change and the participant's ballot are not there
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.workshop_id == world.workshop_id)).all()
    assert all(entry.created_at is not None for entry in entries)
    assert entries[0].detail == {"phase": "prioritise"}


def test_the_trail_never_holds_what_people_wrote(secure_app, world):
    client = secure_app.test_client()
    client.post(f"/api/workshops/{world.code}/items", headers=_bearer(world.facilitator_token),
                json={"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "A secret from the room"})
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "item.add")).one()
    assert entry.detail == {"lane": "challenge"}


def test_the_organiser_sees_the_trail_on_their_page_and_over_the_api(secure_app, people, world):
    client = secure_app.test_client()
    client.put(f"/api/workshops/{world.code}/phase", json={"phase": "collect"},
               headers=_bearer(world.facilitator_token))
    sign_in_as(client, people.organiser)
    page = client.get(f"/organiser/workshops/{world.code}").get_data(as_text=True)
    assert "phase.set" in page and "theme.create" in page
    entries = client.get(f"/api/workshops/{world.code}/audit").get_json()["entries"]
    assert entries[0]["action"] == "phase.set" and entries[0]["at"]
    sign_in_as(client, None)
    assert client.get(f"/api/workshops/{world.code}/audit",
                      headers=_bearer(world.participant_token)).status_code == 403
