"""A Socket.IO connection's session: opened from the cookie once, then kept per connection."""
from __future__ import annotations

import uuid

from flask.sessions import SecureCookieSessionInterface

from workshop.extensions import socketio


def test_the_cookie_session_is_opened_once_per_connection_not_per_event(app, client, monkeypatch):
    made = client.post("/api/workshops", json={"question": "Hur stärker vi behovsarbetet?", "language": "sv"}).get_json()
    console = socketio.test_client(app, auth={"role": "facilitator", "token": made["facilitator_token"]},
                                   flask_test_client=client)
    assert console.emit("phase.set", {"phase": "collect"}, callback=True)["ok"]
    token = client.post(f"/api/workshops/{made['code']}/participants",
                        json={"perspective": "buyer", "name": None}).get_json()["token"]
    opened = []
    original = SecureCookieSessionInterface.open_session

    def counting(self, app_, request):
        session = original(self, app_, request)
        if request.path.startswith("/socket.io"):
            opened.append(request.path)
        return session

    monkeypatch.setattr(SecureCookieSessionInterface, "open_session", counting)
    phone = socketio.test_client(app, auth={"role": "participant", "token": token, "lang": "en"},
                                 flask_test_client=client)
    acks = [phone.emit("item.submit", {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": f"Behov {n}"},
                       callback=True) for n in range(5)]
    # Every event still knows who sent it (the identity lives in the connection's session) ...
    assert [a["ok"] for a in acks] == [True] * 5
    assert len({a["item"]["id"] for a in acks}) == 5
    # ... but the signed cookie was checked and decoded for the connection only.
    assert len(opened) == 1
