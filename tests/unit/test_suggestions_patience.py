"""The live suggestions let the room's traffic go first: a refresh waits for a quiet moment (no
socket event for QUIET_SECONDS) before it starts and before each share of contributions it
embeds, but never longer than LONGEST_WAIT over all, so a room that is never quiet still gets them."""
from __future__ import annotations

import time

from workshop import collector
from workshop.realtime import suggestions_live


def test_a_refresh_waits_for_the_room_to_be_quiet(monkeypatch):
    quiet_from = time.monotonic() + 0.4
    monkeypatch.setattr(collector, "quiet_for", lambda: 10.0 if time.monotonic() >= quiet_from else 0.0)
    started = time.monotonic()
    suggestions_live.patience(longest=5.0)()
    waited = time.monotonic() - started
    assert 0.35 <= waited < 2.0, waited


def test_a_room_that_is_never_quiet_still_gets_its_refresh_and_the_wait_is_shared(monkeypatch):
    monkeypatch.setattr(collector, "quiet_for", lambda: 0.0)
    wait = suggestions_live.patience(longest=0.5)
    started = time.monotonic()
    for _ in range(5):  # one refresh's calls: at the start and before each share it embeds
        wait()
    assert time.monotonic() - started < 1.5


def test_a_quiet_room_is_not_kept_waiting(monkeypatch):
    monkeypatch.setattr(collector, "quiet_for", lambda: 10.0)
    started = time.monotonic()
    suggestions_live.patience()()
    assert time.monotonic() - started < 0.05
