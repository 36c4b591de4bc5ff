"""Organiser accounts: hashed passwords, sign-up that configuration can close, the first
administrator from the CLI, sign-in and out, ownership, co-facilitators, and links that can be
rotated or revoked with immediate effect (an open console included)."""
from __future__ import annotations

import re
import time

import pytest
import socketio
from sqlalchemy import select

from tests.security.conftest import PASSWORD, make_app, sign_in_as
from workshop.extensions import db
from workshop.models import Account, Stewardship


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_passwords_are_stored_only_as_argon2id_hashes(secure_app, people):
    stored = db.session.get(Account, people.organiser.id).password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_sign_up_works_when_open_and_is_gone_when_configuration_closes_it(tmp_path):
    for open_, expected in ((True, 303), (False, 404)):
        app = make_app(tmp_path / str(open_), ACCOUNT_SIGNUP=open_)
        (tmp_path / str(open_)).mkdir()
        with app.app_context():
            db.create_all()
            client = app.test_client()
            response = client.post("/account/sign-up", data={"email": "new@example.org", "password": PASSWORD})
            assert response.status_code == expected
            assert client.get("/account/sign-up").status_code == (200 if open_ else 404)
            assert (db.session.scalar(select(Account).where(Account.email == "new@example.org")) is not None) == open_
            db.engine.dispose()


def test_sign_up_refuses_a_short_password_or_a_taken_email(secure_app, people):
    client = secure_app.test_client()
    assert client.post("/account/sign-up", data={"email": "a@example.org", "password": "short"}).status_code == 400
    assert client.post("/account/sign-up", data={"email": people.organiser.email.upper(),
                                                  "password": PASSWORD}).status_code == 400


def test_the_first_administrator_comes_from_the_cli(secure_app):
    runner = secure_app.test_cli_runner()
    result = runner.invoke(args=["admin", "create", "Root@Example.org"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    admin = db.session.scalar(select(Account).where(Account.email == "root@example.org"))
    assert admin.is_admin and admin.password_hash.startswith("$argon2id$")
    from_env = runner.invoke(args=["admin", "create", "ops@example.org"], env={"ADMIN_PASSWORD": PASSWORD})
    assert from_env.exit_code == 0, from_env.output
    again = runner.invoke(args=["admin", "create", "ops@example.org"], env={"ADMIN_PASSWORD": PASSWORD})
    assert again.exit_code != 0 and "already an account" in again.output


def test_sign_in_and_out(secure_app, people):
    client = secure_app.test_client()
    assert client.get("/organiser/").status_code == 302  # to the sign-in page
    wrong = client.post("/account/sign-in", data={"email": people.organiser.email, "password": "x" * 20})
    assert wrong.status_code == 400 and "not right" in wrong.get_data(as_text=True)
    unknown = client.post("/account/sign-in", data={"email": "nobody@example.org", "password": PASSWORD})
    assert unknown.get_data(as_text=True) == wrong.get_data(as_text=True).replace(people.organiser.email,
                                                                                  "nobody@example.org")
    right = client.post("/account/sign-in?next=//evil.example/x",
                        data={"email": people.organiser.email, "password": PASSWORD})
    assert right.status_code == 303 and right.headers["Location"] == "/organiser/"  # never off-site
    assert client.get("/organiser/").status_code == 200
    assert client.post("/account/sign-out").status_code == 303
    assert client.get("/organiser/").status_code == 302


def test_workshops_created_while_signed_in_belong_to_the_account(secure_app, people):
    client = secure_app.test_client()
    sign_in_as(client, people.organiser)
    made = client.post("/organiser/workshops", data={"question": "Hur köper vi in?", "language": "sv",
                                                     "template": "think-tank"})
    assert made.status_code == 303
    code = made.headers["Location"].rsplit("/", 1)[-1]
    home = client.post("/", data={"question": "Från startsidan", "language": "sv", "template": "think-tank"})
    api = client.post("/api/workshops", json={"question": "Från API:et", "language": "en"}).get_json()
    owned = {row.workshop_id for row in db.session.scalars(
        select(Stewardship).where(Stewardship.owner_id == people.organiser.id))}
    assert len(owned) == 3 and home.status_code == 303 and api["code"]
    page = client.get(f"/organiser/workshops/{code}").get_data(as_text=True)
    console = re.search(r'href="(http://workshop\.test/facilitator/[^"]+)"', page).group(1)
    assert client.get(console.replace("http://workshop.test", "")).status_code == 200  # the console reopens
    listing = client.get("/organiser/").get_data(as_text=True)
    assert "Hur köper vi in?" in listing and "Från startsidan" in listing
    sign_in_as(client, people.stranger)
    assert "Hur köper vi in?" not in client.get("/organiser/").get_data(as_text=True)
    assert client.get(f"/organiser/workshops/{code}").status_code == 403
    sign_in_as(client, people.admin)
    assert "Hur köper vi in?" in client.get("/organiser/").get_data(as_text=True)


def test_a_co_facilitator_runs_the_workshop_until_removed_and_cannot_delete_it(secure_app, people, world):
    client = secure_app.test_client()
    sign_in_as(client, people.co_facilitator)
    assert client.put(f"/api/workshops/{world.code}/phase", json={"phase": "collect"}).status_code == 200
    assert client.delete(f"/api/workshops/{world.code}").status_code == 403
    assert client.post(f"/organiser/workshops/{world.code}/delete", data={"confirm_code": world.code}).status_code == 403
    sign_in_as(client, people.organiser)
    page = client.get(f"/organiser/workshops/{world.code}").get_data(as_text=True)
    assert people.co_facilitator.email in page
    assert client.post(f"/organiser/workshops/{world.code}/co-facilitators/{people.co_facilitator.id}/remove") \
        .status_code == 303
    sign_in_as(client, people.co_facilitator)
    assert client.put(f"/api/workshops/{world.code}/phase", json={"phase": "aggregate"}).status_code == 403
    sign_in_as(client, people.organiser)
    unknown = client.post(f"/organiser/workshops/{world.code}/co-facilitators", data={"email": "no@example.org"})
    assert unknown.status_code == 400


def test_rotated_links_stop_working_at_once_and_the_new_ones_work(secure_app, people, world):
    client = secure_app.test_client()
    sign_in_as(client, people.organiser)  # an owned workshop's links are rotated by its organiser
    rotated = client.post(f"/api/workshops/{world.code}/links")
    sign_in_as(client, None)
    assert rotated.status_code == 200
    fresh = rotated.get_json()["facilitator_token"]
    assert client.get(f"/facilitator/{world.facilitator_token}").status_code == 403
    assert client.get(f"/projector/{world.projector_token}").status_code == 403
    assert client.get(f"/api/workshops/{world.code}", headers=_bearer(world.facilitator_token)).status_code in (401, 403)
    assert client.get(f"/facilitator/{fresh}").status_code == 200
    projector = rotated.get_json()["projector_url"].replace("http://workshop.test", "")
    assert client.get(projector).status_code == 200
    assert client.delete(f"/api/workshops/{world.code}/links/projector", headers=_bearer(fresh)).status_code == 200
    assert client.get(projector).status_code == 403
    assert client.get(f"/facilitator/{fresh}").status_code == 200  # only the projector link stopped


def test_rotation_closes_an_open_console_and_the_old_link_cannot_reconnect(live_server, screens):
    workshop = live_server.create_workshop()
    console = screens(live_server, "facilitator", workshop["facilitator_token"])
    projector = screens(live_server, "projector", workshop["projector_token"])
    response = live_server.api("POST", f"/api/workshops/{workshop['code']}/links", token=workshop["facilitator_token"])
    assert response.status_code == 200
    deadline = time.monotonic() + 10
    while (console.sio.connected or projector.sio.connected) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not console.sio.connected and not projector.sio.connected
    with pytest.raises(socketio.exceptions.ConnectionError):
        screens(live_server, "facilitator", workshop["facilitator_token"])
    assert screens(live_server, "facilitator", response.json()["facilitator_token"]).snapshot is not None
