"""Personal data: withdrawal, retention, deletion, and taking a link's access away.

What counts as personal data, and why each rule is what it is, is in docs/privacy.md. Each
function here changes the database through one transaction and says what changed; the caller
publishes after the commit, like every other change.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from ..domain.errors import N_, DomainError
from ..schemas import Strict
from ..extensions import db, socketio
from ..models import Advice, GuideComment, Item, Participant, Proposal, Receipt, Stewardship, Vote, Workshop, utcnow
from ..realtime.rooms import role_room
from . import accounts, audit, guide_files, tokens, views
from .spotlight import prework_summary
from .outcome import Change, Outcome, Personal
from .state import aware
from .workshops import Identity, lock, require_role

log = logging.getLogger(__name__)
ROLES_WITH_ROOMS = ("facilitator", "projector", "participant")


# --- A participant withdraws -----------------------------------------------------------------------

class Withdraw(Strict):
    """``contributions.withdraw`` takes no fields: who withdraws is the connection's participant."""


def withdraw(identity: Identity) -> Outcome:
    """Delete everything the participant contributed (items, advice, dots, comments on the draft
    guide) and their name. Allowed
    in every phase, a closed workshop too: consent can be withdrawn at any time. What the
    facilitator typed on someone's behalf was never linked to them and stays."""
    require_role(identity, "participant")
    workshop, stamp = lock(identity.workshop_id, "contributions.withdrawn")
    mine = (Item.workshop_id == workshop.id) & (Item.participant_id == identity.participant_id)
    item_ids = list(db.session.scalars(select(Item.id).where(mine).order_by(Item.id)))
    advice_ids = list(db.session.scalars(select(Advice.id).where(Advice.participant_id == identity.participant_id)))
    db.session.execute(delete(Item).where(mine))
    db.session.execute(delete(Advice).where(Advice.participant_id == identity.participant_id))
    proposal_ids = list(db.session.scalars(select(Proposal.id).where(Proposal.participant_id == identity.participant_id)))
    db.session.execute(delete(Proposal).where(Proposal.participant_id == identity.participant_id))
    db.session.execute(delete(Vote).where(Vote.participant_id == identity.participant_id))
    db.session.execute(delete(Receipt).where(Receipt.participant_id == identity.participant_id))
    db.session.execute(delete(GuideComment).where(GuideComment.participant_id == identity.participant_id))
    participant = db.session.get(Participant, identity.participant_id)
    participant.name = None
    db.session.commit()
    change = views.with_results("contributions.withdrawn", workshop,
                                {"item_ids": item_ids, "advice_ids": advice_ids,
                                 "proposal_ids": proposal_ids})
    # The console's pre-work counts drop the withdrawn items too.
    change = Change(change.type, change.data,
                    {**(change.facilitator_data or change.data), "prework": prework_summary(workshop.id)})
    me = views.me_view(participant)
    return Outcome(workshop.id, stamp, [change],
                   {"withdrawn": {"items": len(item_ids), "advice": len(advice_ids)}, "me": me,
                    "version": stamp.version},
                   [Personal(participant.id, "me", {"me": me})])


# --- Retention -------------------------------------------------------------------------------------

def retention_days(workshop_id: int) -> int:
    row = accounts.stewardship(workshop_id, create=False)
    if row is not None and row.retention_days is not None:
        return row.retention_days
    return current_app.config["PRIVACY_RETENTION_DAYS"]


def set_retention(identity, workshop_id: int, days: int) -> None:
    if not 1 <= days <= current_app.config["PRIVACY_RETENTION_MAX_DAYS"]:
        raise DomainError("retention_invalid", N_("Choose between %(min)s and %(max)s days."),
                          min=1, max=current_app.config["PRIVACY_RETENTION_MAX_DAYS"])
    accounts.stewardship(workshop_id).retention_days = days
    db.session.commit()
    audit.record(identity, workshop_id, "retention.set", {"days": days})


def due_at(workshop: Workshop) -> datetime:
    return aware(workshop.closed_at or workshop.created_at) + timedelta(days=retention_days(workshop.id))


def purge(now: datetime | None = None) -> list[str]:
    """Anonymise every workshop whose retention period is over; returns their codes.

    Idempotent and safe to run from several processes at once: an anonymised workshop is marked
    and skipped, and anonymising twice changes nothing more.
    """
    now = now or utcnow()
    done = []
    pending = select(Workshop).outerjoin(Stewardship, Stewardship.workshop_id == Workshop.id) \
        .where(Stewardship.anonymised_at.is_(None))
    for workshop in list(db.session.scalars(pending)):
        if due_at(workshop) <= now:
            anonymise(workshop.id)
            done.append(workshop.code)
    audit.forget_older_than(current_app.config["AUDIT_RETENTION_DAYS"])
    return done


def anonymise(workshop_id: int) -> None:
    """Names go, and so does every link from a device to its contributions: the participant
    tokens are replaced and the receipts (client ids) deleted. The items, themes, dots and advice
    stay, unattributable: they are the workshop's result."""
    for participant in db.session.scalars(select(Participant).where(Participant.workshop_id == workshop_id)):
        participant.name = None
        participant.token_hash = tokens.token_hash(tokens.new_token())
    db.session.execute(delete(Receipt).where(Receipt.workshop_id == workshop_id))
    db.session.execute(update(Workshop).where(Workshop.id == workshop_id).values(organiser=None))
    guide_files.forget(workshop_id)  # a kept guide's title page names the organiser
    accounts.stewardship(workshop_id).anonymised_at = utcnow()
    db.session.commit()
    audit.record(Identity("system", workshop_id), workshop_id, "personal_data.anonymised")


# --- Deleting a workshop, rotating and revoking links ---------------------------------------------

def delete_workshop(identity, workshop_id: int) -> str:
    """Every row of the workshop goes (the database cascades); only the audit entry saying that
    it was deleted, and by whom, remains."""
    code = db.session.scalar(select(Workshop.code).where(Workshop.id == workshop_id))
    db.session.execute(delete(Workshop).where(Workshop.id == workshop_id))
    db.session.commit()
    audit.record(identity, workshop_id, "workshop.deleted", code=code)
    disconnect(workshop_id, ROLES_WITH_ROOMS)
    return code


def rotate_links(identity, workshop_id: int) -> str:
    """New facilitator and projector links; the old ones stop working at once, open screens too."""
    token = tokens.new_token()
    db.session.execute(update(Workshop).where(Workshop.id == workshop_id).values(
        facilitator_token_hash=tokens.token_hash(token),
        projector_token_hash=tokens.token_hash(tokens.projector_token_for(token))))
    accounts.stewardship(workshop_id).sealed_link = accounts.seal(token)
    db.session.commit()
    audit.record(identity, workshop_id, "links.rotated", {"links": ["facilitator", "projector"]})
    disconnect(workshop_id, ("facilitator", "projector"))
    return token


def revoke_projector(identity, workshop_id: int) -> None:
    """The projector link stops working until the links are next rotated."""
    db.session.execute(update(Workshop).where(Workshop.id == workshop_id).values(
        projector_token_hash=tokens.token_hash(tokens.new_token())))
    db.session.commit()
    audit.record(identity, workshop_id, "links.revoked", {"links": ["projector"]})
    disconnect(workshop_id, ("projector",))


def disconnect(workshop_id: int, roles) -> None:
    """Close the open connections of these roles: this process disconnects its own, and every
    process (through the message queue) takes them out of the workshop's rooms."""
    server = socketio.server
    if server is None:
        return
    for role in roles:
        room = role_room(workshop_id, role)
        try:
            for sid, _eio_sid in list(server.manager.get_participants("/", room)):
                server.disconnect(sid, namespace="/")
            socketio.close_room(room, namespace="/")
        except Exception:  # the change is committed; a screen left open learns on reconnect
            log.exception("closing %s connections of workshop %s failed", role, workshop_id)


def start_schedule(app) -> None:
    """Purge every PRIVACY_PURGE_EVERY seconds inside the server process (a greenlet). Several
    processes may each run it: a purge is idempotent. CLI commands never start it."""
    every = app.config.get("PRIVACY_PURGE_EVERY")
    if not every:
        return

    def run_forever():
        while True:
            socketio.sleep(every)
            with app.app_context():
                try:
                    codes = purge()
                    if codes:
                        log.info("anonymised the personal data of %s workshop(s)", len(codes))
                except Exception:
                    log.exception("the scheduled purge failed; it runs again in %s s", every)
                finally:
                    db.session.remove()

    socketio.start_background_task(run_forever)
