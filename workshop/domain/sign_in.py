"""Who may sign in through the organisation's OpenID provider, and as what: pure rules on the
claims of a verified ID token, so they are tested without a provider.

An account is the provider's *subject* (issuer and ``sub``), never an e-mail address alone: an
address can be given to someone else at the provider, or claimed by anyone at another one.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from .errors import N_, DomainError, Forbidden


class SignInRefused(Forbidden):
    """The provider vouched for someone this service does not admit; nothing was changed."""


NO_EMAIL = N_("Your organisation's sign-in did not give an e-mail address, so you cannot sign in here. Ask "
              "your administrator to release the e-mail claim to this service.")
UNVERIFIED = N_("Your organisation's sign-in says your e-mail address is not verified.")
DOMAIN = N_("Accounts of %(domain)s may not sign in here. Sign in with your organisation's address, or ask "
            "an administrator.")
DISABLED = N_("This account is disabled. Ask an administrator to enable it.")
TAKEN = N_("An account with this e-mail address already exists and is not linked to your organisation's "
           "sign-in. Sign in with its password, then link your organisation's sign-in on your page.")
LINKED_ELSEWHERE = N_("This sign-in is already linked to another account.")


def email_of(claims: Mapping) -> str:
    """The verified, lower-cased address; refused when missing or marked unverified."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise SignInRefused("oidc_no_email", NO_EMAIL)
    if claims.get("email_verified") is False:  # absent is accepted: several providers never send it
        raise SignInRefused("oidc_unverified", UNVERIFIED)
    return email.strip().lower()


def domain_allowed(email: str, allowed: Iterable[str]) -> bool:
    """Exactly one of the allowed domains (no subdomain, no suffix match); none allowed: any."""
    allowed = tuple(allowed)
    return not allowed or email.rsplit("@", 1)[-1] in allowed


def check_domain(email: str, allowed: Iterable[str]) -> None:
    if not domain_allowed(email, allowed):
        raise SignInRefused("oidc_domain", DOMAIN, domain=email.rsplit("@", 1)[-1])


def is_admin(claims: Mapping, claim: str, values: Iterable[str]) -> bool | None:
    """Whether the claim names one of the administrator values; None when no values are set (the
    provider then neither grants nor takes the role)."""
    values = set(values)
    if not values:
        return None
    held = claims.get(claim)
    held = [held] if isinstance(held, str) else held if isinstance(held, (list, tuple)) else []
    return any(isinstance(value, str) and value in values for value in held)


def subject_of(claims: Mapping) -> str:
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub or len(sub) > 255:
        raise DomainError("oidc_bad_subject", N_("The sign-in answer was not valid. Try again."))
    return sub
