"""A workshop's set-up: anonymity, lanes (stages), tags and perspectives, and saved templates.

Set-up changes reach every screen as one ``setup.changed`` change carrying the whole set-up, so
a screen never has to merge partial lists. Saved templates are the set-up of a workshop kept under
a name, offered with the built-in templates when a workshop is created.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from ..domain import phases
from ..domain import setup as rules
from ..domain import templates as builtins
from ..domain.errors import N_, DomainError, NotFound
from ..extensions import db
from ..models import Advice, Item, Lane, Participant, Perspective, SavedTemplate, Tag, Workshop
from . import starters, views
from .outcome import Change, Outcome
from .workshops import Identity, lock, require_role
from . import unit
from .. import schemas
from ..declarations import Http, declare
from ..roles import RUNNERS

MODELS = {"lane": Lane, "tag": Tag, "perspective": Perspective}
MAX_OPTIONS = 20


def setup_view(workshop: Workshop, role: str) -> dict:
    return {"anonymity": workshop.anonymity, "assess_items": bool(workshop.assess_items),
            "show_authors": rules.shows_author(workshop.anonymity, role),
            "lanes": views.options_view(workshop.lanes), "tags": views.options_view(workshop.tags),
            "perspectives": views.options_view(workshop.perspectives),
            "similar_hint": bool(workshop.similar_hint)}


def _setup_change(workshop: Workshop) -> Change:
    """The set-up as each role sees it (the console's moderation trail entry is added by
    ``operations``, from the audit entry as stored)."""
    db.session.refresh(workshop)
    return Change("setup.changed", setup_view(workshop, "participant"), setup_view(workshop, "facilitator"))


def _contributions(workshop_id: int) -> int:
    items = db.session.scalar(select(func.count()).select_from(Item).where(Item.workshop_id == workshop_id))
    advice = db.session.scalar(select(func.count()).select_from(Advice).where(Advice.workshop_id == workshop_id))
    return (items or 0) + (advice or 0)


def set_anonymity(identity: Identity, anonymity: str) -> Outcome:
    """Always allowed towards more anonymity (screens drop the names at once); towards less only
    while nobody has contributed, so nothing anyone wrote is ever shown with more than they were
    told."""
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, "setup.changed")
    phases.check_open(workshop.phase)
    before = workshop.anonymity
    rules.check_anonymity_change(before, anonymity, _contributions(workshop.id))
    workshop.anonymity = anonymity
    unit.done()
    detail = {"before": {"anonymity": before}, "after": {"anonymity": anonymity}}
    change = _setup_change(workshop)
    return Outcome(workshop.id, stamp, [change], {**change.for_role("facilitator"), "version": stamp.version},
                   audit=detail)


def _options(workshop_id: int, kind: str):
    model = MODELS[kind]
    return list(db.session.scalars(select(model).where(model.workshop_id == workshop_id).order_by(model.position)))


def _option(workshop_id: int, kind: str, key: str):
    for option in _options(workshop_id, kind):
        if option.key == key:
            return option
    raise NotFound("option_not_found", N_("This no longer exists in the workshop."))


def add_option(identity: Identity, kind: str, name: str) -> Outcome:
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, "setup.changed")
    phases.check_open(workshop.phase)
    options = _options(workshop.id, kind)
    if len(options) >= MAX_OPTIONS:
        raise DomainError("options_full", N_("A workshop can have at most %(count)s of these."), count=MAX_OPTIONS)
    if any(o.name.casefold() == name.casefold() for o in options):
        raise DomainError("option_exists", N_("There is already one called “%(name)s”."), name=name)
    key = rules.option_key(name, {o.key for o in options})
    db.session.add(MODELS[kind](workshop_id=workshop.id, key=key, name=name,
                                position=max((o.position for o in options), default=-1) + 1))
    unit.done()
    detail = {"kind": kind, "key": key, "after": {"name": name}}
    change = _setup_change(workshop)
    return Outcome(workshop.id, stamp, [change], {"key": key, **change.for_role("facilitator"),
                                                  "version": stamp.version}, audit=detail)


def rename_option(identity: Identity, kind: str, key: str, name: str) -> Outcome:
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, "setup.changed")
    phases.check_open(workshop.phase)
    option = _option(workshop.id, kind, key)
    before = option.name
    option.name = name
    unit.done()
    detail = {"kind": kind, "key": key, "before": {"name": before}, "after": {"name": name}}
    change = _setup_change(workshop)
    return Outcome(workshop.id, stamp, [change], {**change.for_role("facilitator"), "version": stamp.version},
                   audit=detail)


def _in_use(workshop_id: int, kind: str, key: str) -> int:
    if kind == "perspective":
        query = select(func.count()).select_from(Participant).where(
            Participant.workshop_id == workshop_id, Participant.perspective == key)
    else:
        column = Item.lane if kind == "lane" else Item.tag
        query = select(func.count()).select_from(Item).where(Item.workshop_id == workshop_id, column == key)
    return db.session.scalar(query) or 0


def remove_option(identity: Identity, kind: str, key: str) -> Outcome:
    """Refused while anything uses it (an item's lane or tag, a participant's perspective)."""
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, "setup.changed")
    phases.check_open(workshop.phase)
    option = _option(workshop.id, kind, key)
    rules.check_option_removal(kind, _in_use(workshop.id, kind, key), len(_options(workshop.id, kind)))
    before = option.name
    db.session.delete(option)
    unit.done()
    detail = {"kind": kind, "key": key, "before": {"name": before}}
    change = _setup_change(workshop)
    return Outcome(workshop.id, stamp, [change], {**change.for_role("facilitator"), "version": stamp.version},
                   audit=detail)


# --- Templates --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Blueprint:
    """What a new workshop starts with, its names already in the workshop's language."""

    id: str
    phases: tuple[str, ...]
    lanes: tuple[tuple[str, str], ...]
    perspectives: tuple[tuple[str, str], ...]
    tags: tuple[tuple[str, str], ...]
    voting: dict
    anonymity: str
    assess_items: bool


def _config(workshop: Workshop) -> dict:

    pairs = lambda options: [[o.key, o.name] for o in options]  # noqa: E731
    return {"phases": list(workshop.phases), "lanes": pairs(workshop.lanes),
            "perspectives": pairs(workshop.perspectives), "tags": pairs(workshop.tags),
            "voting": {"method": workshop.voting_method, "dots": workshop.dots,
                       "max_per_entry": workshop.max_per_entry},
            "anonymity": workshop.anonymity, "assess_items": bool(workshop.assess_items),
            "based_on": workshop.template, "starter_themes": starters.to_save(workshop)}


def save_template(identity: Identity, name: str) -> Outcome:
    """Keep this workshop's set-up (not its content) as a template under ``name``."""
    require_role(identity, "facilitator")
    # A change of its own, for the console alone: its moderation panel lists the save.
    workshop, stamp = lock(identity.workshop_id, "template.saved")
    taken = db.session.scalar(select(func.count()).select_from(SavedTemplate).where(
        func.lower(SavedTemplate.name) == name.lower()))
    if taken:
        raise DomainError("template_exists", N_("There is already a template called “%(name)s”."), name=name)
    row = SavedTemplate(key=rules.CUSTOM_PREFIX + secrets.token_hex(5), name=name, language=workshop.language,
                        config=_config(workshop), account_id=getattr(identity, "account_id", None))
    db.session.add(row)
    unit.done()
    summary = template_summary(row)
    return Outcome(workshop.id, stamp, [Change("template.saved", {"template": summary})],
                   {"template": summary, "version": stamp.version}, audit={"template": row.key})


def template_summary(row: SavedTemplate) -> dict:
    return {"id": row.key, "name": row.name, "description": gettext("Saved from a workshop."),
            "phases": list(row.config.get("phases", [])), "custom": True,
            "assess_items": bool(row.config.get("assess_items")), "language": row.language}


def list_templates() -> list[dict]:
    """The built-in templates, then the saved ones (oldest first)."""
    listed = [{"id": t.id, "name": gettext(t.name), "description": gettext(t.description),
               "phases": list(t.phases), "custom": False, "assess_items": t.assess_items}
              for t in builtins.TEMPLATES.values()]
    listed += [template_summary(row) for row in db.session.scalars(select(SavedTemplate).order_by(SavedTemplate.id))]
    return listed


def blueprint(template_id: str | None, language: str) -> Blueprint:
    template_id = template_id or builtins.DEFAULT_TEMPLATE
    if template_id.startswith(rules.CUSTOM_PREFIX):
        row = db.session.scalar(select(SavedTemplate).where(SavedTemplate.key == template_id))
        if row is None:
            raise DomainError("template_unknown", N_("There is no template called “%(template)s”."),
                              template=template_id)
        c = row.config
        pairs = lambda values: tuple((k, n) for k, n in values)  # noqa: E731
        return Blueprint(row.key, tuple(c["phases"]), pairs(c["lanes"]), pairs(c["perspectives"]),
                         pairs(c.get("tags", [])), dict(c["voting"]), c.get("anonymity", rules.ANONYMOUS),
                         bool(c.get("assess_items")))
    template = builtins.get_template(template_id)
    with force_locale(language):
        named = lambda values: tuple((k, gettext(n)) for k, n in values)  # noqa: E731
        return Blueprint(template.id, template.phases, named(template.lanes), named(template.perspectives),
                         named(template.tags),
                         {"method": template.voting.method, "dots": template.voting.dots,
                          "max_per_entry": template.voting.max_per_entry},
                         template.anonymity, template.assess_items)


# --- Operations: each declared once (workshop/declarations.py) ---------------------------------

declare("setup.anonymity", schemas.SetAnonymity, RUNNERS, lambda who, d: set_anonymity(who, d["anonymity"]),
        http=Http("PUT", "/workshops/<code>/anonymity", "set_anonymity", note="audited"),
        summary='Set who sees authors: anonymous, facilitator-only or named')
declare("option.add", schemas.AddOption, RUNNERS, lambda who, d: add_option(who, d["kind"], d["name"]),
        http=Http("POST", "/workshops/<code>/options/<kind>", "add_option", 201, note="audited"),
        summary='Add a lane, tag or perspective')
declare("option.rename", schemas.RenameOption, RUNNERS, lambda who, d: rename_option(who, d["kind"], d["key"], d["name"]),
        http=Http("PATCH", "/workshops/<code>/options/<kind>/<key>", "rename_option", note="audited"),
        summary='Rename a lane, tag or perspective')
declare("option.remove", schemas.OptionRef, RUNNERS, lambda who, d: remove_option(who, d["kind"], d["key"]),
        http=Http("DELETE", "/workshops/<code>/options/<kind>/<key>", "remove_option", body=False, note="audited; refused while in use"),
        summary='Remove a lane, tag or perspective nothing uses')
declare("template.save", schemas.SaveTemplate, RUNNERS, lambda who, d: save_template(who, d["name"]),
        http=Http("POST", "/workshops/<code>/templates", "save_template", 201, note="audited"),
        summary="Save this workshop's set-up as a named template")
