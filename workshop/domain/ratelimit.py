"""The token bucket behind every rate limit of a live room: per participant (socket events and
the JSON API alike), joins per address and per workshop, and look-ups of join codes that do not
exist.

A bucket holds up to ``capacity`` tokens and refills at ``rate`` tokens a second; every event
takes one. A phone can send a burst (its whole offline queue at once) but not a stream: the
limit protects the room from one runaway client without ever slowing a person typing.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import DomainError


@dataclass(frozen=True)
class Bucket:
    capacity: float
    rate: float  # tokens per second


@dataclass(frozen=True)
class Decision:
    allowed: bool
    tokens: float  # left after this event
    retry_after: float  # seconds until one token is back, 0 when allowed


def take(bucket: Bucket, tokens: float | None, elapsed: float) -> Decision:
    """Take one token from a bucket that held ``tokens`` (None: new, so full) ``elapsed`` s ago."""
    available = bucket.capacity if tokens is None else min(bucket.capacity, tokens + max(elapsed, 0) * bucket.rate)
    if available >= 1:
        return Decision(True, available - 1, 0.0)
    wait = (1 - available) / bucket.rate if bucket.rate > 0 else math.inf
    return Decision(False, available, wait)


PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def per(limit: str) -> Bucket:
    """A limit written as people say it ("600 per minute" or "600/minute", as the other HTTP limits
    are written) as a bucket: the whole allowance at once, refilled evenly over the period."""
    words = limit.replace("/", " per ").split()
    try:
        if len(words) != 3 or words[1] != "per":
            raise ValueError
        amount, seconds = float(words[0]), PERIODS[words[2].rstrip("s")]
    except (ValueError, KeyError):
        raise ValueError(f"a rate limit reads like '600 per minute', not {limit!r}") from None
    if amount <= 0:
        raise ValueError(f"a rate limit must allow something, not {limit!r}")
    return Bucket(amount, amount / seconds)


class RateLimited(DomainError):
    """Refused for now, not for good: ``retry_after`` says when a token is back."""

    status = 429

    def __init__(self, message: str, retry_after: float, code: str = "rate_limited"):
        super().__init__(code, message)
        self.retry_after = retry_after
