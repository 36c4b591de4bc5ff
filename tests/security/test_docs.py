"""docs/security.md shows the authorisation matrix as workshop.authz has it, cell for cell."""
from __future__ import annotations

import re
from pathlib import Path

from workshop import authz

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"


def _marks(cells: list[str]) -> set[str]:
    return {role for role, cell in zip(authz.ROLES, cells) if cell.strip() == "✓"}


def test_every_route_and_event_of_the_matrix_is_in_the_document_as_it_is_in_the_code():
    routes, events = {}, {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        route = re.fullmatch(r"`[^`]+` \(([\w.]+)\)", cells[0]) if cells else None
        event = re.fullmatch(r"`([\w.]+)`", cells[0]) if cells else None
        if route:
            routes.setdefault(route.group(1), []).append(_marks(cells[1:8]))
        elif event and len(cells) == len(authz.ROLES) + 1:
            events[event.group(1)] = _marks(cells[1:])
    assert set(routes) == set(authz.ROUTES)
    for endpoint, rows in routes.items():
        assert all(marks == set(authz.ROUTES[endpoint].roles) for marks in rows), endpoint
    assert events == {name: set(roles) for name, roles in authz.EVENTS.items()}
