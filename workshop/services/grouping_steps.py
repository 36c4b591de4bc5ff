"""The undo history of grouping: every grouping action is recorded as an ``AggregationStep``
holding the state of what it touched before and after (services/aggregation.py undoes the
latest); the console sees the next step to undo and a few before it.
"""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import AggregationStep, Item, Theme
from .outcome import Change
from .state import iso

HISTORY_SHOWN = 5


def _theme_state(theme: Theme | None) -> dict | None:
    if theme is None:
        return None
    return {"name": theme.name, "position": theme.position, "merged_into_id": theme.merged_into_id}


def _item_state(item: Item | None) -> dict | None:
    if item is None:
        return None
    return {"theme_id": item.theme_id, "origin_theme_id": item.origin_theme_id,
            "merged_into_id": item.merged_into_id}


def capture(workshop_id: int, theme_ids, item_ids) -> dict:
    themes = {t.id: t for t in db.session.scalars(select(Theme).where(
        Theme.workshop_id == workshop_id, Theme.id.in_(list(theme_ids))))} if theme_ids else {}
    items = {i.id: i for i in db.session.scalars(select(Item).where(
        Item.workshop_id == workshop_id, Item.id.in_(list(item_ids))))} if item_ids else {}
    return {"themes": {str(i): _theme_state(themes.get(i)) for i in sorted(theme_ids)},
            "items": {str(i): _item_state(items.get(i)) for i in sorted(item_ids)}}


class Step:
    """The state of what an action touches, taken before it changes anything."""

    def __init__(self, workshop_id: int, kind: str, detail: dict, themes=(), items=()):
        self.workshop_id, self.kind, self.detail = workshop_id, kind, detail
        self.theme_ids, self.item_ids = set(themes), set(items)
        self.before = capture(workshop_id, self.theme_ids, self.item_ids)

    def created_theme(self, theme_id: int) -> None:
        self.theme_ids.add(theme_id)
        self.before["themes"][str(theme_id)] = None

    def record(self) -> AggregationStep:
        db.session.flush()
        after = capture(self.workshop_id, self.theme_ids, self.item_ids)
        row = AggregationStep(workshop_id=self.workshop_id, kind=self.kind, detail=self.detail,
                              before=self.before, after=after)
        db.session.add(row)
        db.session.flush()
        return row


def latest_step(workshop_id: int) -> AggregationStep | None:
    return db.session.scalar(select(AggregationStep).where(
        AggregationStep.workshop_id == workshop_id, AggregationStep.undone_at.is_(None))
        .order_by(AggregationStep.id.desc()).limit(1))


def step_view(step: AggregationStep) -> dict:
    return {"id": step.id, "kind": step.kind, "detail": step.detail, "created_at": iso(step.created_at)}


def history(workshop_id: int) -> dict:
    """What the console shows of the undo history: the step the next undo reverts, and a few
    before it."""
    steps = list(db.session.scalars(select(AggregationStep).where(
        AggregationStep.workshop_id == workshop_id, AggregationStep.undone_at.is_(None))
        .order_by(AggregationStep.id.desc()).limit(HISTORY_SHOWN)))
    return {"undo": step_view(steps[0]) if steps else None, "steps": [step_view(s) for s in steps]}


def for_console(change: Change, workshop_id: int) -> Change:
    """The change, with the console's undo history added to what the console receives."""
    console = dict(change.facilitator_data if change.facilitator_data is not None else change.data)
    console["aggregation"] = history(workshop_id)
    return Change(change.type, change.data, console, change.participant_data)
