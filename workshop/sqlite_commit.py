"""SQLite commits that do not stop the room.

With ``synchronous=FULL`` every commit waits for the disk to flush, so that what a phone was told
is saved survives a power cut. SQLite waits inside its C call, and in a gevent server a blocking
C call blocks the whole process: no message is read and no ack goes out while the disk flushes.
That is 0.3 ms on a quiet disk and several ms on a busy one, a few hundred times a second in a
burst: a room that waits on the disk in turn.

So in a gevent process, once a flush has been slow, commits run on gevent's thread pool for a
while: SQLite releases the GIL while it writes and flushes, and the process goes on serving
every other screen meanwhile. The greenlet
that commits waits for its commit as it would for a socket, and while it waits the group
commit's next batch fills up (see ``group_commit``): a slower disk makes bigger batches, not a
stalled room. Without gevent (tests, CLI commands) a commit runs where it is called.
"""
from __future__ import annotations

import sqlite3
import time

from .hub import cooperative, off_the_loop

# Handing a commit to a pool thread is not free: the thread must win the GIL back from a busy
# event loop, which can take longer than a quiet disk's whole flush. So a commit flushes where it
# is, and only once a flush has been slow (the disk is busy) do the commits of the next while go
# to the pool; the first quick one there hands them back.
SLOW_FLUSH_S = 0.002
BUSY_DISK_S = 5.0


class _Disk:
    busy_until = 0.0


class Connection(sqlite3.Connection):
    """The sqlite3 connection the app's engine opens for a file database (``factory=``)."""

    def commit(self):
        if not cooperative():
            return super().commit()
        started = time.perf_counter()
        if time.monotonic() < _Disk.busy_until:
            off_the_loop(super().commit)
            if time.perf_counter() - started < SLOW_FLUSH_S:
                _Disk.busy_until = 0.0  # quick again, hand-over included: flush in place
            return None
        super().commit()
        if time.perf_counter() - started >= SLOW_FLUSH_S:
            _Disk.busy_until = time.monotonic() + BUSY_DISK_S
        return None
