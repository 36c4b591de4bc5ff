"""The validation round, as use cases: open or close the draft guide for comments, comment on it
from a phone, list the comments for the facilitator, and finalise the guide.

Finalising closes the workshop (the guide stops being a draft) in the same transaction, so a
comment can never arrive after the facilitator has read the last one and made the guide final.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..domain import phases
from ..domain import review as rules
from ..domain.errors import N_, DomainError, NotFound
from ..domain.guide import build_guide
from ..domain.setup import NAMED
from ..extensions import db
from ..models import GuideComment, GuideReview, ReviewResponse, Theme, Workshop, utcnow
from .outcome import Change, Outcome
from .state import iso, load_state
from .workshops import Identity, lock, require_role
from . import unit
from .. import schemas
from ..declarations import Http, declare
from ..roles import PHONE, RUNNERS


def _review(workshop_id: int, *, create: bool = False) -> GuideReview | None:
    row = db.session.get(GuideReview, workshop_id)
    if row is None and create:
        row = GuideReview(workshop_id=workshop_id, is_open=False)
        db.session.add(row)
    return row


def review_view(workshop_id: int) -> dict:
    """What every screen knows about the round: whether it is open, and whether the guide is final."""
    row = _review(workshop_id)
    return {"open": bool(row and row.is_open), "finalised": bool(row and row.finalised_at),
            "opened_at": iso(row.opened_at) if row else None,
            "finalised_at": iso(row.finalised_at) if row else None}


def comment_view(comment: GuideComment, theme_names: dict[int, str]) -> dict:
    """Comments carry no author: the facilitator reads what was said, not who said it."""
    return {"id": comment.id, "client_id": comment.client_id, "theme_id": comment.theme_id,
            "theme": theme_names.get(comment.theme_id) if comment.theme_id else None,
            "text": comment.text, "created_at": iso(comment.created_at), "handling": comment.handling}


def _theme_names(workshop_id: int) -> dict[int, str]:
    return dict(db.session.execute(select(Theme.id, Theme.name).where(Theme.workshop_id == workshop_id)).all())


def comments_of(workshop_id: int, participant_id: int | None = None) -> list[dict]:
    query = select(GuideComment).where(GuideComment.workshop_id == workshop_id)
    if participant_id is not None:
        query = query.where(GuideComment.participant_id == participant_id)
    names = _theme_names(workshop_id)
    return [comment_view(c, names) for c in db.session.scalars(query.order_by(GuideComment.created_at,
                                                                              GuideComment.id))]


def for_role(workshop_id: int, role: str, participant_id: int | None = None) -> dict:
    """The round as one role's snapshot holds it: the console reads every comment, a phone its own."""
    view = review_view(workshop_id)
    if role == "facilitator":
        view["comments"] = comments_of(workshop_id)
        view["responses"] = response_counts(workshop_id)
    elif role == "participant" and participant_id is not None:
        view["mine"] = comments_of(workshop_id, participant_id)
        view["my_responses"] = responses_of(workshop_id, participant_id)
    return view


def response_counts(workshop_id: int) -> list[dict]:
    """Agree and disagree per theme, for the console: counts only, never who."""
    counts: dict[int, dict] = {}
    for theme_id, stance in db.session.execute(select(ReviewResponse.theme_id, ReviewResponse.stance)
                                               .where(ReviewResponse.workshop_id == workshop_id)):
        entry = counts.setdefault(theme_id, {"theme_id": theme_id, "agree": 0, "disagree": 0})
        entry[stance] += 1
    return [counts[k] for k in sorted(counts)]


def responses_of(workshop_id: int, participant_id: int) -> list[dict]:
    rows = db.session.execute(select(ReviewResponse.theme_id, ReviewResponse.stance).where(
        ReviewResponse.workshop_id == workshop_id, ReviewResponse.participant_id == participant_id)
        .order_by(ReviewResponse.theme_id))
    return [{"theme_id": theme_id, "stance": stance} for theme_id, stance in rows]


def respond(identity: Identity, theme_id: int, stance: str) -> Outcome:
    """A participant agrees or disagrees with a theme of the draft. One answer per participant and
    theme: sending again replaces it (the last one stands), and sending the same again changes
    nothing, so a resend after a lost answer is harmless."""
    require_role(identity, "participant")
    pid = identity.participant_id
    stored = db.session.scalar(select(ReviewResponse).where(ReviewResponse.participant_id == pid,
                                                            ReviewResponse.theme_id == theme_id))
    if stored is not None and stored.stance == stance and stored.workshop_id == identity.workshop_id:
        version = db.session.scalar(select(Workshop.version).where(Workshop.id == identity.workshop_id))
        return Outcome(identity.workshop_id, None, [], {"theme_id": theme_id, "stance": stance,
                                                        "version": version, "duplicate": True})
    workshop, stamp = lock(identity.workshop_id, "review.responded")
    row = _review(workshop.id)
    rules.check_can_comment(bool(row and row.is_open), workshop.phase, bool(row and row.finalised_at))
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.workshop_id != workshop.id:
        raise NotFound("theme_not_found", N_("This theme no longer exists."))
    stored = db.session.scalar(select(ReviewResponse).where(ReviewResponse.participant_id == pid,
                                                            ReviewResponse.theme_id == theme_id))
    if stored is None:
        db.session.add(ReviewResponse(workshop_id=workshop.id, participant_id=pid, theme_id=theme_id, stance=stance))
    else:
        stored.stance, stored.updated_at = stance, utcnow()
    unit.done()
    counts = response_counts(workshop.id)
    return Outcome(workshop.id, stamp, [Change("review.responded", {"responses": counts})],
                   {"theme_id": theme_id, "stance": stance, "version": stamp.version})


def handle_comment(identity: Identity, comment_id: int, handling: str | None) -> Outcome:
    """The facilitator records what was done with a comment (accepted, changed, noted; None clears
    it): the guide's validation section reports it beside the comment."""
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, "comment.handled")
    comment = db.session.get(GuideComment, comment_id)
    if comment is None or comment.workshop_id != workshop.id:
        raise NotFound("comment_not_found", N_("This comment no longer exists."))
    comment.handling = handling
    unit.done()
    view = comment_view(comment, _theme_names(workshop.id))
    return Outcome(workshop.id, stamp, [Change("comment.handled", {"comment": view})],
                   {"comment": view, "version": stamp.version})


def set_open(identity: Identity, is_open: bool) -> Outcome:
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, "review.changed")
    row = _review(workshop.id, create=True)
    if is_open:
        rules.check_can_open(workshop.phase, row.finalised_at is not None)
        row.opened_at = row.opened_at or utcnow()
    row.is_open = is_open
    unit.done()
    view = review_view(workshop.id)
    return Outcome(workshop.id, stamp, [Change("review.changed", {"review": view})],
                   {"review": view, "version": stamp.version})


def finalise(identity: Identity) -> Outcome:
    """Make the guide final: comments close and the workshop closes with them."""
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, "review.changed")
    row = _review(workshop.id, create=True)
    rules.check_can_finalise(row.finalised_at is not None)
    row.is_open = False
    row.finalised_at = utcnow()
    if phases.CLOSED in workshop.phases:
        workshop.phase = phases.CLOSED
        workshop.closed_at = workshop.closed_at or row.finalised_at
    unit.done()
    view = review_view(workshop.id)
    data = {"review": view, "phase": workshop.phase}
    return Outcome(workshop.id, stamp, [Change("review.changed", data)], {**data, "version": stamp.version})


def add_comment(identity: Identity, client_id: str, text: str, theme_id: int | None) -> Outcome:
    """Store a participant's comment once per client id; a resend answers with the stored one."""
    require_role(identity, "participant")
    stored = _by_client_id(identity.workshop_id, client_id)
    if stored is not None:
        return _resent(identity, stored)
    workshop, stamp = lock(identity.workshop_id, "comment.added")
    row = _review(workshop.id)
    rules.check_can_comment(bool(row and row.is_open), workshop.phase, bool(row and row.finalised_at))
    if theme_id is not None:
        theme = db.session.get(Theme, theme_id)
        if theme is None or theme.workshop_id != workshop.id:
            raise NotFound("theme_not_found", N_("This theme no longer exists."))
    comment = GuideComment(workshop_id=workshop.id, participant_id=identity.participant_id, client_id=client_id,
                           theme_id=theme_id, text=text)
    db.session.add(comment)
    try:
        unit.done()
    except IntegrityError:  # the same command, delivered twice at once
        db.session.rollback()
        stored = _by_client_id(identity.workshop_id, client_id)
        if stored is None:
            raise
        return _resent(identity, stored)
    view = comment_view(comment, _theme_names(workshop.id))
    return Outcome(workshop.id, stamp, [Change("comment.added", {"comment": view})],
                   {"comment": view, "version": stamp.version})


def _by_client_id(workshop_id: int, client_id: str) -> GuideComment | None:
    return db.session.scalar(select(GuideComment).where(GuideComment.workshop_id == workshop_id,
                                                        GuideComment.client_id == client_id))


def _resent(identity: Identity, stored: GuideComment) -> Outcome:
    if stored.participant_id != identity.participant_id:
        raise DomainError("client_id_taken", N_("This id is already in use; please send it again."))
    version = db.session.scalar(select(Workshop.version).where(Workshop.id == identity.workshop_id))
    return Outcome(identity.workshop_id, None, [],
                   {"comment": comment_view(stored, _theme_names(identity.workshop_id)), "version": version,
                    "duplicate": True})


def draft(identity: Identity) -> dict:
    """The draft guide for a phone (only while the round is open) or for the console (always)."""
    workshop = db.session.get(Workshop, identity.workshop_id)
    view = for_role(workshop.id, identity.role, identity.participant_id)
    if identity.role == "participant" and not view["open"]:
        rules.check_can_comment(False, workshop.phase, view["finalised"])
    guide = build_guide(load_state(workshop))
    # Perspectives behind a contribution as the snapshot shows them (views.item_view's rule).
    perspectives = identity.role == "facilitator" or workshop.anonymity == NAMED
    return {"review": view, "draft": rules.draft_for_phones(guide, results_revealed=workshop.results_revealed,
                                                            perspectives=perspectives)}


# --- Operations: each declared once (workshop/declarations.py) ---------------------------------

declare("review.open", schemas.OpenReview, RUNNERS, lambda who, d: set_open(who, d["open"]),
        http=Http("PUT", "/workshops/<code>/review", "open_review"),
        summary="Open or close the draft guide for participants' comments")
declare("review.finalise", schemas.Finalise, RUNNERS, lambda who, d: finalise(who),
        http=Http("POST", "/workshops/<code>/review/final", "finalise_review"),
        summary='Finalise the guide: comments close and the workshop closes')
declare("comment.submit", schemas.SubmitComment, PHONE, lambda who, d: add_comment(who, d["client_id"], d["text"], d["theme_id"]),
        http=Http("POST", "/workshops/<code>/review/comments", "add_comment", 201),
        summary='Comment on the draft guide; idempotent by client_id')
declare("review.respond", schemas.RespondToTheme, PHONE, lambda who, d: respond(who, d["theme_id"], d["stance"]),
        http=Http("PUT", "/workshops/<code>/review/themes/<int:theme_id>/response", "respond_to_theme", note="the last answer per theme stands"),
        summary='Agree or disagree with a theme of the draft guide; the last answer stands')
declare("comment.handle", schemas.HandleComment, RUNNERS, lambda who, d: handle_comment(who, d["comment_id"], d["handling"]),
        http=Http("PUT", "/workshops/<code>/review/comments/<int:comment_id>/handling", "handle_comment"),
        summary='Record what was done with a comment: accepted, changed or noted')
