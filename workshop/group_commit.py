"""Group commit: commands that arrive together are applied together, in one transaction.

One gevent process serves a whole room. When a thousand phones vote in the same second, a
transaction (and a disk flush) per ballot makes everyone wait on the disk in turn. Instead the
first command to arrive leads: it yields once, so every handler already holding a message can
queue its command, then applies the whole queue, grouped by (use case, workshop), with one
transaction per group. The others wait for their own result. When the leader is done and more
commands queued meanwhile, it hands the lead to the oldest of them. Under light load a batch
holds one command and costs what a single command does; under a burst the batch grows by itself.

Every command still gets its own answer: a use case returns one result per command (an outcome
or the error that command alone caused). Should a whole group fail unexpectedly, each of its
commands is tried again alone, so one bad command cannot sink its neighbours.

Batches never span threads: each thread (each gevent hub) has its own queue, so the code works
unchanged under a threaded test client, where every batch holds one command.
"""
from __future__ import annotations

import weakref
from typing import Any, Callable, Hashable

import gevent
from gevent.event import AsyncResult

MAX_BATCH = 500
_LEAD = object()  # "your turn to lead", handed from one leader to the next


class _Entry:
    __slots__ = ("key", "command", "result")

    def __init__(self, key: Hashable, command: Any):
        self.key, self.command, self.result = key, command, AsyncResult()


class _Queue:
    __slots__ = ("pending", "leading", "__weakref__")

    def __init__(self):
        self.pending: list[_Entry] = []
        self.leading = False


class GroupCommit:
    """``apply(key, commands)`` runs one group and returns a result per command (a value, or an
    exception to raise in that command's caller); it owns the transaction. ``after(results)``, if
    given, runs once the group's callers have their results (to publish what was committed)."""

    def __init__(self, apply: Callable[[Hashable, list], list], max_batch: int = MAX_BATCH,
                 after: Callable[[list], None] | None = None):
        self._apply = apply
        self._after = after
        self._max = max_batch
        self._queues: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def run(self, key: Hashable, command: Any) -> Any:
        """Apply ``command`` with whatever else is queued; return its result or raise its error."""
        queue = self._queues.setdefault(gevent.get_hub(), _Queue())
        entry = _Entry(key, command)
        queue.pending.append(entry)
        if queue.leading:
            got = entry.result.get()
            if got is not _LEAD:
                return _unwrap(got)
            entry.result = AsyncResult()  # led from here on: the batch below answers it
        queue.leading = True
        try:
            gevent.sleep(0)  # every handler that is ready queues its command first
            batch = queue.pending[:self._max]
            del queue.pending[:self._max]
            self._process(batch)
        finally:
            if queue.pending:
                queue.pending[0].result.set(_LEAD)
            else:
                queue.leading = False
        return _unwrap(entry.result.get())

    def _process(self, batch: list[_Entry]) -> None:
        groups: dict[Hashable, list[_Entry]] = {}
        for entry in batch:
            groups.setdefault(entry.key, []).append(entry)
        try:
            for key, entries in groups.items():
                results = self._group(key, [e.command for e in entries])
                for entry, result in zip(entries, results):
                    entry.result.set(result)
                if self._after is not None:
                    # The callers answer first (their work is committed): the leader steps aside
                    # once so their acks leave, then publishes, still before the next batch, so
                    # changes leave in commit order.
                    gevent.sleep(0)
                    self._after(results)
        finally:  # never leave a caller waiting, whatever happened above
            for entry in batch:
                if not entry.result.ready():
                    entry.result.set(RuntimeError("the batch was interrupted"))

    def _group(self, key: Hashable, commands: list) -> list:
        try:
            return self._apply(key, commands)
        except Exception as exc:  # noqa: BLE001 - handed to the callers
            if len(commands) == 1:
                return [exc]
        return [self._alone(key, command) for command in commands]

    def _alone(self, key: Hashable, command: Any) -> Any:
        try:
            return self._apply(key, [command])[0]
        except Exception as exc:  # noqa: BLE001 - handed to the caller
            return exc


def _unwrap(result: Any) -> Any:
    if isinstance(result, BaseException):
        raise result
    return result
