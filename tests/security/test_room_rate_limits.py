"""A room behind one address is never locked out, and one client gains nothing by switching paths
or by joining again and again (the hardening issue's items 3, 4 and 5).

* Look-ups of join codes that do not exist are limited per address; a code that exists is never
  refused by that limit, and a 404 of a stale id on a valid code is not a guess.
* Operations over the JSON API take from the same per-participant bucket as socket events.
* Joins are limited per address and per workshop, a workshop has a size, the facilitator can close
  joining, and every refused join is counted for the console.

Time is the limiter's clock, moved by the tests: nothing sleeps.
"""
from __future__ import annotations

import random
import uuid

import pytest

from config import Config
from tests.live import LiveServer
from tests.security.conftest import make_app
from workshop.domain.ratelimit import per
from workshop.extensions import db
from workshop.services.tokens import CODE_ALPHABET

ROOM = "198.51.100.7"  # conference Wi-Fi: the whole room behind one address
ELSEWHERE = "203.0.113.9"


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def limited(tmp_path):
    """An app with the given settings, a client that comes from ROOM, and the limiter's clock."""
    made = []

    def make(**settings):
        app = make_app(tmp_path, **{"SQLALCHEMY_DATABASE_URI": "sqlite://", **settings})
        ctx = app.app_context()
        ctx.push()
        db.create_all()
        now = [1000.0]
        app.extensions["rate_limiter"].storage.clock = lambda: now[0]
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = ROOM
        made.append(ctx)
        return app, client, now

    yield make
    for ctx in made:
        db.session.remove()
        db.engine.dispose()
        ctx.pop()


def create(client, language="en") -> dict:
    response = client.post("/api/workshops", json={"question": "Hur köper vi bättre?", "language": language})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def join(client, code: str, **environ):
    return client.post(f"/api/workshops/{code}/participants", json={"perspective": "buyer"}, environ_base=environ)


def wrong_codes(right: str, n: int) -> list[str]:
    rng = random.Random(n)
    codes = {"".join(rng.choice(CODE_ALPHABET) for _ in range(6)) for _ in range(n * 2)} - {right}
    return sorted(codes)[:n]


def item(n: int) -> dict:
    return {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": f"Punkt {n}"}


# --- Item 3: wrong codes never lock the room out -------------------------------------------------

def test_thirty_wrong_codes_from_the_room_never_make_the_right_code_answer_429(limited):
    app, client, _ = limited()
    code = create(client)["code"]
    # Fifty wrong codes from the room's address, spread over every path that takes a code.
    for n, wrong in enumerate(wrong_codes(code, 50)):
        path = (f"/api/workshops/{wrong}/participants", f"/join/{wrong}", f"/join?code={wrong}")[n % 3]
        response = client.post(path, json={"perspective": "buyer"}) if n % 3 == 0 else client.get(path)
        assert response.status_code in (302, 404, 429)  # (a redirect to the code form, or the form)
    assert client.get(f"/api/workshops/{wrong_codes(code, 51)[-1]}/public").status_code == 429  # spent
    # The right code still works on the join API, /join/<code> and /join?code=, again and again.
    for _ in range(5):
        assert join(client, code).status_code == 201
        assert client.get(f"/api/workshops/{code}/public").status_code == 200
        assert client.get(f"/join/{code}").status_code == 200
        assert client.get(f"/join?code={code.lower()}").status_code == 302


def test_wrong_codes_are_still_limited_per_address_on_every_path_until_time_gives_tries_back(limited):
    app, client, now = limited(RATE_LIMIT_JOIN_FAILURES="3 per minute")
    code = create(client)["code"]
    first, second, third, fourth, fifth, sixth = wrong_codes(code, 6)
    assert [client.get(f"/api/workshops/{c}/public").status_code for c in (first, second, third)] == [404] * 3
    refused = client.post(f"/api/workshops/{fourth}/participants", json={"perspective": "buyer"},
                          headers={"Accept-Language": "sv"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    error = refused.get_json()["error"]
    assert 0 <= int(refused.headers["Retry-After"]) - error["retry_after"] < 1.01  # the same wait as the body
    assert error["code"] == "rate_limited" and error["retry_after"] > 0
    assert error["message"].startswith("För många koder")
    page = client.get(f"/join/{fifth}")
    assert page.status_code == 429 and "Retry-After" in page.headers
    assert 'id="code"' in page.get_data(as_text=True)  # the join page, with its form and the message
    assert client.get(f"/join?code={sixth}").status_code == 429
    assert client.get(f"/api/workshops/{sixth}", headers=bearer("x")).status_code == 429
    # Another address has tries of its own; and a minute later the room has its tries back.
    assert client.get(f"/join/{sixth}", environ_base={"REMOTE_ADDR": ELSEWHERE}).status_code == 404
    now[0] += 60
    assert client.get(f"/join/{sixth}").status_code == 404


def test_404s_of_stale_ids_on_a_valid_code_are_not_counted_as_guesses(limited):
    app, client, _ = limited(RATE_LIMIT_JOIN_FAILURES="3 per minute")
    created = create(client)
    code, console = created["code"], bearer(created["facilitator_token"])
    client.put(f"/api/workshops/{code}/phase", json={"phase": "aggregate"}, headers=console)
    for stale in range(40):  # a console with an old theme list, on the room's address
        response = client.patch(f"/api/workshops/{code}/themes/{9000 + stale}", json={"name": "X"}, headers=console)
        assert response.status_code == 404
    assert [client.get(f"/join/{c}").status_code for c in wrong_codes(code, 4)] == [404, 404, 404, 429]


# --- Item 4: one bucket per participant, whichever path -------------------------------------------

def test_a_participant_sending_too_fast_over_http_is_refused_with_retry_after_and_nothing_stored(limited):
    app, client, now = limited(SOCKET_RATE_LIMITS={**Config.SOCKET_RATE_LIMITS, "participant": (5, 0.1)})
    created = create(client)
    code, console = created["code"], bearer(created["facilitator_token"])
    token = join(client, code).get_json()["token"]
    other = join(client, code).get_json()["token"]
    sent = [client.post(f"/api/workshops/{code}/items", json=item(n), headers={**bearer(token), "Accept-Language": "sv"})
            for n in range(8)]
    assert [r.status_code for r in sent] == [201] * 5 + [429] * 3
    refused = sent[-1]
    # The header says the bucket's wait (whole seconds, rounded up), not the address limiter's window.
    wait = refused.get_json()["error"]["retry_after"]
    assert 1 <= int(refused.headers["Retry-After"]) and 0 <= int(refused.headers["Retry-After"]) - wait < 1.01
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert refused.get_json()["error"]["message"].startswith("Du skickar väldigt snabbt")
    # Every operation takes from the bucket, not only items.
    assert client.put(f"/api/workshops/{code}/advice", json={"client_id": uuid.uuid4().hex, "text": "Mer tid"},
                      headers=bearer(token)).status_code == 429
    assert client.post(f"/api/workshops/{code}/items", json=item(99), headers=bearer(other)).status_code == 201
    items = client.get(f"/api/workshops/{code}", headers=console).get_json()["items"]
    assert len(items) == 6
    now[0] += 10  # one token back at 0.1 a second
    assert client.post(f"/api/workshops/{code}/items", json=item(100), headers=bearer(token)).status_code == 201


@pytest.fixture
def strict_server(tmp_path):
    server = LiveServer(f"sqlite:///{tmp_path / 'room.db'}", tmp_path / "server.log",
                        {"SOCKET_RATE_LIMIT_PARTICIPANT": "5,0.1", "RATE_LIMIT_JOINS_PER_ADDRESS": "4 per hour"})
    server.migrate()
    yield server.start()
    server.stop()


def test_socket_and_http_take_from_one_bucket_and_joining_is_closed_and_counted_live(strict_server, screens):
    created = strict_server.create_workshop()
    code, console_token = created["code"], created["facilitator_token"]
    token = strict_server.join(code)["token"]
    phone = screens(strict_server, "participant", token)
    over_socket = [phone.call("item.submit", item(n))["ok"] for n in range(3)]
    over_http = [strict_server.api("POST", f"/api/workshops/{code}/items", token, json=item(n)).status_code
                 for n in range(3, 6)]
    assert over_socket == [True] * 3 and over_http == [201, 201, 429]
    assert phone.call("item.submit", item(6))["error"]["code"] == "rate_limited"

    # The console closes joining over its socket; the phone that joined keeps its connection and
    # can reconnect; a new phone is refused, and the console sees the count go up as it happens.
    console = screens(strict_server, "facilitator", console_token)
    assert console.snapshot["joining"] == {"open": True, "refused": 0}
    refusals = lambda: [data for kind, data in console.received if kind == "joining"]  # noqa: E731
    assert console.call("joining.set", {"open": False})["joining"] == {"open": False, "refused": 0}
    console.wait_change("joining.changed")
    refused = strict_server.api("POST", f"/api/workshops/{code}/participants", json={"perspective": "buyer"},
                                headers={"Accept-Language": "sv"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "joining_closed"
    assert "tar inte emot nya deltagare" in refused.json()["error"]["message"]
    console.wait_for(lambda: refusals() and refusals()[-1]["joining"]["refused"] == 1)
    assert console.live_state()["joining"] == {"open": False, "refused": 1}
    phone.disconnect()
    again = screens(strict_server, "participant", token)  # reconnects: joining is only for new phones
    assert again.snapshot["me"]["id"] and "joining" not in again.snapshot
    assert strict_server.api("GET", f"/api/workshops/{code}/public").json()["joining_open"] is False

    # Reopened: joins pass, until this address's four an hour are spent (the test's own setting).
    assert console.call("joining.set", {"open": True})["ok"]
    assert strict_server.api("POST", f"/api/workshops/{code}/participants",
                             json={"perspective": "buyer"}).status_code == 201
    too_many = [strict_server.api("POST", f"/api/workshops/{code}/participants", json={"perspective": "buyer"})
                for _ in range(3)]
    assert [r.status_code for r in too_many] == [201, 201, 429]
    assert int(too_many[-1].headers["Retry-After"]) > 60
    console.wait_for(lambda: refusals()[-1]["joining"]["refused"] == 2)
    assert console.live_state()["joining"] == console.fresh()["joining"] == {"open": True, "refused": 2}


# --- Item 5: joins per address, per workshop, and a facilitator who closes joining ---------------

def test_a_real_room_joins_from_one_address_with_the_default_limits(limited):
    assert per(Config.RATE_LIMIT_JOINS_PER_ADDRESS).capacity >= 300
    assert per(Config.RATE_LIMIT_JOINS_PER_WORKSHOP).capacity >= 1000
    assert Config.WORKSHOP_MAX_PARTICIPANTS >= 1000
    app, client, now = limited()
    code = create(client)["code"]
    for n in range(300):  # three hundred phones within a minute, all behind the room's address
        now[0] += 0.2
        assert join(client, code).status_code == 201, n


def test_joins_from_one_address_are_bounded_and_refusals_are_counted_for_the_console(limited):
    app, client, now = limited(RATE_LIMIT_JOINS_PER_ADDRESS="20 per minute")
    created = create(client, "sv")
    code, console = created["code"], bearer(created["facilitator_token"])
    statuses = [join(client, code).status_code for _ in range(25)]
    assert statuses == [201] * 20 + [429] * 5
    refused = client.post(f"/api/workshops/{code}/participants", json={"perspective": "buyer"},
                          headers={"Accept-Language": "sv"})
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.get_json()["error"]["message"].startswith("Många ansluter från det här nätverket")
    assert join(client, code, REMOTE_ADDR=ELSEWHERE).status_code == 201  # another address: its own allowance
    snapshot = client.get(f"/api/workshops/{code}", headers=console).get_json()
    assert snapshot["participants"]["count"] == 21
    assert snapshot["joining"] == {"open": True, "refused": 6}
    now[0] += 3  # one join back every three seconds
    assert join(client, code).status_code == 201
    assert join(client, code).status_code == 429


def test_joins_to_one_workshop_are_bounded_by_rate_and_by_size(limited):
    app, client, now = limited(RATE_LIMIT_JOINS_PER_WORKSHOP="5 per minute", WORKSHOP_MAX_PARTICIPANTS=8)
    code, other = create(client)["code"], create(client)["code"]
    addresses = [f"10.0.0.{n}" for n in range(1, 20)]  # a botnet: every join from another address
    statuses = [join(client, code, REMOTE_ADDR=a).status_code for a in addresses[:7]]
    assert statuses == [201] * 5 + [429] * 2
    assert join(client, other).status_code == 201  # another workshop takes joins of its own
    now[0] += 60
    statuses = [join(client, code, REMOTE_ADDR=a).status_code for a in addresses[7:12]]
    assert statuses == [201, 201, 201, 409, 409]  # full at eight
    full = join(client, code, REMOTE_ADDR=addresses[12]).get_json()["error"]
    assert full["code"] == "workshop_full"


def test_a_closed_workshop_refuses_joins_and_its_participants_keep_working_until_reopened(limited):
    app, client, _ = limited()
    created = create(client)
    code, console = created["code"], bearer(created["facilitator_token"])
    token = join(client, code).get_json()["token"]
    assert client.put(f"/api/workshops/{code}/joining", json={"open": "maybe"}, headers=console).status_code == 400
    assert client.put(f"/api/workshops/{code}/joining", json={"open": False}, headers=bearer(token)).status_code == 403
    closed = client.put(f"/api/workshops/{code}/joining", json={"open": False}, headers=console)
    assert closed.status_code == 200 and closed.get_json()["joining"] == {"open": False, "refused": 0}
    assert [join(client, code).status_code for _ in range(3)] == [403] * 3
    assert client.get(f"/api/workshops/{code}/public").get_json()["joining_open"] is False
    assert client.post(f"/api/workshops/{code}/items", json=item(1), headers=bearer(token)).status_code == 201
    assert client.get(f"/api/workshops/{code}", headers=bearer(token)).status_code == 200
    snapshot = client.get(f"/api/workshops/{code}", headers=console).get_json()
    assert snapshot["joining"] == {"open": False, "refused": 3} and snapshot["participants"]["count"] == 1
    assert client.put(f"/api/workshops/{code}/joining", json={"open": True}, headers=console).status_code == 200
    assert join(client, code).status_code == 201
    trail = client.get(f"/api/workshops/{code}/audit", headers=console).get_json()["entries"]
    assert [e["action"] for e in trail].count("joining.set") == 2


def test_the_console_shows_a_labelled_joining_switch_and_the_refused_count(limited):
    app, client, _ = limited()
    created = create(client)
    html = client.get(f"/facilitator/{created['facilitator_token']}").get_data(as_text=True)
    assert 'id="joining-open"' in html and 'role="switch"' in html and "Joining open" in html
    assert 'id="joins-refused"' in html and "Refused joins" in html
