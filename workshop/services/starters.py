"""The starter themes a workshop's template offers before anything is grouped.

The think-tank template brings the recurring themes of needs assessment
(domain/starter_themes.py), in the workshop's language; a saved template carries the themes of the
workshop it was saved from (``starter_themes`` in its config). The facilitator keeps, renames or
drops them in the console, which creates the kept ones with ``theme.create`` and their
``starter_key``, so that the description keeps helping to place contributions under them.
"""
from __future__ import annotations

from sqlalchemy import select

from ..domain import templates as builtins
from ..domain.starter_themes import STARTER_THEMES, starter_theme
from ..domain.setup import CUSTOM_PREFIX
from ..extensions import db
from ..models import SavedTemplate, Theme, Workshop

# Templates whose subject is needs assessment: they bring the starter themes.
WITH_STARTERS = frozenset({builtins.THINK_TANK.id})


def _builtin(language: str) -> list[dict]:
    return [{"key": t.key, "name": t.name(language), "description": t.description(language)}
            for t in STARTER_THEMES]


def offered(workshop: Workshop) -> list[dict]:
    """What the console offers while the workshop has no theme: ``{key, name, description}``."""
    template = workshop.template or ""
    if template.startswith(CUSTOM_PREFIX):
        row = db.session.scalar(select(SavedTemplate).where(SavedTemplate.key == template))
        return list((row.config or {}).get("starter_themes", [])) if row is not None else []
    return _builtin(workshop.language) if template in WITH_STARTERS else []


def to_save(workshop: Workshop) -> list[dict]:
    """What a template saved from this workshop carries: its themes (with the starter theme's
    description where a theme came from one), or, before any theme exists, what it was offered."""
    themes = list(db.session.scalars(select(Theme).where(
        Theme.workshop_id == workshop.id, Theme.merged_into_id.is_(None)).order_by(Theme.position, Theme.id)))
    if not themes:
        return offered(workshop)
    saved = []
    for theme in themes:
        starter = starter_theme(theme.starter_key) if theme.starter_key else None
        saved.append({"key": theme.starter_key if starter else None, "name": theme.name,
                      "description": starter.description(workshop.language) if starter else ""})
    return saved
