"""The editorial layer as use cases: read it for the console (with the quotes the app proposes and
the participants' proposals to decide from), and save the workshop's conclusion and next steps or
one theme's synthesis, quotes and support decision.

Every save is a new ``EditorialVersion`` row, the earlier ones kept. The save names the version it
was made from: the rules refuse an older one, and the database's unique (workshop, scope, version)
refuses the second of two saves racing on the same one. Saving is refused once the guide is final.
The audit trail records each save through ``operations.perform`` (which parts changed and the new
version, never the words).
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..domain import editorial as rules
from ..domain.errors import N_, Invalid, NotFound
from ..domain.guide import build_guide
from ..domain.support import SUPPORT_TYPES
from ..extensions import db
from ..models import EditorialVersion, GuideReview, ItemVector, Proposal, Theme, Workshop
from .outcome import Change, Outcome
from .state import editorial_in_force as current, load_state
from .workshops import Identity, lock, require_role
from . import unit
from .. import editorial_schemas, schemas
from ..declarations import Http, declare
from ..roles import RUNNERS

CHANGE = "editorial.changed"


def _versions(workshop_id: int) -> dict[str, int]:
    return dict(db.session.execute(select(EditorialVersion.scope, func.max(EditorialVersion.version))
                                   .where(EditorialVersion.workshop_id == workshop_id)
                                   .group_by(EditorialVersion.scope)).all())


def history(workshop_id: int, scope: str) -> list[dict]:
    """Every saved version of one scope, newest first (the earlier ones are kept, never rewritten)."""
    rows = db.session.scalars(select(EditorialVersion).where(EditorialVersion.workshop_id == workshop_id,
                                                             EditorialVersion.scope == scope)
                              .order_by(EditorialVersion.version.desc()))
    return [{"version": r.version, "content": r.content, "role": r.actor_role,
             "saved_at": r.created_at.isoformat() if r.created_at else None} for r in rows]


def _finalised(workshop_id: int) -> bool:
    row = db.session.get(GuideReview, workshop_id)
    return bool(row and row.finalised_at)


def _kept_vectors(item_ids: list[int]) -> dict[int, bytes]:
    """The meaning vectors already kept for these contributions (none are computed here: a read
    must stay quick), all of one engine, so that no two vectors of different engines are compared."""
    rows = db.session.execute(select(ItemVector.item_id, ItemVector.engine, ItemVector.vector)
                              .where(ItemVector.item_id.in_(item_ids))).all() if item_ids else []
    engines: dict[str, int] = {}
    for _, engine, _ in rows:
        engines[engine] = engines.get(engine, 0) + 1
    if not engines:
        return {}
    engine = max(engines, key=lambda e: (engines[e], e))
    return {item_id: vector for item_id, used, vector in rows if used == engine}


def view(workshop_id: int) -> dict:
    """The editorial layer as the console edits it: each part's text and version, and per theme
    its contributions (the proposed quotes first, marked) and the participants' proposals."""
    workshop = db.session.get(Workshop, workshop_id)
    guide = build_guide(load_state(workshop))
    content, versions = current(workshop_id), _versions(workshop_id)
    proposals: dict[int, list[dict]] = {}
    for p in db.session.scalars(select(Proposal).where(Proposal.workshop_id == workshop_id).order_by(Proposal.id)):
        if (p.description or "").strip():
            proposals.setdefault(p.theme_id, []).append(
                {"id": p.id, "type": p.type, "description": p.description, "who_needs": p.who_needs or ""})
    vectors = _kept_vectors([item.id for theme in guide.themes for item in theme.items])
    top = content.get(rules.WORKSHOP_SCOPE, {})
    themes = []
    for theme in guide.themes:
        scope = rules.theme_scope(theme.id)
        stored = content.get(scope, {})
        proposed = rules.representative([(i.id, i.mentions) for i in theme.items], vectors)
        by_id = {i.id: i for i in theme.items}
        ordered = [by_id[i] for i in proposed] + [i for i in theme.items if i.id not in proposed]
        themes.append({
            "theme_id": theme.id, "name": theme.name, "rank": theme.result.rank if theme.result else None,
            "version": versions.get(scope, 0), "synthesis": stored.get("synthesis", ""),
            "quotes": [q for q in stored.get("quotes", []) if q in by_id], "support": stored.get("support"),
            "proposed_quotes": proposed,
            "candidates": [{"item_id": i.id, "ref": i.ref, "text": i.text, "mentions": i.mentions,
                            "proposed": i.id in proposed} for i in ordered],
            "proposals": proposals.get(theme.id, []),
        })
    return {"finalised": _finalised(workshop_id), "kinds": list(SUPPORT_TYPES),
            "workshop": {"version": versions.get(rules.WORKSHOP_SCOPE, 0), "conclusion": top.get("conclusion", ""),
                         "next_steps": top.get("next_steps", "")},
            "themes": themes}


def read(identity: Identity) -> Outcome:
    require_role(identity, "facilitator")
    return Outcome(identity.workshop_id, None, [], {"editorial": view(identity.workshop_id)})


def set_workshop(identity: Identity, data: dict) -> Outcome:
    """Save the conclusion and next steps as a new version."""
    require_role(identity, "facilitator")
    data = _with_saved(data, current(identity.workshop_id).get(rules.WORKSHOP_SCOPE) or {}, WORKSHOP_FIELDS)
    content = rules.workshop_content(data["conclusion"], data["next_steps"])
    return _save(identity, rules.WORKSHOP_SCOPE, None, data["version"], content)


def set_theme(identity: Identity, data: dict) -> Outcome:
    """Save one theme's synthesis, quotes and support decision as a new version. A decision taken
    from a proposal copies the proposal's kind and words where the editor left them empty."""
    require_role(identity, "facilitator")
    theme = db.session.get(Theme, data["theme_id"])
    if theme is None or theme.workshop_id != identity.workshop_id or theme.merged_into_id is not None:
        raise NotFound("theme_not_found", N_("This theme no longer exists."))
    stored = current(identity.workshop_id).get(rules.theme_scope(theme.id)) or {}
    data = _with_saved(data, {**(stored.get("support") or {}), **stored}, THEME_FIELDS)
    kind, description = data["support_kind"], data["support_description"]
    if data["proposal_id"] is not None:
        proposal = db.session.get(Proposal, data["proposal_id"])
        if proposal is None or proposal.workshop_id != identity.workshop_id or proposal.theme_id != theme.id:
            raise Invalid("proposal_not_found", N_("This proposal no longer exists."), "proposal_id")
        kind = kind or proposal.type
        description = description or proposal.description
    content = rules.theme_content(data["synthesis"], data["quotes"], kind, description, data["support_owner"],
                                  data["support_due"], data["proposal_id"])
    if content["quotes"]:
        guide_theme = next((t for t in build_guide(load_state(db.session.get(Workshop, identity.workshop_id))).themes
                            if t.id == theme.id), None)
        if guide_theme is None or not set(content["quotes"]) <= {i.id for i in guide_theme.items}:
            raise Invalid("quote_not_in_theme", N_("A chosen quote is no longer a contribution of this theme."),
                          "quotes")
    return _save(identity, rules.theme_scope(theme.id), theme.id, data["version"], content)


# A command's field -> where the saved part keeps it (a theme's decision fields inside "support")
# and its value when never saved.
WORKSHOP_FIELDS = {"conclusion": ("conclusion", ""), "next_steps": ("next_steps", "")}
THEME_FIELDS = {"synthesis": ("synthesis", ""), "quotes": ("quotes", []), "support_kind": ("kind", None),
                "support_description": ("description", ""), "support_owner": ("owner", ""),
                "support_due": ("due", None), "proposal_id": ("proposal_id", None)}


def _with_saved(data: dict, saved: dict, fields: dict) -> dict:
    """The command with each field it left out taken from the saved part (or empty): a client that
    sends only what it changed keeps the rest."""
    kept = {name: empty if saved.get(key) is None else saved[key]
            for name, (key, empty) in fields.items() if name not in data}
    return {**data, **kept}


def _save(identity: Identity, scope: str, theme_id: int | None, expected: int, content: dict) -> Outcome:
    stored = current(identity.workshop_id).get(scope)
    version = _versions(identity.workshop_id).get(scope, 0)
    if stored == content:  # a resend, or a save that changes nothing: no new version
        return Outcome(identity.workshop_id, None, [], {"scope": scope, "version": version, "duplicate": True})
    workshop, stamp = lock(identity.workshop_id, CHANGE)
    rules.check_editable(_finalised(workshop.id))
    version = _versions(workshop.id).get(scope, 0)  # read again under the workshop's lock
    rules.check_version(expected, version)
    role = getattr(identity, "actor_role", None) or identity.role
    db.session.add(EditorialVersion(workshop_id=workshop.id, scope=scope, theme_id=theme_id, version=version + 1,
                                    content=content, actor_role=role))
    try:
        unit.done()
    except IntegrityError:  # another save of the same version won the race
        db.session.rollback()
        rules.check_version(expected, _versions(identity.workshop_id).get(scope, 0))
        raise
    changed = sorted(k for k in content if content.get(k) != (stored or {}).get(k))
    data = {"scope": scope, "theme_id": theme_id, "version": version + 1}
    return Outcome(workshop.id, stamp, [Change(CHANGE, data)],
                   {**data, "content": content, "workshop_version": stamp.version},
                   audit={"version": version + 1, "fields": changed})


# --- Operations: each declared once (workshop/declarations.py) ---------------------------------

# Each save a new version, refused once the guide is final.
declare("editorial.get", schemas.NoInput, RUNNERS, lambda who, d: read(who),
        http=Http("GET", "/workshops/<code>/editorial", "editorial", body=False,
                  note="the conclusions, syntheses, quotes and decisions"),
        summary="The editorial layer: conclusion, next steps, and per theme the synthesis, quotes "
                "(with the proposed ones) and support decision, each part with its version")
declare("editorial.set", editorial_schemas.SetEditorial, RUNNERS, set_workshop,
        http=Http("PUT", "/workshops/<code>/editorial", "set_editorial",
                  note="a new version each save; refused once final; audited"),
        summary="Save the conclusion and next steps as a new version; refused when `version` is stale "
                "or the guide is final")
declare("theme.editorial.set", editorial_schemas.SetThemeEditorial, RUNNERS, set_theme,
        http=Http("PUT", "/workshops/<code>/editorial/themes/<int:theme_id>", "set_theme_editorial",
                  note="a new version each save; refused once final; audited"),
        summary="Save a theme's synthesis, quotes and support decision as a new version; refused "
                "when `version` is stale or the guide is final")
