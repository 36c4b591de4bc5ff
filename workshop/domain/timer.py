"""The facilitator's countdown for a phase, and whether it still lets people send input.

A timer belongs to the phase it was started in, ends at a moment the server chose, and may lock
input when it runs out. Every screen counts down from the server's ``ends_at`` and the server's
``now`` (so a phone with a wrong clock shows the right time), but only the server decides
whether time is up: ``check_input_open`` is asked with the server's clock by every service that
takes participants' input in a phase (items, ballots, advice, proposals).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .errors import N_, DomainError

MIN_SECONDS = 10
MAX_SECONDS = 4 * 60 * 60  # a phase of a day's workshop; longer is a mistake
TIME_UP = N_("Time is up for this step: the facilitator has closed input.")


@dataclass(frozen=True)
class Timer:
    phase: str
    ends_at: datetime
    seconds: int  # the duration as last set (start or extend), for the screens' progress
    lock: bool

    def to_json(self) -> dict:
        return {"phase": self.phase, "ends_at": self.ends_at.astimezone(timezone.utc).isoformat(),
                "seconds": self.seconds, "lock": self.lock}

    @classmethod
    def from_json(cls, data: dict | None) -> "Timer | None":
        if not data:
            return None
        ends_at = datetime.fromisoformat(data["ends_at"])
        if ends_at.tzinfo is None:
            ends_at = ends_at.replace(tzinfo=timezone.utc)
        return cls(data["phase"], ends_at, int(data["seconds"]), bool(data["lock"]))


def _check_seconds(seconds: int) -> None:
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise DomainError("timer_duration", N_("Choose a time between %(min)s seconds and %(max)s minutes."),
                          min=MIN_SECONDS, max=MAX_SECONDS // 60)


def start(phase: str, seconds: int, lock: bool, now: datetime) -> Timer:
    _check_seconds(seconds)
    return Timer(phase, now + timedelta(seconds=seconds), seconds, lock)


def extend(timer: Timer | None, phase: str, seconds: int, now: datetime) -> Timer:
    """More time: added to what is left, or counted from now if time was already up."""
    if timer is None or timer.phase != phase:
        raise DomainError("timer_not_running", N_("There is no timer running in this phase."))
    _check_seconds(seconds)
    base = max(timer.ends_at, now)
    left = int((base - now).total_seconds()) + seconds
    _check_seconds(left)
    return Timer(phase, base + timedelta(seconds=seconds), left, timer.lock)


def remaining(timer: Timer | None, now: datetime) -> float | None:
    if timer is None:
        return None
    return max(0.0, (timer.ends_at - now).total_seconds())


def is_up(timer: Timer | None, phase: str, now: datetime) -> bool:
    return timer is not None and timer.phase == phase and now >= timer.ends_at


def check_input_open(timer: Timer | dict | None, phase: str, now: datetime) -> None:
    """Raise DomainError when this phase's timer has run out and locks input."""
    if isinstance(timer, dict):
        timer = Timer.from_json(timer)
    if timer is not None and timer.lock and is_up(timer, phase, now):
        raise DomainError("time_up", TIME_UP)
