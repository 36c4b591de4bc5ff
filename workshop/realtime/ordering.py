"""Commands of one connection that replace what came before (a ballot) apply in the order sent.

Each event a client sends is handled in its own greenlet, and greenlets start in the order the
packets arrived. Before a command reaches its batch it may wait on the network (the rate-limit
check goes to Redis when several processes share a room), and a later command whose wait ended
first would be applied first: the earlier ballot would then replace the later one, though both
were acknowledged. So a connection's ordered commands take turns, in arrival order, taken before
the first wait: the next one starts only when the one before it has its answer. A resend after a
reconnect comes back in order too (the clients resend what is unacknowledged, oldest first), and
a receipt per client id makes a second delivery of an already applied ballot change nothing.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Hashable, Iterator

# The last command in line per connection; an entry lives only while that connection has one.
_last: dict[Hashable, threading.Event] = {}


@contextmanager
def in_turn(key: Hashable) -> Iterator[None]:
    """Wait for the commands of ``key`` that arrived before this one, then run; must be entered
    before the handler's first wait (under gevent ``threading`` is gevent's, so waiting yields)."""
    before = _last.get(key)
    mine = threading.Event()
    _last[key] = mine
    try:
        if before is not None:
            before.wait()
        yield
    finally:
        mine.set()
        if _last.get(key) is mine:
            del _last[key]
