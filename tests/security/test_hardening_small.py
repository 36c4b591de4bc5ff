"""Smaller hardening: the language cookie, Socket.IO's own responses, the host that goes into
links and QR codes, and the Socket.IO packet limit as announced, enforced and documented."""
from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest
import requests
import socketio

from tests.conftest import FreshLocaleClient
from workshop import TRANSPORT_FACTOR, create_app, schemas
from workshop.extensions import db
from workshop.models import Workshop

DOCS = Path(__file__).resolve().parents[2] / "docs"
EVIL = "http://evil.example"


@pytest.fixture
def production(tmp_path):
    """A production app; each test names the settings that matter to it."""
    made = []

    def make(**overrides):
        app = create_app("production", SECRET_KEY="s" * 40, PRIVACY_PURGE_EVERY=None,
                         SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / f'p{len(made)}.db'}", **overrides)
        app.test_client_class = FreshLocaleClient
        with app.app_context():
            db.create_all()
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


def _create(client, base_url: str):
    return client.post("/api/workshops", json={"question": "How do we buy better?", "language": "en"},
                       base_url=base_url)


def _workshops(app) -> int:
    with app.app_context():
        return db.session.query(Workshop).count()


# --- the language cookie ------------------------------------------------------------------------

def test_the_language_cookie_is_secure_in_production_even_when_tls_ends_at_the_balancer(production):
    client = production().test_client()
    response = client.get("/?lang=sv", base_url="http://localhost")  # the balancer speaks plain HTTP
    cookie = next(v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("lang="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


# --- the host in links --------------------------------------------------------------------------

def test_without_public_url_production_never_puts_an_untrusted_host_into_a_link(production):
    app = production()
    client = app.test_client()
    refused = _create(client, EVIL)
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "unknown_host"
    assert _workshops(app) == 0
    created = _create(client, "http://127.0.0.1:5000")  # the server tried out on its own machine
    assert created.status_code == 201 and created.get_json()["join_url"].startswith("http://127.0.0.1:5000/join/")
    code = created.get_json()["code"]
    qr = client.get(f"/w/{code}/qr.svg?lang=sv", base_url=EVIL)
    assert qr.status_code == 400 and "Servern svarar inte på den här adressen" in qr.get_data(as_text=True)
    assert client.get(f"/facilitator/{created.get_json()['facilitator_token']}", base_url=EVIL).status_code == 400
    # Nor into a connection's snapshot: its handshake is refused before the Socket.IO server.
    assert client.get("/socket.io/?EIO=4&transport=polling", base_url=EVIL).status_code == 400


def test_configured_hosts_are_the_only_ones_answered_and_the_only_ones_in_links(production):
    app = production(ALLOWED_HOSTS=["workshop.example.org"])
    client = app.test_client()
    for path in ("/", "/join", "/api/templates", "/socket.io/?EIO=4&transport=polling"):
        assert client.get(path, base_url=EVIL).status_code == 400, path
    assert _create(client, EVIL).status_code == 400 and _workshops(app) == 0
    assert client.get("/healthz", base_url="http://10.0.0.7:8000").status_code == 200  # a balancer's probe
    created = _create(client, "https://workshop.example.org").get_json()
    assert created["join_url"] == f"https://workshop.example.org/join/{created['code']}"
    qr = client.get(f"/w/{created['code']}/qr.svg", base_url="https://workshop.example.org")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    handshake = client.get("/socket.io/?EIO=4&transport=polling", base_url="https://workshop.example.org")
    assert handshake.status_code == 200 and handshake.get_data(as_text=True).startswith("0{")


def test_with_public_url_links_use_it_and_other_hosts_are_refused(production):
    app = production(PUBLIC_URL="https://workshop.example.org")
    client = app.test_client()
    assert client.get("/", base_url=EVIL).status_code == 400
    assert client.get("/", base_url="https://workshop.example.org").status_code == 200
    created = _create(client, "http://localhost").get_json()  # loopback: answered, but the link is PUBLIC_URL's
    assert created["join_url"] == f"https://workshop.example.org/join/{created['code']}"


def test_the_qr_code_is_never_kept_in_a_shared_cache(production):
    app = production(PUBLIC_URL="https://workshop.example.org")
    client = app.test_client()
    code = _create(client, "https://workshop.example.org").get_json()["code"]
    cache = client.get(f"/w/{code}/qr.svg", base_url="https://workshop.example.org").headers["Cache-Control"]
    assert "public" not in cache and "private" in cache and "no-store" in cache


# --- Socket.IO's own responses ------------------------------------------------------------------

PAGE_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options",
                "Permissions-Policy", "Cross-Origin-Opener-Policy", "Cross-Origin-Resource-Policy")


def test_socket_io_handshake_and_polling_responses_carry_the_page_headers(live_server):
    page = requests.get(live_server.url + "/", timeout=5).headers
    created = live_server.create_workshop()
    token = live_server.join(created["code"])["token"]
    url = live_server.url + "/socket.io/?EIO=4&transport=polling"
    handshake = requests.get(url, timeout=5)
    sid = json.loads(handshake.text[1:])["sid"]
    connect = requests.post(f"{url}&sid={sid}", data="40" + json.dumps({"role": "participant", "token": token}),
                            timeout=5)
    poll = requests.get(f"{url}&sid={sid}", timeout=5)
    assert "40{" in poll.text and "snapshot" in poll.text  # connected, the snapshot came by long-polling
    refused = requests.get(url, headers={"Origin": "https://evil.example"}, timeout=5)
    assert refused.status_code == 400
    for response in (handshake, connect, poll, refused):
        for name in PAGE_HEADERS:
            assert response.headers.get(name) == page[name], (response.request.method, name)
        assert response.headers["Cache-Control"] == "no-store"


# --- the packet limit ---------------------------------------------------------------------------

def _documented_limit() -> int:
    text = (DOCS / "realtime.md").read_text(encoding="utf-8")
    return int(re.search(r"A Socket\.IO packet larger than (\d+) bytes \(`SOCKET_MAX_PAYLOAD`", text).group(1))


def _packet_bytes(event: str, payload: dict) -> int:
    """The packet's size as Engine.IO counts it ("42" and an ack id before the JSON), the larger of
    a browser's encoding (raw UTF-8) and the Python client's (every non-ASCII character escaped)."""
    body = [event, payload]
    escaped = json.dumps(body, separators=(",", ":"))
    raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return len("4299999") + max(len(escaped), len(raw))


def _largest_payloads() -> dict:
    """The longest of each kind the schemas accept (ids of up to 7 digits)."""
    astral = "\U0001F600"  # 4 bytes as UTF-8, 12 escaped
    client_id = "c" * 64
    ratings = {str(9_999_999 - n): {"impact": 5, "feasibility": 5} for n in range(200)}
    return {
        "ballot.set": (schemas.SetBallot, {"client_id": client_id, "round_id": 9_999_999, "ratings": ratings}),
        "comment.submit": (schemas.SubmitComment, {"client_id": client_id, "text": astral * 500,
                                                   "theme_id": 9_999_999}),
        "theme.split": (schemas.SplitTheme, {"name": astral * 120, "item_ids": list(range(9_999_500, 10_000_000)),
                                             "theme_id": 9_999_999}),
        "item.submit": (schemas.SubmitItem, {"client_id": client_id, "lane": astral * 40, "text": astral * 280}),
    }


def test_the_announced_enforced_and_documented_packet_limits_agree(live_server, screens):
    handshake = requests.get(live_server.url + "/socket.io/?EIO=4&transport=polling", timeout=5)
    announced = json.loads(handshake.text[1:])["maxPayload"]  # the transport's cut-off
    limit = _documented_limit()  # the protocol's limit, answered payload_too_large
    assert limit == 8192 and announced == limit * TRANSPORT_FACTOR
    for event, (schema, payload) in _largest_payloads().items():
        schema().load(payload)  # valid: the limit must not cut off a payload the server accepts
        assert _packet_bytes(event, payload) <= limit, event
    created = live_server.create_workshop()
    phone = screens(live_server, "participant", live_server.join(created["code"])["token"])
    schema, ballot = _largest_payloads()["ballot.set"]
    reply = phone.call("ballot.set", ballot)  # answered by the rules (no such round), not cut off
    assert reply["ok"] is False and reply["error"]["code"] != "server_error"
    too_big = {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "x" * limit}
    refused = phone.call("item.submit", too_big, timeout=10)
    assert refused["ok"] is False and refused["error"]["code"] == "payload_too_large"
    assert refused["error"]["max_bytes"] == limit and phone.sio.connected
    cut_off = {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "x" * announced}
    with pytest.raises(socketio.exceptions.TimeoutError):
        phone.call("item.submit", cut_off, timeout=3)
    phone.wait_for(lambda: not phone.sio.connected, timeout=10)
