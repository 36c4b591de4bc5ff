"""What the facilitator does: move through phases, shape themes, reveal results."""
from __future__ import annotations

from sqlalchemy import func, select

from ..domain import phases
from ..domain.errors import N_, DomainError, NotFound
from ..extensions import db
from ..models import Item, Theme, Vote, VotingRound, utcnow
from . import aggregation, grouping_steps, own_items, rounds, state, views
from .outcome import Change, Outcome
from .spotlight import prework_summary
from .workshops import Identity, lock, require_role
from . import unit
from .. import schemas
from ..declarations import Http, declare
from ..roles import RUNNERS


def set_phase(identity: Identity, target: str) -> Outcome:
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, "phase.changed")
    item_count = db.session.scalar(select(func.count()).select_from(Item).where(
        Item.workshop_id == workshop.id, Item.hidden.is_(False)))
    theme_count = db.session.scalar(select(func.count()).select_from(Theme).where(Theme.workshop_id == workshop.id))
    phases.check_transition(workshop.phases, workshop.phase, target,
                            theme_count=theme_count, item_count=item_count)
    workshop.phase = target
    workshop.closed_at = utcnow() if target == phases.CLOSED else None
    workshop.timer = None  # a timer belongs to its phase, and so does the spotlight
    workshop.spotlight = None
    unit.done()
    data = {"phase": target, "timer": None, "spotlight": None}
    # Back in pre-work, the console's contributor counts are current again, whatever came meanwhile.
    console = {**data, "prework": prework_summary(workshop.id)} if target == phases.PREWORK else None
    return Outcome(workshop.id, stamp, [Change("phase.changed", data, console)],
                   {"phase": target, "version": stamp.version})


def create_theme(identity: Identity, name: str, starter_key: str | None = None) -> Outcome:
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, "theme.added")
    phases.check_open(workshop.phase)
    position = (db.session.scalar(select(func.max(Theme.position)).where(Theme.workshop_id == workshop.id)) or 0) + 1
    theme = Theme(workshop_id=workshop.id, name=name, position=position, starter_key=starter_key)
    step = grouping_steps.Step(workshop.id, "theme.create", {"name": name})
    db.session.add(theme)
    db.session.flush()
    step.created_theme(theme.id)
    step.record()
    unit.done()
    view = views.theme_view(theme)
    # The console's themes list what was merged into each; a new theme has nothing yet.
    change = grouping_steps.for_console(Change("theme.added", {"theme": view}, {"theme": {**view, "merged": []}}),
                                     workshop.id)
    return Outcome(workshop.id, stamp, [change], {"theme": view, "version": stamp.version})


def _theme(workshop_id: int, theme_id: int) -> Theme:
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.workshop_id != workshop_id:
        raise NotFound("theme_not_found", N_("This theme no longer exists."))
    if theme.merged_into_id is not None:
        raise DomainError("theme_merged", aggregation.THEME_MERGED)
    return theme


def rename_theme(identity: Identity, theme_id: int, name: str) -> Outcome:
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, "theme.updated")
    phases.check_open(workshop.phase)
    theme = _theme(workshop.id, theme_id)
    step = grouping_steps.Step(workshop.id, "theme.rename", {"name": name, "was": theme.name}, themes=[theme.id])
    theme.name = name
    step.record()
    unit.done()
    view = views.theme_view(theme)
    change = grouping_steps.for_console(views.with_results("theme.updated", workshop, {"theme": view}, every_round=True), workshop.id)
    return Outcome(workshop.id, stamp, [change], {"theme": view, "version": stamp.version})


def delete_theme(identity: Identity, theme_id: int) -> Outcome:
    """Delete a theme; its items go back to the ungrouped pile (they are never deleted with it)."""
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, "theme.deleted")
    phases.check_open(workshop.phase)
    theme = _theme(workshop.id, theme_id)
    if db.session.scalar(select(func.count()).select_from(Theme).where(Theme.merged_into_id == theme.id)):
        raise DomainError("theme_has_merged", N_("Other themes are merged into this theme. Unmerge them first."))
    item_ids = list(db.session.scalars(select(Item.id).where(Item.theme_id == theme.id)))
    step = grouping_steps.Step(workshop.id, "theme.delete", {"name": theme.name}, themes=[theme.id], items=item_ids)
    for item in db.session.scalars(select(Item).where(Item.theme_id == theme.id)):
        item.theme_id = None
        item.origin_theme_id = None
    db.session.execute(Vote.__table__.delete().where(Vote.entry_id == theme.id, Vote.round_id.in_(
        select(VotingRound.id).where(VotingRound.workshop_id == workshop.id, VotingRound.target == state.THEMES))))
    db.session.delete(theme)
    step.record()
    unit.done()
    change = grouping_steps.for_console(
        views.with_results("theme.deleted", workshop, {"id": theme_id, "item_ids": item_ids}, every_round=True), workshop.id)
    return Outcome(workshop.id, stamp, [change], {"version": stamp.version})


def assign_item(identity: Identity, item_id: int, theme_id: int | None) -> Outcome:
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, "item.updated")
    phases.check_open(workshop.phase)
    item = db.session.get(Item, item_id)
    if item is None or item.workshop_id != workshop.id:
        raise NotFound("item_not_found", N_("This item no longer exists."))
    if item.merged_into_id is not None:
        raise DomainError("item_merged", aggregation.ITEM_MERGED)
    if theme_id is not None:
        _theme(workshop.id, theme_id)
    step = grouping_steps.Step(workshop.id, "item.assign", {"item": item.text[:80]}, items=[item.id])
    item.theme_id = theme_id
    item.origin_theme_id = None
    step.record()
    unit.done()
    change = grouping_steps.for_console(views.item_change("item.updated", item), workshop.id)
    return Outcome(workshop.id, stamp, [change], {"item": change.for_role("facilitator")["item"], "version": stamp.version},
                   own_items.merged_personal(workshop, [item.id]))


def reveal_results(identity: Identity, revealed: bool, round_id: int | None = None) -> Outcome:
    """Reveal or hide a round's results (the current round's unless another is named)."""
    return rounds.reveal(identity, revealed, round_id)


# --- Operations: each declared once (workshop/declarations.py) ---------------------------------

declare("phase.set", schemas.SetPhase, RUNNERS, lambda who, d: set_phase(who, d["phase"]),
        http=Http("PUT", "/workshops/<code>/phase", "set_phase"),
        summary='Move to a phase')
declare("theme.create", schemas.ThemeName, RUNNERS, lambda who, d: create_theme(who, d["name"], d["starter_key"]),
        http=Http("POST", "/workshops/<code>/themes", "create_theme", 201),
        summary='Create a theme')
declare("theme.rename", schemas.RenameTheme, RUNNERS, lambda who, d: rename_theme(who, d["theme_id"], d["name"]),
        http=Http("PATCH", "/workshops/<code>/themes/<int:theme_id>", "rename_theme"),
        summary='Rename a theme')
declare("theme.delete", schemas.ThemeRef, RUNNERS, lambda who, d: delete_theme(who, d["theme_id"]),
        http=Http("DELETE", "/workshops/<code>/themes/<int:theme_id>", "delete_theme", body=False),
        summary='Delete a theme; its items become ungrouped')
declare("item.assign", schemas.AssignItem, RUNNERS, lambda who, d: assign_item(who, d["item_id"], d["theme_id"]),
        http=Http("PUT", "/workshops/<code>/items/<int:item_id>/theme", "assign_item"),
        summary='Move an item into a theme, or out with null')
declare("results.reveal", schemas.Reveal, RUNNERS, lambda who, d: reveal_results(who, d["revealed"], d["round_id"]),
        http=Http("PUT", "/workshops/<code>/results", "reveal_results"),
        summary='Reveal or hide the results')
