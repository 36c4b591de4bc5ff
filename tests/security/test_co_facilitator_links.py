"""Co-facilitators act with a right of their own, never with the owner's link.

An outside attack test found that a co-facilitator's page showed the workshop's facilitator link;
with it they read the audit trail and deleted the workshop, and kept full control after the owner
removed them. Now each invitation carries its own console link, removal revokes it at once (over
HTTP and on open sockets), and the owner-only actions (delete, audit trail, new links, retention)
need the organiser's own sign-in whenever an account owns the workshop, whatever link is presented.
"""
from __future__ import annotations

import hashlib
import re
import time

import pytest
import socketio
import sqlalchemy

from tests.security.conftest import make_world, sign_in_as
from tests.security.live_accounts import console_link, form, invite_co_facilitator, owned_workshop
from workshop.services import accounts

def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


_console_link = console_link


def test_a_co_facilitators_page_shows_their_own_link_never_the_owners(secure_app, people, world):
    client = secure_app.test_client()
    sign_in_as(client, people.co_facilitator)
    page = client.get(f"/organiser/workshops/{world.code}").get_data(as_text=True)
    assert world.facilitator_token not in page
    assert _console_link(page) == world.co_facilitator_token
    assert "Audit trail" not in page  # the audit trail is the organiser's
    sign_in_as(client, people.organiser)
    owner_page = client.get(f"/organiser/workshops/{world.code}").get_data(as_text=True)
    assert _console_link(owner_page) == world.facilitator_token
    assert world.co_facilitator_token not in owner_page


def test_the_co_facilitator_link_runs_the_workshop_but_answers_for_nothing(secure_app, world):
    client = secure_app.test_client()
    mine = _bearer(world.co_facilitator_token)
    assert client.get(f"/facilitator/{world.co_facilitator_token}").status_code == 200
    assert client.put(f"/api/workshops/{world.code}/phase", json={"phase": "collect"}, headers=mine).status_code == 200
    assert client.get(f"/api/workshops/{world.code}/guide.json", headers=mine).status_code == 200
    for method, path in (("GET", "audit"), ("POST", "links"), ("PUT", "retention"), ("DELETE", "")):
        url = f"/api/workshops/{world.code}/{path}".rstrip("/")
        assert client.open(url, method=method, json={"days": 30}, headers=mine).status_code == 403, path
    # The console the co-facilitator opens shows their own link and the projector, not the owner's link.
    console = client.get(f"/facilitator/{world.co_facilitator_token}").get_data(as_text=True)
    assert world.facilitator_token not in console
    assert f"/projector/{world.projector_token}" in console
    snapshot = client.get(f"/api/workshops/{world.code}", headers=mine).get_json()
    assert all(world.co_facilitator_token in url for url in snapshot["links"]["guide"].values())
    assert world.facilitator_token not in str(snapshot)


def test_removal_revokes_the_co_facilitators_link_at_once(secure_app, people, world):
    client = secure_app.test_client()
    mine = _bearer(world.co_facilitator_token)
    sign_in_as(client, people.organiser)
    assert client.post(f"/organiser/workshops/{world.code}/co-facilitators/{people.co_facilitator.id}/remove") \
        .status_code == 303
    sign_in_as(client, None)
    assert client.get(f"/facilitator/{world.co_facilitator_token}").status_code == 403
    assert client.get(f"/facilitator/{world.co_facilitator_token}/guide.md").status_code == 403
    for method, path in (("PUT", "phase"), ("GET", "guide.json"), ("GET", "")):
        url = f"/api/workshops/{world.code}/{path}".rstrip("/")
        assert client.open(url, method=method, json={"phase": "vote"}, headers=mine).status_code in (401, 403), path
    # Invited again, they get a new link; the old one stays dead.
    accounts.invite(world.workshop_id, people.co_facilitator.email)
    fresh = accounts.co_facilitator_token(world.workshop_id, people.co_facilitator.id)
    assert fresh != world.co_facilitator_token
    assert client.get(f"/facilitator/{fresh}").status_code == 200
    assert client.get(f"/facilitator/{world.co_facilitator_token}").status_code == 403


def test_owner_only_actions_need_the_organisers_sign_in_when_an_account_owns_the_workshop(secure_app, people, world):
    client = secure_app.test_client()
    link = _bearer(world.facilitator_token)
    assert client.put(f"/api/workshops/{world.code}/phase", json={"phase": "collect"}, headers=link).status_code == 200
    assert client.get(f"/api/workshops/{world.code}/audit", headers=link).status_code == 403
    assert client.put(f"/api/workshops/{world.code}/retention", json={"days": 30}, headers=link).status_code == 403
    assert client.post(f"/api/workshops/{world.code}/links", headers=link).status_code == 403
    assert client.delete(f"/api/workshops/{world.code}", headers=link).status_code == 403
    sign_in_as(client, people.organiser)
    assert client.get(f"/api/workshops/{world.code}/audit", headers=link).status_code == 200
    assert client.delete(f"/api/workshops/{world.code}", headers=link).status_code == 200


def test_the_link_of_a_workshop_no_account_owns_still_answers_for_it(secure_app, people):
    lone = make_world(people, owned=False)
    client = secure_app.test_client()
    link = _bearer(lone.facilitator_token)
    assert client.get(f"/api/workshops/{lone.code}/audit", headers=link).status_code == 200
    assert client.delete(f"/api/workshops/{lone.code}", headers=link).status_code == 200


# --- Over real connections -----------------------------------------------------------------------

def test_removing_a_co_facilitator_closes_their_open_console_and_it_cannot_reconnect(live_server, screens):
    owner, code = owned_workshop(live_server)
    workshop_url = f"{live_server.url}/organiser/workshops/{code}"
    own_token = invite_co_facilitator(live_server, owner, code)
    owner_token = _console_link(owner.get(workshop_url, timeout=10).text)
    assert own_token and owner_token and own_token != owner_token

    console = screens(live_server, "facilitator", own_token)
    owners_console = screens(live_server, "facilitator", owner_token)
    assert console.call("phase.set", {"phase": "collect"})["ok"]
    account_id = re.search(r'co-facilitators/(\d+)/remove', owner.get(workshop_url, timeout=10).text).group(1)
    assert form(owner, f"{workshop_url}/co-facilitators/{account_id}/remove").status_code == 303

    deadline = time.monotonic() + 10
    while console.sio.connected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not console.sio.connected
    assert owners_console.sio.connected  # only the removed person's console closes
    with pytest.raises(socketio.exceptions.ConnectionError):
        screens(live_server, "facilitator", own_token)
    assert live_server.api("PUT", f"/api/workshops/{code}/phase", token=own_token,
                           json={"phase": "aggregate"}).status_code in (401, 403)
    reply = owners_console.call("theme.create", {"name": "Tid och resurser"})
    assert reply["ok"], reply


def test_a_console_another_process_holds_is_refused_from_its_next_event(live_server, screens):
    """Removal through another process cannot close this one's socket; the event is refused,
    because every console event checks its link against the database."""
    owner, code = owned_workshop(live_server)
    own_token = invite_co_facilitator(live_server, owner, code)
    console = screens(live_server, "facilitator", own_token)
    assert console.call("theme.create", {"name": "Styrning"})["ok"]
    engine = sqlalchemy.create_engine(live_server.env["DATABASE_URL"])
    with engine.begin() as connection:  # as another process would: straight in the database
        connection.execute(sqlalchemy.text("DELETE FROM co_facilitators WHERE token_hash = :digest"),
                           {"digest": hashlib.sha256(own_token.encode()).hexdigest()})
    engine.dispose()
    refused = console.call("theme.create", {"name": "Kompetens"})
    assert not refused["ok"] and refused["error"]["code"] == "bad_token"
