"""Telling who is asking (identity from tokens, never from payloads) and locking a workshop for a
change. Creating one is services/founding.py's."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from ..domain.errors import N_, DomainError, Forbidden, NotFound
from ..extensions import db
from ..models import Account, CoFacilitator, Participant, Workshop
from . import guide_files, tokens
from .outcome import Stamp, audience


@dataclass(frozen=True)
class Identity:
    role: str  # "facilitator" | "projector" | "participant"
    workshop_id: int
    participant_id: int | None = None
    perspective: str | None = None  # a participant's, as they joined: the console shows it with their items


@dataclass(frozen=True)
class Actor(Identity):
    """Someone acting on a workshop under a right of their own rather than the owner's link: an
    account (organiser, co-facilitator, administrator) or a co-facilitator's own console link.
    Services see a facilitator (they only tell a runner from a phone); authorisation and the
    audit trail see the real role, which removal or sign-out takes away."""

    actor_role: str = "organiser"
    account_id: int | None = None
    email: str | None = None
    by_link: bool = False  # a co-facilitator's console link, not their signed-in session


CO_FACILITATOR = "co-facilitator"


ROLES = ("facilitator", "projector", "participant")
BAD_LINK = N_("This link or session is not valid. Ask the facilitator for a new link.")


def find_by_code(code: str) -> Workshop:
    workshop = db.session.scalar(select(Workshop).where(Workshop.code == tokens.normalise_code(code)))
    if workshop is None:
        raise NotFound("workshop_not_found", N_("There is no workshop with this code. Check the code and try again."))
    return workshop


def workshop_id_of(code: str) -> int:
    """The id behind a join code, in one indexed lookup (a join storm asks it a thousand times)."""
    workshop_id = db.session.scalar(select(Workshop.id).where(Workshop.code == tokens.normalise_code(code)))
    if workshop_id is None:
        raise NotFound("workshop_not_found", N_("There is no workshop with this code. Check the code and try again."))
    return workshop_id


def identify(role: str, token: str | None, code: str | None = None) -> Identity:
    """Resolve a capability token to an identity, or raise Forbidden.

    With ``code`` given, the token must belong to that workshop: a participant of one workshop
    can never act in another by pointing a request at it.
    """
    if role not in ROLES or not token or len(token) > 200:
        raise Forbidden("bad_token", BAD_LINK)
    digest = tokens.token_hash(token)
    identity = None
    if role == "participant":
        row = db.session.execute(
            select(Participant.id, Participant.workshop_id, Participant.perspective)
            .where(Participant.token_hash == digest)).first()
        if row:
            identity = Identity(role, row.workshop_id, row.id, row.perspective)
    else:
        column = Workshop.facilitator_token_hash if role == "facilitator" else Workshop.projector_token_hash
        workshop_id = db.session.scalar(select(Workshop.id).where(column == digest))
        if workshop_id:
            identity = Identity(role, workshop_id)
        elif role == "facilitator":
            identity = _co_facilitator(digest)
    if identity is None:
        raise Forbidden("bad_token", BAD_LINK)
    if code is not None and find_by_code(code).id != identity.workshop_id:
        raise Forbidden("wrong_workshop", N_("You do not have access to this workshop."))
    return identity


def _co_facilitator(digest: str) -> Actor | None:
    """A co-facilitator's own console link: valid exactly as long as their invitation stands."""
    row = db.session.execute(
        select(CoFacilitator.workshop_id, CoFacilitator.account_id, Account.email)
        .join(Account, Account.id == CoFacilitator.account_id)
        .where(CoFacilitator.token_hash == digest)).first()
    if row is None:
        return None
    return Actor("facilitator", row.workshop_id, None, actor_role=CO_FACILITATOR, account_id=row.account_id,
                 email=row.email, by_link=True)


def is_co_facilitator_link(identity: Identity) -> bool:
    return isinstance(identity, Actor) and identity.by_link


def require_role(identity: Identity, *roles: str) -> None:
    if identity.role not in roles:
        raise Forbidden("not_allowed", N_("You are not allowed to do this."))


def lock(workshop_id: int, change_type: str) -> tuple[Workshop, Stamp]:
    """Start a change: bump the workshop's version and return the fresh row and the change's stamp.

    The UPDATE comes first in the transaction so that concurrent changes to one workshop queue
    behind each other (a row lock on PostgreSQL, the write lock on SQLite) and each reads the
    state the previous one committed, which is what keeps ballots within budget under races.
    A change phones receive also advances their sequence, in the same statement.
    """
    to_phones = "participant" in audience(change_type)
    values = {"version": Workshop.version + 1}
    if to_phones:
        values["participant_seq"] = Workshop.participant_seq + 1
    row = db.session.execute(
        update(Workshop).where(Workshop.id == workshop_id).values(**values)
        .returning(Workshop.version, Workshop.participant_seq)
    ).one()
    guide_files.forget(workshop_id)  # a kept guide file never outlives what it was made from
    workshop = db.session.get(Workshop, workshop_id, populate_existing=True)
    return workshop, Stamp(row.version, row.participant_seq if to_phones else None)


def identify_bearer(token: str | None, code: str) -> Identity:
    """An API caller presents one token; it is whichever role it belongs to, in this workshop."""
    last: DomainError | None = None
    for role in ("facilitator", "participant", "projector"):
        try:
            return identify(role, token, code)
        except Forbidden as exc:
            last = exc
            if exc.code == "wrong_workshop":
                raise
    raise last
