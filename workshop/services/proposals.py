"""Concretise: participants propose concrete support for the top themes, and edit their own
proposals until the phase closes (or its timer locks input).

Every screen sees every proposal, per theme, without its author; the console also sees the
author's perspective, as it does for items. A proposal has a stable id: a voting round can target
proposals through ``state.proposals_of``.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..domain import phases, support
from ..domain.errors import N_, DomainError, NotFound
from ..extensions import db
from ..models import Participant, Proposal, Theme, Workshop, utcnow
from .outcome import Change, Outcome, Personal
from .state import proposals_of, theme_ranks, themes_of
from .timers import input_open
from .views import iso
from .workshops import Identity, lock, require_role
from . import unit
from .. import schemas
from ..declarations import Http, declare
from ..roles import PHONE


def proposal_view(proposal: Proposal, role: str, *, perspective: str | None = None,
                  mine: bool | None = None) -> dict:
    view = {"id": proposal.id, "client_id": proposal.client_id, "theme_id": proposal.theme_id,
            "type": proposal.type, "description": proposal.description, "who_needs": proposal.who_needs,
            "created_at": iso(proposal.created_at), "updated_at": iso(proposal.updated_at)}
    if role == "facilitator":
        view["perspective"] = perspective
    if mine is not None:
        view["mine"] = mine
    return view


def proposal_themes(workshop: Workshop) -> list[int]:
    """The themes proposals may be made for (see ``domain.support.top_themes``)."""
    ids = [t.id for t in themes_of(workshop.id)]
    return support.top_themes(ids, theme_ranks(workshop))


def views_for(workshop_id: int, role: str, participant_id: int | None = None) -> list[dict]:
    perspective_of = dict(db.session.execute(
        select(Participant.id, Participant.perspective).where(Participant.workshop_id == workshop_id)).all()) \
        if role == "facilitator" else {}
    return [proposal_view(p, role, perspective=perspective_of.get(p.participant_id),
                          mine=(p.participant_id == participant_id) if role == "participant" else None)
            for p in proposals_of(workshop_id)]


def _outcome(type_: str, workshop_id: int, stamp, proposal: Proposal, identity: Identity) -> Outcome:
    perspective = identity.perspective or db.session.scalar(
        select(Participant.perspective).where(Participant.id == identity.participant_id))
    change = Change(type_, {"proposal": proposal_view(proposal, "participant")},
                    {"proposal": proposal_view(proposal, "facilitator", perspective=perspective)})
    own = proposal_view(proposal, "participant", mine=True)
    # Phones are told about everyone's proposals without authors; the author's other tabs learn
    # it is theirs personally.
    return Outcome(workshop_id, stamp, [change], {"proposal": own, "version": stamp.version},
                   [Personal(identity.participant_id, "proposal", {"proposal": own}, skip_sender=True)])


def _may_propose(workshop: Workshop) -> None:
    phases.check_allowed(workshop.phase, phases.PROPOSE)
    input_open(workshop.timer, workshop.phase)


def _stored(workshop_id: int, client_id: str) -> Proposal | None:
    return db.session.scalar(select(Proposal).where(Proposal.workshop_id == workshop_id,
                                                    Proposal.client_id == client_id))


def _resent(identity: Identity, client_id: str) -> Outcome:
    stored = _stored(identity.workshop_id, client_id)
    if stored is None or stored.participant_id != identity.participant_id:
        raise DomainError("client_id_taken", N_("This id is already in use; please send it again."))
    version = db.session.scalar(select(Workshop.version).where(Workshop.id == identity.workshop_id))
    return Outcome(identity.workshop_id, None, [], {"proposal": proposal_view(stored, "participant", mine=True),
                                                   "version": version, "duplicate": True})


def submit(identity: Identity, data: dict) -> Outcome:
    require_role(identity, "participant")
    if _stored(identity.workshop_id, data["client_id"]) is not None:
        return _resent(identity, data["client_id"])
    workshop, stamp = lock(identity.workshop_id, "proposal.added")
    _may_propose(workshop)
    theme = db.session.get(Theme, data["theme_id"])
    if theme is None or theme.workshop_id != workshop.id:
        raise NotFound("theme_not_found", N_("This theme no longer exists."))
    support.check_theme(theme.id, proposal_themes(workshop))
    now = utcnow()
    proposal = Proposal(workshop_id=workshop.id, theme_id=theme.id, participant_id=identity.participant_id,
                        client_id=data["client_id"], type=data["type"], description=data["description"],
                        who_needs=data["who_needs"], created_at=now, updated_at=now)
    db.session.add(proposal)
    try:
        unit.done()
    except IntegrityError:  # the same client id, committed by a racing resend
        db.session.rollback()
        return _resent(identity, data["client_id"])
    return _outcome("proposal.added", workshop.id, stamp, proposal, identity)


def edit(identity: Identity, data: dict) -> Outcome:
    require_role(identity, "participant")
    workshop, stamp = lock(identity.workshop_id, "proposal.updated")
    _may_propose(workshop)
    proposal = db.session.get(Proposal, data["proposal_id"])
    if proposal is None or proposal.workshop_id != workshop.id:
        raise NotFound("proposal_not_found", N_("This proposal no longer exists."))
    support.check_owner(proposal.participant_id, identity.participant_id)
    proposal.type, proposal.description, proposal.who_needs = data["type"], data["description"], data["who_needs"]
    proposal.updated_at = utcnow()
    unit.done()
    return _outcome("proposal.updated", workshop.id, stamp, proposal, identity)


# --- Operations: each declared once (workshop/declarations.py) ---------------------------------

declare("proposal.submit", schemas.SubmitProposal, PHONE, lambda who, d: submit(who, d),
        http=Http("POST", "/workshops/<code>/proposals", "submit_proposal", 201),
        summary='Propose concrete support for a top theme, in the Concretise phase')
declare("proposal.edit", schemas.EditProposal, PHONE, lambda who, d: edit(who, d),
        http=Http("PUT", "/workshops/<code>/proposals/<int:proposal_id>", "edit_proposal"),
        summary="Edit one's own proposal while the phase lasts")
