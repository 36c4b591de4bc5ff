"""The full method's phase timer on SQLite and PostgreSQL: the server's clock on every screen,
extending and stopping, the lock when time is up (and input still taken without it), a timer
that belongs to its phase; and the spotlight, the timer and proposals over the JSON API."""
from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import update

from workshop.domain.errors import Forbidden
from workshop.extensions import db
from workshop.models import Workshop
from workshop.operations import perform
from tests.integration.test_services import join, new_workshop, refused, submit, theme
from tests.integration.test_method import expire, phase, snap


# --- Timer ------------------------------------------------------------------------------------

def test_a_timer_carries_the_servers_clock_and_can_be_extended_and_stopped(app):
    made, fac = new_workshop()
    started = perform("timer.start", fac, {"seconds": 300, "lock": True})
    timer, now = started.reply["timer"], started.reply["now"]
    assert (timer["phase"], timer["seconds"], timer["lock"]) == ("prework", 300, True)
    from datetime import datetime
    left = (datetime.fromisoformat(timer["ends_at"]) - datetime.fromisoformat(now)).total_seconds()
    assert 299 <= left <= 300
    assert started.changes[0].type == "timer.changed" and started.stamp.participant_seq is not None  # phones too
    extended = perform("timer.extend", fac, {"seconds": 60}).reply["timer"]
    assert datetime.fromisoformat(extended["ends_at"]) - datetime.fromisoformat(timer["ends_at"]) == timedelta(seconds=60)
    assert snap(made, "projector")["timer"] == extended and "now" in snap(made, "projector")
    assert perform("timer.stop", fac, {}).reply["timer"] is None
    refused("timer_not_running", "timer.extend", fac, {"seconds": 60})
    refused("timer_duration", "timer.start", fac, {"seconds": 5})
    refused("timer_duration", "timer.start", fac, {"seconds": 5 * 60 * 60})


def test_changing_phase_clears_the_timer(app):
    made, fac = new_workshop()
    perform("timer.start", fac, {"seconds": 120, "lock": True})
    assert phase(fac, "collect").changes[0].data["timer"] is None
    assert db.session.get(Workshop, made.id).timer is None


def test_when_time_is_up_with_the_lock_on_the_server_refuses_items_ballots_advice_and_proposals(app):
    made, fac = new_workshop()
    alice, _ = join(made)
    submit(alice)
    t1 = theme(fac)
    cases = [
        ("prework", "item.submit", {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "Late"}),
        ("prioritise", "ballot.set", {"client_id": uuid.uuid4().hex, "allocation": {str(t1): 1}}),
        ("advice", "advice.set", {"client_id": uuid.uuid4().hex, "text": "Late advice"}),
        ("concretise", "proposal.submit", {"client_id": uuid.uuid4().hex, "theme_id": t1, "type": "guide",
                                           "description": "Late"}),
    ]
    for name, event, payload in cases:
        if db.session.get(Workshop, made.id).phase != name:
            phase(fac, name)
        perform("timer.start", fac, {"seconds": 60, "lock": True})
        expire(made.id)
        error = refused("time_up", event, alice, payload)
        assert "Time is up" in error.message
        perform("timer.extend", fac, {"seconds": 30})  # more time: accepted again
        perform(event, alice, payload)
    # The facilitator still adds paper notes when time is up.
    perform("timer.start", fac, {"seconds": 60, "lock": True})
    expire(made.id)
    submit(fac, "Paper note after time")


def test_when_time_is_up_without_the_lock_input_is_still_taken(app):
    made, fac = new_workshop()
    alice, _ = join(made)
    perform("timer.start", fac, {"seconds": 60, "lock": False})
    expire(made.id)
    assert submit(alice).stamp is not None


def test_a_timer_of_another_phase_never_locks_this_one(app):
    made, fac = new_workshop()
    alice, _ = join(made)
    perform("timer.start", fac, {"seconds": 60, "lock": True})
    expire(made.id)
    workshop = db.session.get(Workshop, made.id)
    stale = dict(workshop.timer, phase="advice")  # as if left over from another phase
    db.session.execute(update(Workshop).where(Workshop.id == made.id).values(timer=stale))
    db.session.commit()
    assert submit(alice).stamp is not None


def test_participants_and_the_projector_cannot_run_the_timer(app):
    made, fac = new_workshop()
    alice, _ = join(made)
    refused("not_allowed", "timer.start", alice, {"seconds": 60}, Forbidden)
    from workshop.services.workshops import Identity
    refused("not_allowed", "timer.stop", Identity("projector", made.id), {}, Forbidden)


# --- The same over the JSON API ----------------------------------------------------------------

def test_the_json_api_runs_the_spotlight_the_timer_and_proposals(client):
    from tests.integration.test_api import bearer, create

    made = create(client)
    code, fac = made["code"], bearer(made["facilitator_token"])
    joined = client.post(f"/api/workshops/{code}/participants", json={"perspective": "buyer"}).get_json()
    me = bearer(joined["token"])
    assert client.post(f"/api/workshops/{code}/items", headers=me, json={
        "client_id": uuid.uuid4().hex, "lane": "challenge", "text": "Late dialogue"}).status_code == 201
    refused = client.put(f"/api/workshops/{code}/spotlight", headers=fac, json={"mode": "participant", "ordinal": 1})
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "spotlight_not_present"
    assert client.put(f"/api/workshops/{code}/phase", headers=fac, json={"phase": "present"}).status_code == 200
    spot = client.post(f"/api/workshops/{code}/spotlight/step", headers=fac, json={"delta": 1}).get_json()
    assert spot["spotlight"]["ordinal"] == 1 and spot["spotlight"]["perspective"] == "buyer"
    assert client.delete(f"/api/workshops/{code}/spotlight", headers=fac).get_json()["spotlight"] is None
    assert client.post(f"/api/workshops/{code}/spotlight/step", headers=me, json={"delta": 1}).status_code == 403
    timer = client.put(f"/api/workshops/{code}/timer", headers=fac, json={"seconds": 90, "lock": True}).get_json()
    assert timer["timer"]["lock"] is True and timer["now"]
    assert client.post(f"/api/workshops/{code}/timer/extend", headers=fac, json={"seconds": 30}) \
        .get_json()["timer"]["seconds"] >= 119
    assert client.delete(f"/api/workshops/{code}/timer", headers=fac).get_json()["timer"] is None
    theme = client.post(f"/api/workshops/{code}/themes", headers=fac, json={"name": "Dialogue"}).get_json()["theme"]
    assert client.put(f"/api/workshops/{code}/phase", headers=fac, json={"phase": "concretise"}).status_code == 200
    body = {"client_id": uuid.uuid4().hex, "theme_id": theme["id"], "type": "network",
            "description": "A network of buyers who did market dialogue", "who_needs": "New buyers"}
    first = client.post(f"/api/workshops/{code}/proposals", headers=me, json=body)
    again = client.post(f"/api/workshops/{code}/proposals", headers=me, json=body)
    assert (first.status_code, again.status_code) == (201, 200) and again.get_json()["duplicate"] is True
    pid = first.get_json()["proposal"]["id"]
    edited = client.put(f"/api/workshops/{code}/proposals/{pid}", headers=me,
                        json={"type": "examples", "description": "Examples of market dialogue"})
    assert edited.status_code == 200 and edited.get_json()["proposal"]["type"] == "examples"
    assert client.post(f"/api/workshops/{code}/proposals", headers=fac, json=body).status_code == 403
    bad = client.post(f"/api/workshops/{code}/proposals", headers=me, json={**body, "client_id": uuid.uuid4().hex,
                                                                          "type": "poster"})
    assert bad.status_code == 400 and "type" in bad.get_json()["error"]["fields"]
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert {"/api/workshops/{code}/spotlight", "/api/workshops/{code}/timer",
            "/api/workshops/{code}/proposals/{proposal_id}"} <= set(paths)
