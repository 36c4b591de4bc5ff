"""When the garbage collector may stop the room.

A thousand connected phones keep about a million objects alive. CPython's full collection walks
all of them, and while it does (a quarter to half a second on a small machine) the process
handles no event: every ack in flight waits. Left to itself, CPython starts a full collection
whenever a quarter more objects have survived the younger collections, which is exactly what
happens while a room joins and submits: the benchmark saw nine such pauses of up to 530 ms.

So the server process (never tests or CLI commands):

- takes what exists once the app is built (modules, mappers, catalogues; never garbage) out of
  every collection;
- keeps CPython's young collections, which are short and free most cyclic garbage;
- never starts a full collection by itself; it runs one when the room has been quiet for a moment
  (no event for ``IDLE_S``), or at the latest every ``LONGEST_S`` seconds, so garbage that
  reached the oldest generation is freed all the same.
"""
from __future__ import annotations

import gc
import logging
import time
from typing import Callable
from . import metrics

log = logging.getLogger(__name__)

IDLE_S = 1.0        # quiet this long, and a pause of a few hundred ms harms nobody
LONGEST_S = 300.0   # a busy room still gets a full collection this often
CHECK_EVERY_S = 0.5
NEVER = 1_000_000   # gen-1 collections before CPython would start a full one by itself

_last_activity = time.monotonic()
_started = False


def quiet_for() -> float:
    """Seconds since this process last had a socket event or connection: how quiet the room is."""
    return time.monotonic() - _last_activity


def busy() -> None:
    """Called for every socket event and connection: the room is not quiet."""
    global _last_activity
    _last_activity = time.monotonic()


class IdleCollector:
    """Decides, each time it is asked, whether a full collection should run now.

    ``clock`` and ``collect`` are injectable so the policy is tested without sleeping."""

    def __init__(self, last_activity: Callable[[], float], clock: Callable[[], float] = time.monotonic,
                 collect: Callable[[], object] = gc.collect, idle_s: float = IDLE_S,
                 longest_s: float = LONGEST_S, pending: Callable[[], bool] | None = None):
        self._last_activity = last_activity
        self._clock = clock
        self._collect = collect
        self._idle_s = idle_s
        self._longest_s = longest_s
        self._pending = pending or (lambda: gc.get_count()[2] > 0)
        self._last_full = clock()

    def tick(self) -> str | None:
        """Run a full collection if it is time; returns why ("idle" or "overdue"), or None."""
        now = self._clock()
        if not self._pending():
            return None  # nothing reached the oldest generation since the last full collection
        quiet = now - self._last_activity() >= self._idle_s
        reason = "idle" if quiet else "overdue" if now - self._last_full >= self._longest_s else None
        if reason:
            self._collect()
            self._last_full = self._clock()
        return reason


def start(sleep: Callable[[float], None], spawn: Callable) -> None:
    """Take over full collections for this server process (see the module's docstring)."""

    global _started
    if _started:  # one collector per process, however many apps it builds
        return
    _started = True
    gc.collect()
    gc.freeze()
    young0, young1, _ = gc.get_threshold()
    gc.set_threshold(young0, young1, NEVER)
    collector = IdleCollector(lambda: _last_activity)

    def run_forever():
        while True:
            sleep(CHECK_EVERY_S)
            started = time.perf_counter()
            try:
                reason = collector.tick()
            except Exception:  # never let the collector's loop die
                log.exception("a full garbage collection failed")
                continue
            if reason:
                metrics.full_collection(reason, time.perf_counter() - started)

    spawn(run_forever)
