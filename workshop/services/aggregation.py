"""Aggregation: merge, unmerge, split and move themes and items, and undo, with provenance.

Every grouping action is recorded as an ``AggregationStep`` holding the state of what it touched
before and after (services/grouping_steps.py). Undo restores the "before" state of the latest step, but only when everything
the step touched is still exactly as the step left it; otherwise it is refused and nothing
changes. Steps live in the database, so undo survives a reload and a server restart.

Each action is one versioned change, ``themes.changed``, carrying the themes as they now stand
and the items that moved (see docs/realtime.md), shaped for each role in
services/grouping_views.py: the console also receives what it alone shows, where a merged item or
theme came from and what the next undo would do.
"""
from __future__ import annotations

from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from ..domain import phases
from ..domain import provenance as rules
from ..domain.errors import N_, DomainError, NotFound
from ..extensions import db
from ..models import AggregationStep, Item, Theme, Vote, VotingRound, utcnow
from . import own_items, views
from .grouping_steps import Step, capture, latest_step, step_view
from .grouping_views import CHANGED, changed
from .outcome import Outcome
from .workshops import Identity, lock, require_role
from . import unit
from .. import schemas
from ..declarations import Http, declare
from ..roles import RUNNERS

NOTHING_TO_UNDO = N_("There is nothing to undo.")
UNDO_MOVED_ON = N_("The grouping was changed since you looked: the last step is now “%(step)s”. Check it, then undo again.")
UNDO_CONFLICT = N_("This step can no longer be undone: a theme or item it changed has been changed since.")
UNDO_VOTES = N_("This step can no longer be undone: participants have voted on the theme it created.")
THEME_MERGED = N_("This theme was merged into another theme. Unmerge it first, or use the theme it was merged into.")
ITEM_MERGED = N_("This item was merged into another item. Unmerge it first.")


def _outcome(workshop, stamp, item_ids, reply: dict | None = None) -> Outcome:
    change = changed(workshop, item_ids)
    return Outcome(workshop.id, stamp, [change], {**(reply or {}), "version": stamp.version,
                                                  "aggregation": change.facilitator_data["aggregation"]},
                   own_items.merged_personal(workshop, item_ids))


# --- Looking things up ---------------------------------------------------------------------

def _start(identity: Identity):
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, CHANGED)
    phases.check_open(workshop.phase)
    return workshop, stamp


def active_theme(workshop_id: int, theme_id: int) -> Theme:
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.workshop_id != workshop_id:
        raise NotFound("theme_not_found", N_("This theme no longer exists."))
    if theme.merged_into_id is not None:
        raise DomainError("theme_merged", THEME_MERGED)
    return theme


def _any_theme(workshop_id: int, theme_id: int) -> Theme:
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.workshop_id != workshop_id:
        raise NotFound("theme_not_found", N_("This theme no longer exists."))
    return theme


def _item(workshop_id: int, item_id: int, *, merged_ok: bool = False) -> Item:
    item = db.session.get(Item, item_id)
    if item is None or item.workshop_id != workshop_id or item.hidden:
        raise NotFound("item_not_found", N_("This item no longer exists."))
    if item.merged_into_id is not None and not merged_ok:
        raise DomainError("item_merged", ITEM_MERGED)
    return item


def _items(workshop_id: int, item_ids: list[int]) -> list[Item]:
    if not item_ids:
        raise DomainError("no_items", N_("Choose at least one item."))
    return [_item(workshop_id, i) for i in dict.fromkeys(item_ids)]


def _theme_map(workshop_id: int) -> dict[int, int | None]:
    return dict(db.session.execute(select(Theme.id, Theme.merged_into_id)
                                   .where(Theme.workshop_id == workshop_id)).all())


def _next_position(workshop_id: int) -> int:
    return (db.session.scalar(select(func.max(Theme.position)).where(Theme.workshop_id == workshop_id)) or 0) + 1


# --- Use cases -----------------------------------------------------------------------------

def merge_themes(identity: Identity, theme_id: int, into_id: int) -> Outcome:
    """Merge theme ``theme_id`` into ``into_id``: its items move there, remembering where they came
    from, its row stays (merged), and ballots cast on it count for ``into_id``."""
    workshop, stamp = _start(identity)
    if theme_id == into_id:
        raise DomainError("merge_same", N_("Choose two different themes to merge."))
    source, target = active_theme(workshop.id, theme_id), active_theme(workshop.id, into_id)
    moving = list(db.session.scalars(select(Item).where(Item.theme_id == source.id)))
    step = Step(workshop.id, "theme.merge", {"theme": source.name, "into": target.name},
                themes=[source.id, target.id], items=[i.id for i in moving])
    source.merged_into_id = target.id
    for item in moving:
        item.theme_id = target.id
        item.origin_theme_id = item.origin_theme_id or source.id
    step.record()
    unit.done()
    return _outcome(workshop, stamp, [i.id for i in moving], {"theme": views.theme_view(target)})


def unmerge_theme(identity: Identity, theme_id: int) -> Outcome:
    """Give a merged theme back its own: exactly the items that came with it and are still in
    the theme it was merged into."""
    workshop, stamp = _start(identity)
    theme = _any_theme(workshop.id, theme_id)
    if theme.merged_into_id is None:
        raise DomainError("theme_not_merged", N_("This theme is not merged into another theme."))
    merged_into = _theme_map(workshop.id)
    holder = rules.survivors(merged_into)[theme.id]
    family = rules.descendants(merged_into, theme.id)
    returning = list(db.session.scalars(select(Item).where(
        Item.workshop_id == workshop.id, Item.theme_id == holder, Item.origin_theme_id.in_(family))))
    step = Step(workshop.id, "theme.unmerge", {"theme": theme.name},
                themes=[theme.id], items=[i.id for i in returning])
    theme.merged_into_id = None
    for item in returning:
        item.theme_id = theme.id
        if item.origin_theme_id == theme.id:
            item.origin_theme_id = None
    step.record()
    unit.done()
    return _outcome(workshop, stamp, [i.id for i in returning], {"theme": views.theme_view(theme)})


def merge_items(identity: Identity, item_id: int, into_id: int) -> Outcome:
    """Merge a likely duplicate into another item: it is kept, with its text, as part of it."""
    workshop, stamp = _start(identity)
    if item_id == into_id:
        raise DomainError("merge_same_item", N_("Choose two different items to merge."))
    item, into = _item(workshop.id, item_id), _item(workshop.id, into_id)
    step = Step(workshop.id, "item.merge", {"item": item.text[:80], "into": into.text[:80]},
                items=[item.id, into.id])
    item.merged_into_id = into.id
    step.record()
    unit.done()
    return _outcome(workshop, stamp, [item.id, into.id])


def unmerge_item(identity: Identity, item_id: int) -> Outcome:
    workshop, stamp = _start(identity)
    item = _item(workshop.id, item_id, merged_ok=True)
    if item.merged_into_id is None:
        raise DomainError("item_not_merged", N_("This item is not merged into another item."))
    into_id = item.merged_into_id
    step = Step(workshop.id, "item.unmerge", {"item": item.text[:80]}, items=[item.id, into_id])
    item.merged_into_id = None
    step.record()
    unit.done()
    return _outcome(workshop, stamp, [item.id, into_id])


def split_theme(identity: Identity, name: str, item_ids: list[int], theme_id: int | None = None) -> Outcome:
    """Take the chosen items into a new theme called ``name``; with ``theme_id``, only items of
    that theme may be taken (a split), without it any items (grouping ungrouped ones)."""
    workshop, stamp = _start(identity)
    if theme_id is not None:
        active_theme(workshop.id, theme_id)
    items = _items(workshop.id, item_ids)
    if theme_id is not None and any(i.theme_id != theme_id for i in items):
        raise DomainError("split_foreign_item", N_("Only items of this theme can be split off from it."))
    step = Step(workshop.id, "theme.split" if theme_id is not None else "theme.group", {"name": name},
                items=[i.id for i in items])
    theme = Theme(workshop_id=workshop.id, name=name, position=_next_position(workshop.id))
    db.session.add(theme)
    db.session.flush()
    step.created_theme(theme.id)
    for item in items:
        item.theme_id = theme.id
        item.origin_theme_id = None
    step.record()
    unit.done()
    return _outcome(workshop, stamp, [i.id for i in items], {"theme": views.theme_view(theme)})


def move_items(identity: Identity, item_ids: list[int], theme_id: int | None) -> Outcome:
    """Move several items at once into a theme (or back to ungrouped): one step, one change."""
    workshop, stamp = _start(identity)
    target = active_theme(workshop.id, theme_id) if theme_id is not None else None
    items = _items(workshop.id, item_ids)
    step = Step(workshop.id, "items.move", {"theme": target.name if target else None, "count": len(items)},
                items=[i.id for i in items])
    for item in items:
        item.theme_id = theme_id
        item.origin_theme_id = None
    step.record()
    unit.done()
    return _outcome(workshop, stamp, [i.id for i in items])


def undo(identity: Identity, step_id: int | None = None) -> Outcome:
    """Undo the latest step not undone yet. ``step_id``, when given, is the step the console
    showed: if another one has been recorded since, the undo is refused rather than reverting
    something the facilitator did not see."""
    workshop, stamp = _start(identity)
    step = latest_step(workshop.id)
    if step is None:
        raise DomainError("nothing_to_undo", NOTHING_TO_UNDO)
    if step_id is not None and step.id != step_id:
        raise DomainError("undo_moved_on", UNDO_MOVED_ON, step=_describe(step))
    theme_ids = {int(k) for k in step.before["themes"]}
    item_ids = {int(k) for k in step.before["items"]}
    if capture(workshop.id, theme_ids, item_ids) != step.after:
        raise DomainError("undo_conflict", UNDO_CONFLICT)
    before_themes = {int(k): v for k, v in step.before["themes"].items()}
    before_items = {int(k): v for k, v in step.before["items"].items()}
    # Themes the step deleted come back first (items may return into them), with their ids.
    for tid, state in before_themes.items():
        if state is not None and db.session.get(Theme, tid) is None:
            db.session.add(Theme(id=tid, workshop_id=workshop.id, name=state["name"], position=state["position"],
                                 merged_into_id=state["merged_into_id"]))
    db.session.flush()
    for iid, state in before_items.items():
        item = db.session.get(Item, iid)
        if item is not None and state is not None:
            item.theme_id, item.origin_theme_id = state["theme_id"], state["origin_theme_id"]
            item.merged_into_id = state["merged_into_id"]
    for tid, state in before_themes.items():
        theme = db.session.get(Theme, tid)
        if state is not None and theme is not None:
            theme.name, theme.position, theme.merged_into_id = state["name"], state["position"], state["merged_into_id"]
    db.session.flush()
    for tid, state in before_themes.items():
        if state is None:  # the step created it: it goes, unless something now depends on it
            theme = db.session.get(Theme, tid)
            if theme is None:
                continue
            if db.session.scalar(select(func.count()).select_from(Vote).join(VotingRound, VotingRound.id == Vote.round_id)
                                 .where(Vote.entry_id == tid, VotingRound.target == "themes")):
                db.session.rollback()
                raise DomainError("undo_votes", UNDO_VOTES)
            if db.session.scalar(select(func.count()).select_from(Item).where(Item.theme_id == tid)) or \
                    db.session.scalar(select(func.count()).select_from(Theme).where(Theme.merged_into_id == tid)):
                db.session.rollback()
                raise DomainError("undo_conflict", UNDO_CONFLICT)
            db.session.delete(theme)
    step.undone_at = utcnow()
    unit.done()
    return _outcome(workshop, stamp, item_ids, {"undone": step_view(step)})


def _describe(step: AggregationStep) -> str:
    detail = step.detail or {}
    return str(detail.get("name") or detail.get("theme") or detail.get("item") or step.kind)


# --- Items deleted by a withdrawal: no trace in the history, screens told -------------------

WITHDRAWN_ITEM = N_("(withdrawn)")
# The steps whose detail quotes items' texts, and under which keys (a theme merge's "into" is a
# theme's name: the facilitator's words, which stay).
QUOTED_ITEMS = {"item.merge": ("item", "into"), "item.unmerge": ("item",), "item.assign": ("item",)}


def forget_items(workshop_id: int, item_ids, language: str) -> None:
    """Take deleted items out of every step of the workshop's history, in the deleting
    transaction: the text a step quotes of them is replaced by "(withdrawn)" in the workshop's
    language, and their ids leave the states undo compares and restores (an item merged into
    one of them is, like the database's ``SET NULL``, merged into nothing). So undo afterwards
    restores what is left of the step, never a deleted item, and is not refused for ever
    because a step names an item that is gone. Undone steps are scrubbed too: they are kept."""
    gone = {int(i) for i in item_ids}
    if not gone:
        return
    with force_locale(language):
        label = gettext(WITHDRAWN_ITEM)
    for step in db.session.scalars(select(AggregationStep).where(AggregationStep.workshop_id == workshop_id)):
        sources = _text_sources(step)
        if not (_items_of(step) | {s for s in sources.values() if s is not None}) & gone:
            continue
        detail = dict(step.detail or {})
        for key, source in sources.items():
            if source is not None:
                detail[f"{key}_id"] = source  # later withdrawals still know whose text it is
            if source is None or source in gone:  # a text of unknown origin goes too
                detail[key] = label
        step.detail = detail
        step.before, step.after = _without(step.before, gone), _without(step.after, gone)


def _items_of(step: AggregationStep) -> set[int]:
    return {int(k) for state in (step.before, step.after) for k in (state or {}).get("items", {})}


def _text_sources(step: AggregationStep) -> dict[str, int | None]:
    """The item each quoted text of the step is from: recorded in the detail once a withdrawal
    has looked, otherwise read from the states (the one item whose merge changed, and the item
    it was merged into). None where the states cannot tell."""
    detail = step.detail or {}
    quoted = [key for key in QUOTED_ITEMS.get(step.kind, ()) if isinstance(detail.get(key), str)]
    sources: dict[str, int | None] = {key: detail.get(f"{key}_id") for key in quoted}
    if all(sources[key] is not None for key in quoted):
        return sources
    before = {int(k): v for k, v in (step.before or {}).get("items", {}).items()}
    after = {int(k): v for k, v in (step.after or {}).get("items", {}).items()}
    read: dict[str, int] = {}
    if step.kind in ("item.merge", "item.unmerge"):
        moved = [i for i in before if (before[i] or {}).get("merged_into_id") != (after.get(i) or {}).get("merged_into_id")]
        if len(moved) == 1:
            read["item"] = moved[0]
            into = (after if step.kind == "item.merge" else before)[moved[0]] or {}
            if into.get("merged_into_id") is not None:
                read["into"] = into["merged_into_id"]
    elif step.kind == "item.assign" and len(before) == 1:  # the one item it moved
        read["item"] = next(iter(before))
    return {key: sources[key] if sources[key] is not None else read.get(key) for key in quoted}


def _without(state: dict | None, gone: set[int]) -> dict | None:
    if not state:
        return state
    items = {}
    for key, value in (state.get("items") or {}).items():
        if int(key) in gone:
            continue
        if value is not None and value.get("merged_into_id") in gone:
            value = {**value, "merged_into_id": None}
        items[key] = value
    return {**state, "items": items}


# --- Operations: each declared once (workshop/declarations.py) ---------------------------------

declare("theme.merge", schemas.MergeThemes, RUNNERS, lambda who, d: merge_themes(who, d["theme_id"], d["into_id"]),
        http=Http("POST", "/workshops/<code>/themes/<int:theme_id>/merge", "merge_theme"),
        summary='Merge a theme into another; its items remember where they came from')
declare("theme.unmerge", schemas.ThemeId, RUNNERS, lambda who, d: unmerge_theme(who, d["theme_id"]),
        http=Http("POST", "/workshops/<code>/themes/<int:theme_id>/unmerge", "unmerge_theme"),
        summary='Give a merged theme back exactly its items')
declare("item.merge", schemas.MergeItems, RUNNERS, lambda who, d: merge_items(who, d["item_id"], d["into_id"]),
        http=Http("POST", "/workshops/<code>/items/<int:item_id>/merge", "merge_item"),
        summary='Merge a duplicate into another item; its text is kept')
declare("item.unmerge", schemas.ItemRef, RUNNERS, lambda who, d: unmerge_item(who, d["item_id"]),
        http=Http("POST", "/workshops/<code>/items/<int:item_id>/unmerge", "unmerge_item"),
        summary='Make a merged item separate again')
declare("theme.split", schemas.SplitTheme, RUNNERS, lambda who, d: split_theme(who, d["name"], d["item_ids"], d["theme_id"]),
        http=Http("POST", "/workshops/<code>/themes/split", "split_theme", 201),
        summary='Take items into a new theme')
declare("items.move", schemas.MoveItems, RUNNERS, lambda who, d: move_items(who, d["item_ids"], d["theme_id"]),
        http=Http("PUT", "/workshops/<code>/items/theme", "move_items"),
        summary='Move several items into a theme, or out with null, in one step')
declare("aggregation.undo", schemas.Undo, RUNNERS, lambda who, d: undo(who, d["step_id"]),
        http=Http("POST", "/workshops/<code>/undo", "undo"),
        summary='Undo the latest grouping step; refused when it is stale')
