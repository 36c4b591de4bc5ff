"""Organiser accounts, the workshops they answer for, and the facilitator links they can reopen.

Passwords are hashed with argon2id (argon2-cffi's defaults: memory-hard, salted). The session
holds only the account id; who an account is on a workshop is looked up on every request, so
removing a co-facilitator takes effect at once.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app, g, has_request_context, session
from sqlalchemy import select

from ..domain.errors import N_, DomainError, NotFound
from ..domain.sign_in import DISABLED
from ..extensions import db
from ..models import Account, CoFacilitator, Stewardship, Workshop
from . import unit
from .tokens import new_token, projector_token_for, token_hash

ORGANISER, CO_FACILITATOR, ADMIN = "organiser", "co-facilitator", "admin"
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{1,60}$")
MIN_PASSWORD = 12
_hasher = PasswordHasher()
# Spent on unknown emails too, so the answer's timing does not tell which accounts exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

BAD_SIGN_IN = N_("The email or password is not right.")


class Invalid(DomainError):
    status = 400


class Disabled(DomainError):
    status = 403


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def create_account(email: str, password: str, is_admin: bool = False) -> Account:
    email = normalise_email(email)
    if not EMAIL.match(email):
        raise Invalid("email_invalid", N_("Enter a valid email address."))
    if len(password or "") < MIN_PASSWORD:
        raise Invalid("password_short", N_("Choose a password of at least %(min)s characters."),
                          min=MIN_PASSWORD)
    if db.session.scalar(select(Account.id).where(Account.email == email)) is not None:
        raise DomainError("email_taken", N_("There is already an account with this email."))
    account = Account(email=email, password_hash=_hasher.hash(password), is_admin=is_admin)
    db.session.add(account)
    db.session.commit()
    return account


def authenticate(email: str, password: str) -> Account:
    account = db.session.scalar(select(Account).where(Account.email == normalise_email(email)))
    try:
        _hasher.verify(account.password_hash if account else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        account = None
    if account is None:
        raise Invalid("bad_sign_in", BAD_SIGN_IN)
    if account.disabled_at is not None:  # told only to whoever knows the password
        raise Disabled("account_disabled", DISABLED)
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
        db.session.commit()
    return account


def sign_in(account: Account, **extra) -> None:
    """``extra``: what sign-out needs to know later (``oidc``: signed in through the provider)."""
    session.clear()  # a fresh session: nothing from before the sign-in carries over
    session["account_id"] = account.id
    session.update(extra)
    session.permanent = False


def sign_out() -> None:
    session.pop("account_id", None)
    session.pop("oidc", None)


def signed_in() -> Account | None:
    if not has_request_context():
        return None
    if "account" not in g:
        account_id = session.get("account_id")
        account = db.session.get(Account, account_id) if isinstance(account_id, int) else None
        g.account = account if account is not None and account.disabled_at is None else None
    return g.account


def roles_on(account: Account, workshop_id: int | None) -> set[str]:
    """The account's roles on one workshop, or (``None``) on the organiser pages."""
    roles = {ADMIN} if account.is_admin else set()
    if workshop_id is None:
        return roles | {ORGANISER, CO_FACILITATOR}
    if stewardship(workshop_id, create=False) is not None and \
            stewardship(workshop_id, create=False).owner_id == account.id:
        roles.add(ORGANISER)
    elif db.session.scalar(select(CoFacilitator.id).where(CoFacilitator.workshop_id == workshop_id,
                                                         CoFacilitator.account_id == account.id)):
        roles.add(CO_FACILITATOR)
    return roles


def stewardship(workshop_id: int, create: bool = True) -> Stewardship | None:
    row = db.session.get(Stewardship, workshop_id)
    if row is None and create:
        row = Stewardship(workshop_id=workshop_id)
        db.session.add(row)
    return row


def claim(workshop_id: int, account: Account | None, facilitator_token: str) -> None:
    """A workshop created while signed in belongs to that account, which can reopen its console."""
    row = stewardship(workshop_id)
    if account is not None:
        row.owner_id = account.id
    row.sealed_link = seal(facilitator_token)
    db.session.commit()


def workshops_of(account: Account) -> list[Workshop]:
    query = select(Workshop).order_by(Workshop.created_at.desc())
    if not account.is_admin:
        invited = select(CoFacilitator.workshop_id).where(CoFacilitator.account_id == account.id)
        owned = select(Stewardship.workshop_id).where(Stewardship.owner_id == account.id)
        query = query.where(Workshop.id.in_(owned) | Workshop.id.in_(invited))
    return list(db.session.scalars(query))


def co_facilitators(workshop_id: int) -> list[Account]:
    return list(db.session.scalars(select(Account).join(CoFacilitator, CoFacilitator.account_id == Account.id)
                                   .where(CoFacilitator.workshop_id == workshop_id).order_by(Account.email)))


def owner_of(workshop_id: int) -> Account | None:
    row = stewardship(workshop_id, create=False)
    return db.session.get(Account, row.owner_id) if row is not None and row.owner_id else None


def owned(workshop_id: int) -> bool:
    """Whether an account answers for the workshop; if none does, its facilitator link is its
    only steward (it may delete it, keep its data, rotate its links, read its audit trail)."""
    return db.session.scalar(select(Stewardship.owner_id).where(Stewardship.workshop_id == workshop_id)) is not None


def invite(workshop_id: int, email: str) -> Account:
    account = db.session.scalar(select(Account).where(Account.email == normalise_email(email)))
    if account is None:
        raise NotFound("account_not_found", N_("There is no account with this email. Ask them to sign up "
                                                "or an administrator to create one."))
    if owner_of(workshop_id) is not None and owner_of(workshop_id).id == account.id:
        raise DomainError("already_organiser", N_("This account already organises the workshop."))
    if not db.session.scalar(select(CoFacilitator.id).where(CoFacilitator.workshop_id == workshop_id,
                                                           CoFacilitator.account_id == account.id)):
        row = CoFacilitator(workshop_id=workshop_id, account_id=account.id)
        _give_link(row)
        db.session.add(row)
        unit.done()
    return account


def _give_link(row: CoFacilitator) -> str:
    """A console link of the co-facilitator's own: a hash to check it, sealed to show it again."""
    token = new_token()
    row.token_hash, row.sealed_link = token_hash(token), seal(token)
    return token


def co_facilitator_token(workshop_id: int, account_id: int) -> str | None:
    """The co-facilitator's own console link (made now for an invitation from before links were
    personal); None if they are not, or no longer, invited."""
    row = db.session.scalar(select(CoFacilitator).where(CoFacilitator.workshop_id == workshop_id,
                                                        CoFacilitator.account_id == account_id))
    if row is None:
        return None
    token = unseal(row.sealed_link)
    if token is None:
        token = _give_link(row)
        db.session.commit()
    return token


def uninvite(workshop_id: int, account_id: int) -> bool:
    """Remove the invitation and with it the co-facilitator's link; True if there was one."""
    rows = list(db.session.scalars(select(CoFacilitator).where(CoFacilitator.workshop_id == workshop_id,
                                                               CoFacilitator.account_id == account_id)))
    for row in rows:
        db.session.delete(row)
    unit.done()
    return bool(rows)


# --- Sealed facilitator links ---------------------------------------------------------------------
# The organiser's page shows the console link again, so it is stored, sealed with a key drawn from
# SECRET_KEY (Fernet: authenticated encryption), and shown only while its hash is still the
# workshop's.

def _fernet() -> Fernet:
    secret = current_app.config["SECRET_KEY"].encode("utf-8")
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"link-seal:" + secret).digest()))


def seal(token: str) -> str:
    return _fernet().encrypt(token.encode("ascii")).decode("ascii")


def unseal(sealed: str | None) -> str | None:
    if not sealed:
        return None
    try:
        return _fernet().decrypt(sealed.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError):  # sealed with another key, or not by us
        return None


def console_token_for(workshop: Workshop, roles: set[str], account: Account | None) -> str | None:
    """The console link a signed-in account may see: the workshop's own link for its organiser
    and administrators, a co-facilitator's own link for them, never the owner's."""
    if roles & {ORGANISER, ADMIN}:
        return console_token(workshop)
    if CO_FACILITATOR in roles and account is not None:
        return co_facilitator_token(workshop.id, account.id)
    return None


def console_token(workshop: Workshop) -> str | None:
    """The workshop's current facilitator link, if it was sealed and is still the valid one."""
    row = stewardship(workshop.id, create=False)
    token = unseal(row.sealed_link if row else None)
    if token and hmac.compare_digest(token_hash(token), workshop.facilitator_token_hash):
        return token
    return None


def projector_token(workshop: Workshop) -> str | None:
    """The projector link, for a co-facilitator's console: derived from the owner's sealed link,
    which a one-way function keeps from them."""
    token = console_token(workshop)
    projector = projector_token_for(token) if token else None
    if projector and hmac.compare_digest(token_hash(projector), workshop.projector_token_hash):
        return projector
    return None  # never sealed, or revoked since
