"""The token bucket behind per-participant rate limits on socket events.

A bucket holds up to ``capacity`` tokens and refills at ``rate`` tokens a second; every event
takes one. A phone can send a burst (its whole offline queue at once) but not a stream: the
limit protects the room from one runaway client without ever slowing a person typing.
"""
from __future__ import annotations

import math
from dataclasses import dataclass


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
