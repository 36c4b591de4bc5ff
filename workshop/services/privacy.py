"""Personal data: withdrawal, retention, deletion, and taking a link's access away.

What counts as personal data, and why each rule is what it is, is in docs/privacy.md. Each
function here changes the database through one transaction and says what changed; the caller
publishes after the commit, like every other change.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from ..domain.errors import N_, DomainError
from ..schemas import Strict
from ..extensions import db
from ..models import Advice, GuideComment, Item, ItemSupport, Participant, Proposal, Receipt, Stewardship, Vote, Workshop, utcnow
from ..models import ReviewResponse
from . import accounts, aggregation, audit, counts, grouping_steps, grouping_views, guide_files, review, snapshots, tokens, views
from .spotlight import prework_summary, spotlight_view
from .outcome import Change, Outcome, Personal
from .state import aware
from .workshops import Identity, lock, require_role
from . import unit
from .signals import withdraw_rights
from ..declarations import Http, declare
from ..roles import PHONE
from .invitations import forget_workshop

ROLES_WITH_ROOMS = ("facilitator", "projector", "participant")


# --- A participant withdraws -----------------------------------------------------------------------

class Withdraw(Strict):
    """``contributions.withdraw`` takes no fields: who withdraws is the connection's participant."""


def withdraw(identity: Identity) -> Outcome:
    """Delete everything the participant contributed (items, advice, dots, proposals, comments on
    the draft guide) and their name, and every trace of it: the text an edit replaced, the text
    the grouping history quotes, the kept guide files. Allowed in every phase, a closed workshop
    too: consent can be withdrawn at any time. What the facilitator typed on someone's behalf was
    never linked to them and stays."""
    require_role(identity, "participant")
    workshop, stamp = lock(identity.workshop_id, "contributions.withdrawn")  # kept guide files go
    pid = identity.participant_id
    mine = (Item.workshop_id == workshop.id) & (Item.participant_id == pid)
    item_ids = list(db.session.scalars(select(Item.id).where(mine).order_by(Item.id)))
    advice_ids = list(db.session.scalars(select(Advice.id).where(Advice.participant_id == pid)))
    proposal_ids = list(db.session.scalars(select(Proposal.id).where(Proposal.participant_id == pid)))
    comment_ids = list(db.session.scalars(select(GuideComment.id).where(GuideComment.participant_id == pid)))
    backed = list(db.session.scalars(select(ItemSupport.item_id).where(ItemSupport.participant_id == pid)))
    standing = delete_items(workshop, item_ids)
    db.session.execute(delete(Advice).where(Advice.participant_id == pid))
    db.session.execute(delete(Proposal).where(Proposal.participant_id == pid))
    db.session.execute(delete(Vote).where(Vote.participant_id == pid))
    db.session.execute(delete(Receipt).where(Receipt.participant_id == pid))
    db.session.execute(delete(GuideComment).where(GuideComment.participant_id == pid))
    db.session.execute(delete(ReviewResponse).where(ReviewResponse.participant_id == pid))  # agree/disagree
    db.session.execute(delete(ItemSupport).where(ItemSupport.participant_id == pid))  # their backing of others' items
    participant = db.session.get(Participant, pid)
    participant.name = None
    unit.done()
    unit.after_commit(lambda: snapshots.forget_phone_snapshots(workshop.id))
    change = withdrawn_change(workshop, item_ids, standing, advice_ids=advice_ids, proposal_ids=proposal_ids,
                              comment_ids=comment_ids, backed=backed)
    me = views.me_view(participant)
    return Outcome(workshop.id, stamp, [change],
                   {"withdrawn": {"items": len(item_ids), "advice": len(advice_ids)}, "me": me,
                    "review": review.for_role(workshop.id, "participant", pid), "version": stamp.version},
                   [Personal(participant.id, "me", {"me": me}), *standing["personal"]])


def delete_items(workshop: Workshop, item_ids: list[int]) -> dict:
    """Delete items with every trace of their text, in the caller's transaction (begun by
    ``workshops.lock``, which deletes the kept guide files): the database deletes the texts an
    edit replaced (``item_revisions``) and unmerges the items merged into them; the grouping
    history forgets them (``aggregation.forget_items``). Returns what screens must be told
    besides their ids (``grouping_views.standing_after_deletion``)."""
    if not item_ids:
        return {"public": [], "console": [], "personal": []}
    before = grouping_views.chains(workshop.id)
    db.session.execute(delete(Item).where(Item.workshop_id == workshop.id, Item.id.in_(item_ids)))
    db.session.flush()
    aggregation.forget_items(workshop.id, item_ids, workshop.language)
    db.session.flush()
    db.session.expire_all()  # the rows the database unmerged (SET NULL), as they now are
    return grouping_views.standing_after_deletion(workshop, before, item_ids)


def withdrawn_change(workshop: Workshop, item_ids, standing: dict, advice_ids=(), proposal_ids=(),
                     comment_ids=(), backed=()) -> Change:
    """``contributions.withdrawn``, after the commit: the ids of what went, the items that now
    stand differently (an item that was merged into a withdrawn one, an item that held one), and
    everything a screen holds that could quote what went, as it now is: the spotlight, the revealed
    rounds' results (a proposal is an entry), and for the console its undo history, moderation
    trail and pre-work counts. A screen connected at the time ends up with what a fresh snapshot
    shows (static/js/live-state.js). ``backed``: the items the participant had added their
    support to; each one's statement is said once less, and ``counts`` tells the screens that
    hold it (services/counts.py)."""
    ids = {"item_ids": list(item_ids), "advice_ids": list(advice_ids), "proposal_ids": list(proposal_ids),
           "comment_ids": list(comment_ids)}
    change = views.with_results("contributions.withdrawn", workshop, ids)
    spot = spotlight_view(workshop)
    recounted = counts.recount(workshop.id, backed)
    public = {**change.data, "items": standing["public"], "counts": recounted["public"], "spotlight": spot,
              "round_results": views.round_results(workshop, "participant")}
    console = {**(change.facilitator_data or change.data), "items": standing["console"],
               "counts": recounted["console"], "spotlight": spot,
               "round_results": views.round_results(workshop, "facilitator"),
               "prework": prework_summary(workshop.id), "aggregation": grouping_steps.history(workshop.id),
               "moderation": views.moderation_trail(workshop.id),
               "review_responses": review.response_counts(workshop.id)}
    return Change(change.type, public, console)


# --- Retention -------------------------------------------------------------------------------------

def retention_days(workshop_id: int) -> int:
    row = accounts.stewardship(workshop_id, create=False)
    if row is not None and row.retention_days is not None:
        return row.retention_days
    return current_app.config["PRIVACY_RETENTION_DAYS"]


@unit.atomic
def set_retention(identity, workshop_id: int, days: int) -> None:
    if not 1 <= days <= current_app.config["PRIVACY_RETENTION_MAX_DAYS"]:
        raise DomainError("retention_invalid", N_("Choose between %(min)s and %(max)s days."),
                          min=1, max=current_app.config["PRIVACY_RETENTION_MAX_DAYS"])
    accounts.stewardship(workshop_id).retention_days = days
    unit.done()
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


@unit.atomic
def anonymise(workshop_id: int) -> None:
    """Names go, and so does every link from a device to its contributions: the participant
    tokens are replaced and the receipts (client ids) deleted; the invited e-mail addresses go. The items, themes, dots and advice
    stay, unattributable: they are the workshop's result.

    A change like any other (``workshops.lock``): the version moves and the kept guide files go
    (their title page names the organiser). Open screens are disconnected: the console and the
    projector reconnect to a snapshot without the names, a phone's link no longer works."""
    lock(workshop_id, "personal_data.anonymised")
    for participant in db.session.scalars(select(Participant).where(Participant.workshop_id == workshop_id)):
        participant.name = None
        participant.token_hash = tokens.token_hash(tokens.new_token())
    db.session.execute(delete(Receipt).where(Receipt.workshop_id == workshop_id))
    db.session.execute(update(Workshop).where(Workshop.id == workshop_id).values(organiser=None))
    guide_files.forget(workshop_id)  # lock did; said again because it is the reason
    accounts.stewardship(workshop_id).anonymised_at = utcnow()
    forget_workshop(workshop_id)  # the invited e-mail addresses
    unit.done()
    unit.after_commit(lambda: snapshots.forget_phone_snapshots(workshop_id))
    audit.record(Identity("system", workshop_id), workshop_id, "personal_data.anonymised")
    withdraw_rights(workshop_id, ROLES_WITH_ROOMS)


# --- Deleting a workshop, rotating and revoking links ---------------------------------------------

@unit.atomic
def delete_workshop(identity, workshop_id: int) -> str:
    """Every row of the workshop goes (the database cascades); only the audit entry saying that
    it was deleted, and by whom, remains."""
    code = db.session.scalar(select(Workshop.code).where(Workshop.id == workshop_id))
    db.session.execute(delete(Workshop).where(Workshop.id == workshop_id))
    unit.done()
    audit.record(identity, workshop_id, "workshop.deleted", code=code)
    withdraw_rights(workshop_id, ROLES_WITH_ROOMS)
    return code


@unit.atomic
def rotate_links(identity, workshop_id: int) -> str:
    """New facilitator and projector links; the old ones stop working at once, open screens too."""
    token = tokens.new_token()
    db.session.execute(update(Workshop).where(Workshop.id == workshop_id).values(
        facilitator_token_hash=tokens.token_hash(token),
        projector_token_hash=tokens.token_hash(tokens.projector_token_for(token))))
    accounts.stewardship(workshop_id).sealed_link = accounts.seal(token)
    unit.done()
    audit.record(identity, workshop_id, "links.rotated", {"links": ["facilitator", "projector"]})
    withdraw_rights(workshop_id, ("facilitator", "projector"))
    return token


@unit.atomic
def revoke_projector(identity, workshop_id: int) -> None:
    """The projector link stops working until the links are next rotated."""
    db.session.execute(update(Workshop).where(Workshop.id == workshop_id).values(
        projector_token_hash=tokens.token_hash(tokens.new_token())))
    unit.done()
    audit.record(identity, workshop_id, "links.revoked", {"links": ["projector"]})
    withdraw_rights(workshop_id, ("projector",))


# --- Operations: each declared once (workshop/declarations.py) ---------------------------------

declare("contributions.withdraw", Withdraw, PHONE, lambda who, d: withdraw(who),
        http=Http("POST", "/workshops/<code>/contributions/withdraw", "withdraw"),
        summary="Withdraw all of the caller's contributions: items, advice, dots and name")
