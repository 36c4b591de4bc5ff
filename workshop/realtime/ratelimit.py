"""Where rate-limit buckets live: in this process, or in Redis when several processes share a room.

The socket namespace and the JSON API take from the same buckets (app.extensions["rate_limiter"]),
so a client gains nothing by switching paths.

Buckets are ephemeral counters, not workshop state: losing them on a restart only forgives a
few events. With ``RATE_LIMIT_REDIS`` (by default the Redis message queue, when there is one)
every process takes from the same bucket, so a client cannot multiply its allowance by
reconnecting to another process. If Redis cannot be reached the limiter lets events through:
refusing a person's work because a counter is unavailable would be the worse failure.
"""
from __future__ import annotations

import logging
import threading
import time

import redis

from ..domain.ratelimit import Bucket, Decision, per, take

log = logging.getLogger(__name__)

# KEYS[1] bucket key; ARGV capacity, rate. The same arithmetic as domain.ratelimit.take, in Redis
# so that the read, refill and write are one atomic step across processes.
TAKE_SCRIPT = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 't')
local tokens = tonumber(state[1])
if tokens == nil then
  tokens = capacity
else
  tokens = math.min(capacity, tokens + math.max(t - tonumber(state[2]), 0) * rate)
end
local allowed = 0
local retry = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retry = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 't', t)
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate) + 5)
return {allowed, tostring(tokens), tostring(retry)}
"""


class MemoryBuckets:
    """Buckets of one process. Bounded: full buckets of idle clients are forgotten. ``clock`` is
    an input, so tests can move time instead of sleeping through it."""

    MAX_KEYS = 100_000

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.state: dict[str, tuple[float, float, float]] = {}  # key -> tokens, when, full again after
        self.mutex = threading.Lock()

    def take(self, key: str, bucket: Bucket) -> Decision:
        now = self.clock()
        with self.mutex:
            tokens, last, _ = self.state.get(key, (None, now, 0.0))
            decision = take(bucket, tokens, now - last)
            refill = bucket.capacity / bucket.rate if bucket.rate else 3600.0
            self.state[key] = (decision.tokens, now, refill)
            if len(self.state) > self.MAX_KEYS:
                self._forget_idle(now)
        return decision

    def _forget_idle(self, now: float) -> None:
        """Forgetting a bucket that has refilled changes nothing; one that has not would forgive."""
        self.state = {k: v for k, v in self.state.items() if now - v[1] < v[2]}


class RedisBuckets:
    def __init__(self, url: str, prefix: str):
        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.script = self.client.register_script(TAKE_SCRIPT)
        self.prefix = prefix

    def take(self, key: str, bucket: Bucket) -> Decision:
        try:
            allowed, tokens, retry = self.script(keys=[f"{self.prefix}:{key}"], args=[bucket.capacity, bucket.rate])
        except Exception:
            log.warning("rate limiter: Redis unreachable; letting the event through", exc_info=True)
            return Decision(True, bucket.capacity, 0.0)
        return Decision(bool(int(allowed)), float(tokens), float(retry))


class RateLimiter:
    """One bucket per participant (or per workshop screen for the console and projector), the
    same whichever path a command takes, socket or JSON API; and the limits counted per address
    or per workshop (``LIMITS``), each a bucket per key."""

    def __init__(self, buckets: dict[str, Bucket], storage, limits: dict[str, Bucket] | None = None,
                 enabled: bool = True):
        self.buckets = buckets
        self.storage = storage
        self.limits = limits or {}
        self.enabled = enabled  # RATE_LIMIT_ENABLED: the per-address and per-workshop limits

    def check(self, identity) -> Decision:
        bucket = self.buckets.get(identity.role)
        if bucket is None:
            return ALLOWED
        who = identity.participant_id if identity.participant_id else f"w{identity.workshop_id}"
        return self.storage.take(f"{identity.role}:{who}", bucket)

    def take(self, name: str, who: str) -> Decision:
        """One token from the bucket ``who`` (an address, a workshop) holds under limit ``name``."""
        bucket = self.limits.get(name)
        if not self.enabled or bucket is None:
            return ALLOWED
        return self.storage.take(f"{name}:{who}", bucket)


ALLOWED = Decision(True, 0.0, 0.0)
# Limits counted per address or per workshop: the setting that sizes each (see config/).
LIMITS = {
    "unknown-code": "RATE_LIMIT_JOIN_FAILURES",  # per address: look-ups of codes that do not exist
    "join-address": "RATE_LIMIT_JOINS_PER_ADDRESS",  # per address: joins
    "join-workshop": "RATE_LIMIT_JOINS_PER_WORKSHOP",  # per workshop: joins
}


def init_rate_limiter(app) -> None:
    buckets = {role: Bucket(*limits) for role, limits in app.config["SOCKET_RATE_LIMITS"].items()}
    limits = {name: per(app.config[setting]) for name, setting in LIMITS.items() if app.config.get(setting)}
    url = app.config.get("RATE_LIMIT_REDIS")
    if url is None:
        queue = app.config.get("SOCKETIO_MESSAGE_QUEUE") or ""
        url = queue if queue.startswith(("redis://", "rediss://", "unix://")) else None
    storage = RedisBuckets(url, f"ratelimit:{app.config['SOCKETIO_CHANNEL']}") if url else MemoryBuckets()
    app.extensions["rate_limiter"] = RateLimiter(buckets, storage, limits, app.config["RATE_LIMIT_ENABLED"])
