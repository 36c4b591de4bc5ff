"""The audit trail: which facilitator or organiser did what to a workshop, and when.

Recorded in two places only: ``operations.perform`` for every facilitator operation, and an
``after_request`` hook for the routes marked in ``EXPORTS`` (guide downloads). Stewardship actions
(deletion, link rotation, retention, invitations) record themselves in their services.
Participants are never recorded: their contributions are anonymous.
"""
from __future__ import annotations

from datetime import timedelta

from flask import g, request
from sqlalchemy import delete, select

from ..extensions import db
from ..models import AuditEntry, Workshop, utcnow
from . import unit
from .state import iso

EXPORTS = {"pages.guide_download", "api.guide", "organiser.guide"}
# What an entry may say about a change: never the text people wrote, never client ids.
KEPT_DETAIL = {"series", "phase", "theme_id", "item_id", "revealed", "lane", "format", "days", "email", "links",
               "name", "items", "advice",
               # moderation and set-up: what changed, never an item's text (see ItemRevision)
               "before", "after", "fields", "revision_id", "anonymity", "kind", "key", "template",
               # the editorial layer: which version a save made (never its words)
               "version"}


def actor_of(identity) -> tuple[str, int | None, str | None]:
    role = getattr(identity, "actor_role", None) or identity.role
    return role, getattr(identity, "account_id", None), getattr(identity, "email", None)


def record(identity, workshop_id: int, action: str, detail: dict | None = None,
           code: str | None = None) -> AuditEntry:
    """Add one entry: inside an operation's unit of work it commits with the change it describes
    (services/unit.py); on its own, at once. Returns it (the console's trail shows it as stored)."""
    role, account_id, email = actor_of(identity)
    if code is None:
        code = db.session.scalar(select(Workshop.code).where(Workshop.id == workshop_id))
    kept = {k: v for k, v in (detail or {}).items() if k in KEPT_DETAIL}
    entry = AuditEntry(workshop_id=workshop_id, workshop_code=code, actor_role=role,
                       account_id=account_id, actor=email, action=action, detail=kept)
    db.session.add(entry)
    unit.done()
    return entry


def entries_for(workshop_id: int, limit: int = 500) -> list[dict]:
    rows = db.session.scalars(select(AuditEntry).where(AuditEntry.workshop_id == workshop_id)
                              .order_by(AuditEntry.id.desc()).limit(limit))
    return [view(row) for row in rows]


def view(row: AuditEntry) -> dict:
    """An entry as the organiser's page and the console's moderation panel show it: the same just
    written (in the change that pushes it) as read back (in a snapshot), its time always in UTC."""
    return {"at": iso(row.created_at), "action": row.action, "role": row.actor_role,
            "actor": row.actor, "detail": row.detail or {}}


def forget_older_than(days: int) -> int:
    """The trail has its own retention (AUDIT_RETENTION_DAYS); returns how many entries went."""
    result = db.session.execute(delete(AuditEntry).where(AuditEntry.created_at < utcnow() - timedelta(days=days)))
    unit.done()
    return result.rowcount or 0


def init_app(app) -> None:
    @app.after_request
    def _record_export(response):
        access = g.get("access")
        if request.endpoint in EXPORTS and response.status_code == 200 and access and access.identity:
            try:
                record(access.identity, access.identity.workshop_id, "guide.export",
                       {"format": (request.view_args or {}).get("fmt")})
            except Exception:
                db.session.rollback()
                raise
        return response
