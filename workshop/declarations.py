"""Each operation declared once, beside the service that runs it.

A declaration says everything the rest of the app needs to know about an operation: its name
(the socket event), the schema its input is checked with, who may call it, the function that
runs it (or the batch function that runs a room's worth of them in one transaction), whether a
connection's commands of this kind apply in the order sent, and its HTTP method and path if it
has one. From these the socket handlers (``realtime/namespace.py``), the JSON API's routes
(``http/api.py``), the authorisation tables (``authz.EVENTS`` and ``authz.ROUTES``), the OpenAPI
and AsyncAPI documents and the event tables of docs/realtime.md are all generated, so adding an
operation touches its declaration, its service and its tests only.

This module imports nothing of the app's, so that services can declare without cycles; the
registry is complete once ``workshop.catalogue`` has imported every declaring module.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # pragma: no cover - names for the annotations only
    from marshmallow import Schema


@dataclass(frozen=True)
class Http:
    """The operation over the JSON API: ``path`` under /api, with Flask converters for the ids
    it fills into the input (``<int:theme_id>``); ``endpoint`` names the route (``api.<endpoint>``);
    ``status`` is what a change answers (a resend of a stored client_id answers 200)."""

    method: str
    path: str
    endpoint: str
    status: int = 200
    note: str = ""
    body: bool = True  # False: the input is the path's ids alone, any body is ignored


@dataclass(frozen=True)
class Operation:
    """An operation runs alone (``run``), or with every command of its kind queued for the same
    workshop in one transaction (``many``, see ``group_commit``): what a whole room sends at once."""

    name: str
    schema: "type[Schema]"
    roles: frozenset[str]  # who may call it: the one place that says so
    run: Callable | None = None
    many: Callable | None = None
    # The newest command replaces the older ones: one connection's apply in the order sent
    # (realtime/ordering.py), so the last ballot sent is the one that stands.
    ordered: bool = False
    http: Http | None = None
    summary: str = ""  # one line for the API and protocol documents


REGISTRY: dict[str, Operation] = {}


def declare(name: str, schema, roles, run: Callable | None = None, *, many: Callable | None = None,
            ordered: bool = False, http: Http | None = None, summary: str = "") -> Operation:
    """Register one operation; a second declaration of the same name is a programming error."""
    if name in REGISTRY:
        raise ValueError(f"operation {name!r} is declared twice")
    if (run is None) == (many is None):
        raise ValueError(f"operation {name!r} needs exactly one of run and many")
    operation = Operation(name, schema, frozenset(roles), run, many, ordered, http, summary)
    REGISTRY[name] = operation
    return operation
