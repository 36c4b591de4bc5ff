"""Personal data: anonymous by default, withdrawal, retention (CLI and the server's schedule), and
deleting a workshop completely. Real services, real database, the real CLI and server process."""
from __future__ import annotations

import time
import uuid
from datetime import timedelta

from sqlalchemy import func, inspect, select

from tests.live import LiveServer
from tests.security.conftest import make_world, sign_in_as
from workshop.extensions import db
from workshop.models import Advice, AuditEntry, Item, Participant, Receipt, Stewardship, Vote, Workshop, utcnow
from workshop.operations import join, perform
from workshop.services import privacy
from workshop.services.workshops import Identity


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_participants_are_anonymous_unless_they_give_a_name_and_nothing_else_about_them_is_kept(secure_app, world):
    anonymous, _ = join(world.code, {"perspective": "buyer"})
    assert db.session.get(Participant, anonymous["id"]).name is None
    assert db.session.get(Participant, world.participant_id).name == "Kim"
    columns = {c["name"] for c in inspect(db.engine).get_columns("participants")}
    # No address, no browser, no email: a device token's hash, an optional name, a perspective.
    # ("paper": whether the facilitator enters this person's paper ballots, under a label as the name.)
    assert columns == {"id", "workshop_id", "token_hash", "name", "perspective", "created_at", "paper"}


def _contribute(world):
    me = Identity("participant", world.workshop_id, world.participant_id)
    facilitator = Identity("facilitator", world.workshop_id)
    perform("item.add", facilitator, {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "From paper"})
    perform("phase.set", facilitator, {"phase": "prioritise"})
    perform("ballot.set", me, {"client_id": uuid.uuid4().hex, "allocation": {str(world.theme_id): 2}})
    perform("phase.set", facilitator, {"phase": "advice"})
    perform("advice.set", me, {"client_id": uuid.uuid4().hex, "text": "Start early"})
    other, other_token = join(world.code, {"perspective": "supplier", "name": "Alex"})
    perform("advice.set", Identity("participant", world.workshop_id, other["id"]),
            {"client_id": uuid.uuid4().hex, "text": "Ask the market"})
    return other


def _count(model, **where):
    query = select(func.count()).select_from(model)
    for column, value in where.items():
        query = query.where(getattr(model, column) == value)
    return db.session.scalar(query)


def test_a_participant_withdraws_everything_they_contributed_and_nothing_of_anyone_else(secure_app, world):
    other = _contribute(world)
    client = secure_app.test_client()
    refused = client.post(f"/api/workshops/{world.code}/contributions/withdraw", json={"everything": True},
                          headers=_bearer(world.participant_token))
    assert refused.status_code == 400 and _count(Item, participant_id=world.participant_id) == 1
    response = client.post(f"/api/workshops/{world.code}/contributions/withdraw", json={},
                           headers=_bearer(world.participant_token))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["withdrawn"] == {"items": 1, "advice": 1}
    for model in (Item, Advice, Vote, Receipt):
        assert _count(model, participant_id=world.participant_id) == 0, model
    assert db.session.get(Participant, world.participant_id).name is None
    assert _count(Advice, participant_id=other["id"]) == 1
    assert _count(Item, workshop_id=world.workshop_id, on_behalf=True) == 1  # never linked to anyone


def test_a_withdrawal_reaches_every_screen_over_a_real_connection(live_server, screens):
    workshop = live_server.create_workshop()
    joined = live_server.join(workshop["code"], name="Kim")
    phone = screens(live_server, "participant", joined["token"])
    console = screens(live_server, "facilitator", workshop["facilitator_token"])
    item = phone.call("item.submit", {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "Mine"})
    assert item["ok"], item
    reply = phone.call("contributions.withdraw", {})
    assert reply["ok"] and reply["withdrawn"]["items"] == 1 and reply["me"]["name"] is None, reply
    change = console.wait_change("contributions.withdrawn")
    assert change["data"]["item_ids"] == [item["item"]["id"]]
    assert console.fresh()["items"] == []


def _close_long_ago(workshop_id, days):
    workshop = db.session.get(Workshop, workshop_id)
    workshop.phase, workshop.closed_at = "closed", utcnow() - timedelta(days=days)
    db.session.commit()


def test_the_purge_command_anonymises_workshops_past_their_retention_period_only(secure_app, people):
    due, kept, chosen = make_world(people), make_world(people), make_world(people)
    _close_long_ago(due.workshop_id, 91)  # the default is 90 days
    _close_long_ago(kept.workshop_id, 10)
    _close_long_ago(chosen.workshop_id, 10)
    privacy.set_retention(Identity("facilitator", chosen.workshop_id), chosen.workshop_id, 7)
    result = secure_app.test_cli_runner().invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert due.code in result.output and chosen.code in result.output and kept.code not in result.output
    db.session.expire_all()
    for anonymised in (due, chosen):
        assert db.session.get(Participant, anonymised.participant_id).name is None
        assert _count(Item, workshop_id=anonymised.workshop_id) == 1  # the result stays, unattributable
        response = secure_app.test_client().get(f"/api/workshops/{anonymised.code}",
                                                headers=_bearer(anonymised.participant_token))
        assert response.status_code == 401  # the device no longer links to its contributions: no credential
    assert db.session.get(Participant, kept.participant_id).name == "Kim"
    again = secure_app.test_cli_runner().invoke(args=["privacy", "purge"])
    assert "Anonymised 0" in again.output


def test_the_server_purges_on_its_own_schedule(tmp_path):
    server = LiveServer(f"sqlite:///{tmp_path / 'purge.db'}", tmp_path / "server.log",
                        extra_env={"PRIVACY_PURGE_EVERY": "1", "PRIVACY_RETENTION_DAYS": "90"})
    server.migrate()
    server.start(timeout=90)  # a loaded CI machine can take a while to start a process
    try:
        workshop = server.create_workshop()
        joined = server.join(workshop["code"], name="Kim")
        assert server.api("GET", f"/api/workshops/{workshop['code']}", token=joined["token"]).status_code == 200
        server.advance_clock(91 * 24 * 3600)  # the server's clock, past the retention period
        deadline = time.monotonic() + 60  # returns as soon as it happens; a loaded CI machine is slow
        while time.monotonic() < deadline:
            if server.api("GET", f"/api/workshops/{workshop['code']}", token=joined["token"]).status_code == 401:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the scheduled purge did not anonymise a workshop past its retention")
        snapshot = server.api("GET", f"/api/workshops/{workshop['code']}", token=workshop["facilitator_token"]).json()
        assert snapshot["participants"]["count"] == 1
    finally:
        server.stop()


def test_an_organiser_deletes_a_workshop_completely_and_only_the_audit_entry_remains(secure_app, people, world):
    _contribute(world)
    other = make_world(people)
    client = secure_app.test_client()
    sign_in_as(client, people.organiser)
    refused = client.post(f"/organiser/workshops/{world.code}/delete", data={"confirm_code": "WRONG"})
    assert refused.status_code == 400 and db.session.get(Workshop, world.workshop_id) is not None
    response = client.post(f"/organiser/workshops/{world.code}/delete", data={"confirm_code": world.code})
    assert response.status_code == 303
    db.session.expire_all()
    for table in db.metadata.sorted_tables:
        if "workshop_id" in table.c and table.name != "audit_entries":
            left = db.session.scalar(select(func.count()).select_from(table).where(table.c.workshop_id == world.workshop_id))
            assert left == 0, table.name
    assert _count(Participant, id=world.participant_id) == 0 and _count(Stewardship, workshop_id=world.workshop_id) == 0
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "workshop.deleted")).one()
    assert (entry.workshop_code, entry.actor, entry.actor_role) == (world.code, people.organiser.email, "organiser")
    assert _count(Item, workshop_id=other.workshop_id) == 1  # another workshop is untouched
    assert client.get(f"/api/workshops/{world.code}", headers=_bearer(world.facilitator_token)).status_code == 404


def test_retention_is_validated_and_a_refused_value_changes_nothing(secure_app, people, world):
    client = secure_app.test_client()
    sign_in_as(client, people.organiser)  # an owned workshop's retention is its organiser's to set
    for days in (0, 5000, "30", None):
        response = client.put(f"/api/workshops/{world.code}/retention", json={"days": days})
        assert response.status_code == 400, days
    assert privacy.retention_days(world.workshop_id) == 90
    response = client.put(f"/api/workshops/{world.code}/retention", json={"days": 30})
    assert response.status_code == 200 and privacy.retention_days(world.workshop_id) == 30
