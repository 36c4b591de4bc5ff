"""In the real server process (gevent, one OS thread for every screen): while the mail server
holds a message, the room goes on (joins, pages, health checks answer at once), and the organiser's
page reports the send once it is done."""
from __future__ import annotations

import threading
import time

import pytest
import requests

from tests.live import LiveServer
from tests.mail.smtp import Inbox, SMTPServer, calendar_of
from tests.security.live_accounts import form, signed_in

pytestmark = pytest.mark.e2e


def _timed(call) -> tuple[float, requests.Response]:
    started = time.monotonic()
    response = call()
    return time.monotonic() - started, response


def test_a_send_held_by_the_mail_server_never_stalls_the_room(tmp_path):
    inbox = Inbox(hold=threading.Event())
    with SMTPServer(inbox) as smtp:
        env = {key: str(value) for key, value in smtp.settings().items()}
        env["MAIL_USE_TLS"] = "0"
        env["MAIL_TIMEOUT"] = "30"  # longer than the test holds it: only the hold is measured
        server = LiveServer(f"sqlite:///{tmp_path / 'mail.db'}", tmp_path / "server.log", env)
        server.migrate()
        server.start()
        try:
            owner = signed_in(server, f"owner-{time.monotonic_ns()}@example.org")
            created = form(owner, server.url + "/organiser/workshops", question="Hur köper vi bättre?",
                           language="sv", template="think-tank", day="2026-12-15", start="09:00", end="12:00",
                           place="Stadshuset")
            assert created.status_code == 303, created.text[:500]
            code = created.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
            page = f"{server.url}/organiser/workshops/{code}"
            assert form(owner, page + "/recipients", addresses="kim@example.org").status_code == 303
            room = (lambda: requests.get(server.url + "/healthz", timeout=10),
                    lambda: requests.get(f"{server.url}/join/{code}", timeout=10),
                    lambda: server.api("POST", f"/api/workshops/{code}/participants", json={"perspective": "buyer"}))
            for call in room:  # once before, so that nothing below pays for a first use
                assert call().status_code in (200, 201)
            elapsed, sent = _timed(lambda: form(owner, page + "/mailings", kind="prework"))
            assert sent.status_code == 303 and elapsed < 2
            # The server holds the message at DATA for four seconds. A send that held the event loop
            # would hold every request below with it, until the hold ends after this loop: each
            # must answer well within the hold (a loaded 2-core machine gets some slack).
            held_until = time.monotonic() + 4
            while time.monotonic() < held_until:
                assert "sending to 1" in owner.get(page, timeout=10).text
                for call in room:
                    took, response = _timed(call)
                    assert response.status_code in (200, 201) and took < 2, (response.status_code, took)
                time.sleep(0.2)
            assert inbox.messages == []
            join_page = requests.get(f"{server.url}/join/{code}", timeout=5).text
            assert "15 december 2026" in join_page and "Stadshuset" in join_page
            inbox.hold.set()
            deadline = time.monotonic() + 10
            while "1 sent, 0 failed" not in owner.get(page, timeout=10).text:
                assert time.monotonic() < deadline, "the organiser's page never reported the send"
                time.sleep(0.1)
            [(rcpt, message)] = inbox.messages
            assert rcpt == ["kim@example.org"] and message["Subject"] == "Inbjudan: Hur köper vi bättre?"
            [event] = calendar_of(message)[0].walk("VEVENT")
            assert str(event["location"]) == "Stadshuset"
        finally:
            server.stop()
