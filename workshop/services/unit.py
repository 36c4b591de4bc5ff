"""One commit site: a service says its change is complete (``done``); whoever runs it commits.

Every operation runs inside ``operations.perform`` (or, batched, ``operations._apply_group``),
which opens a unit of work around the service: there ``done`` only flushes, the audit entry joins
the same transaction, and the one commit makes both durable together, so a crash can never keep
a change without its audit entry or the other way round. What must wait for that commit (dropping
a cache that a concurrent reader could refill from the state before it) is handed to
``after_commit``. Run on its own (a command-line task, a retention purge, a service under test)
a service's ``done`` commits at once, as its caller expects.
"""
from __future__ import annotations

import functools
from contextlib import contextmanager
from typing import Callable

from flask import g, has_app_context

from ..extensions import db


def _open() -> list | None:
    return g.get("_unit_after") if has_app_context() else None


def done() -> None:
    """The service's change is complete: flushed inside a unit of work, else committed."""
    if _open() is not None:
        db.session.flush()
    else:
        db.session.commit()


def after_commit(action: Callable[[], None]) -> None:
    """Run ``action`` once the change is committed (at once when no unit of work is open)."""
    pending = _open()
    if pending is not None:
        pending.append(action)
    else:
        action()


def atomic(service: Callable) -> Callable:
    """For a service that is not an operation (an organiser's page, the retention purge): its
    change and its audit entry are committed together by one unit of work, as ``perform`` does
    for operations, never the change first and its entry in a second transaction."""
    @functools.wraps(service)
    def run(*args, **kwargs):
        with unit_of_work():
            return service(*args, **kwargs)
    return run


@contextmanager
def unit_of_work():
    """Run the body as one transaction and commit it at the end; roll back on any error."""
    if _open() is not None:  # already inside one: it commits
        yield
        return
    g._unit_after = pending = []
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        g.pop("_unit_after", None)
    for action in pending:
        action()
