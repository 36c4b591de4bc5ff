"""Organiser accounts from the organisation's OpenID provider: find the account linked to the
provider's subject, or make one, or link one's own password account to it.

The claims come from an ID token the HTTP layer has already verified (signature, issuer,
audience, nonce, expiry); this module decides who that person is here. An existing account is
found by issuer and subject only. An address that already belongs to an unlinked account is
refused rather than joined to it: whoever controls the address at the provider would otherwise
take over the account. Its owner links it by signing in with the password first.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from ..domain import sign_in as rules
from ..extensions import db
from ..models import Account, utcnow

# No argon2 hash has this form, so no password ever matches an account made by the provider.
NO_PASSWORD = "!oidc"


@dataclass(frozen=True)
class Policy:
    issuer: str
    allowed_domains: tuple[str, ...] = ()
    admin_claim: str = "groups"
    admin_values: tuple[str, ...] = ()

    @classmethod
    def from_config(cls, config: Mapping, issuer: str) -> "Policy":
        return cls(issuer=issuer, allowed_domains=tuple(config["OIDC_ALLOWED_DOMAINS"]),
                   admin_claim=config["OIDC_ADMIN_CLAIM"], admin_values=tuple(config["OIDC_ADMIN_VALUES"]))


def _linked(issuer: str, subject: str) -> Account | None:
    return db.session.scalar(select(Account).where(Account.oidc_issuer == issuer, Account.oidc_subject == subject))


def _by_email(email: str) -> Account | None:
    return db.session.scalar(select(Account).where(Account.email == email))


def account_for(claims: Mapping, policy: Policy) -> Account:
    """The account this verified person signs in as, made on their first sign-in. Refusals raise
    ``SignInRefused`` and change nothing."""
    subject = rules.subject_of(claims)
    email = rules.email_of(claims)
    rules.check_domain(email, policy.allowed_domains)
    account = _linked(policy.issuer, subject)
    if account is None:
        if _by_email(email) is not None:
            raise rules.SignInRefused("oidc_email_taken", rules.TAKEN)
        account = Account(email=email, password_hash=NO_PASSWORD, is_admin=False,
                          oidc_issuer=policy.issuer, oidc_subject=subject)
        db.session.add(account)
    if account.disabled_at is not None:
        db.session.rollback()
        raise rules.SignInRefused("account_disabled", rules.DISABLED)
    if account.email != email and _by_email(email) is None:
        account.email = email  # the provider's address changed; the subject is still this person
    admin = rules.is_admin(claims, policy.admin_claim, policy.admin_values)
    if admin is not None:
        account.is_admin = admin
    db.session.commit()
    return account


def link(account: Account, claims: Mapping, policy: Policy) -> Account:
    """Link a signed-in account (with a password) to the provider's subject it just proved."""
    subject = rules.subject_of(claims)
    rules.check_domain(rules.email_of(claims), policy.allowed_domains)
    other = _linked(policy.issuer, subject)
    if other is not None and other.id != account.id:
        raise rules.SignInRefused("oidc_linked_elsewhere", rules.LINKED_ELSEWHERE)
    if account.disabled_at is not None:
        raise rules.SignInRefused("account_disabled", rules.DISABLED)
    account.oidc_issuer, account.oidc_subject = policy.issuer, subject
    db.session.commit()
    return account


def set_disabled(email: str, disabled: bool) -> Account | None:
    """Disable (or enable again) an account: no sign-in of any kind, open sessions end at their
    next request (``accounts.signed_in``). None when there is no such account."""
    account = _by_email(email.strip().lower())
    if account is None:
        return None
    account.disabled_at = utcnow() if disabled else None
    db.session.commit()
    return account
