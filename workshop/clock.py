"""The one place the application reads wall-clock time.

Timers, retention and the audit trail's age all depend on "now". Reading it here (``now()``;
``models.utcnow`` delegates to it) lets a test replace the clock instead of sleeping through a
countdown or a retention period:

- in-process, ``with clock.use(FakeClock()) as fake: ... fake.advance(11)``;
- in a real server process a test started, ``CLOCK_OFFSET_FILE`` names a file holding seconds
  to add to the system clock (``LiveServer.advance_clock`` writes it). It is a development and
  testing aid only: with ``WORKSHOP_ENV=production`` the process refuses to start, and
  without an explicit development or testing environment it is ignored.
"""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Iterator, Protocol

# How often a server re-reads its offset file: often enough that a test's move is seen at once,
# seldom enough that a busy server does not read a file on every timestamp.
REREAD_SECONDS = 0.05


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """The machine's clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class FakeClock:
    """A clock that moves only when told to: ``advance(seconds)`` or ``set(moment)``."""

    def __init__(self, start: datetime | None = None):
        self._now = start or datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> datetime:
        self._now += timedelta(seconds=seconds)
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class OffsetFileClock:
    """The system clock plus the seconds written in a file, re-read at most every 50 ms.

    A missing, empty or unreadable file means no offset: a test writes the file after the server
    started, and a half-written number must not stop the server telling the time."""

    def __init__(self, path: str, base: Clock | None = None):
        self.path = path
        self.base = base or SystemClock()
        self._offset = 0.0
        self._read_at: float | None = None

    def offset(self) -> float:
        moment = time.monotonic()
        if self._read_at is None or moment - self._read_at >= REREAD_SECONDS:
            self._read_at = moment
            try:
                with open(self.path, encoding="utf-8") as handle:
                    self._offset = float(handle.read().strip() or 0)
            except (OSError, ValueError):
                pass  # keep the last offset read (0 before the first)
        return self._offset

    def now(self) -> datetime:
        return self.base.now() + timedelta(seconds=self.offset())


def from_environment(environ) -> Clock:
    """The clock a process starts with. Raises RuntimeError when ``CLOCK_OFFSET_FILE`` is set in
    production, so that a forgotten test setting can never move a real deployment's clock."""
    path = environ.get("CLOCK_OFFSET_FILE")
    if not path:
        return SystemClock()
    env = environ.get("WORKSHOP_ENV", "")
    if env == "production":
        raise RuntimeError("Refusing to start in production with CLOCK_OFFSET_FILE set; it is for tests only.")
    if env not in ("development", "testing"):
        return SystemClock()  # only an explicit development or testing environment may move the clock
    return OffsetFileClock(path)


_clock: Clock = from_environment(os.environ)


def now() -> datetime:
    """The current moment, timezone-aware UTC, from the clock in use."""
    return _clock.now()


def current() -> Clock:
    return _clock


@contextmanager
def use(clock: Clock) -> Iterator[Clock]:
    """Replace the clock for the duration of a ``with`` block (tests)."""
    global _clock
    previous, _clock = _clock, clock
    try:
        yield clock
    finally:
        _clock = previous
