"""Tables of accounts, their ownership of workshops, co-facilitators, privacy settings and the
audit trail (imported by ``models``, whose tables they sit beside; kept apart only to keep each
file readable in one sitting)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .clock import now as utcnow  # the application clock, as models.utcnow reads it
from .extensions import db


# --- Accounts, ownership, privacy and the audit trail ----------------------------------------


class Account(db.Model):
    """An organiser's (or an administrator's) account. Participants never have one."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("oidc_issuer", "oidc_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # argon2id, never the password; an account made by OpenID sign-in holds a value no password matches.
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The OpenID provider's subject this account is linked to (issuer and sub together, never the
    # e-mail alone); None for an account that signs in with a password only.
    oidc_issuer: Mapped[str | None] = mapped_column(String(255))
    oidc_subject: Mapped[str | None] = mapped_column(String(255))
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # set: no sign-in at all


class Stewardship(db.Model):
    """Who answers for a workshop: its organiser (the account that created it) and the
    co-facilitators the organiser invited. Kept beside ``workshops`` so the workshop row, which
    every change updates, stays as it was."""

    __tablename__ = "stewardships"

    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"), index=True)
    # Days after the workshop closes (or, if never closed, after it was created) until its
    # personal data is anonymised; None means the deployment's default.
    retention_days: Mapped[int | None] = mapped_column(Integer)
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The facilitator link sealed with the SECRET_KEY, so the organiser's page can show it again;
    # the database alone reveals nothing. None: never sealed, or revoked.
    sealed_link: Mapped[str | None] = mapped_column(String(200))


class CoFacilitator(db.Model):
    __tablename__ = "co_facilitators"
    __table_args__ = (UniqueConstraint("workshop_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The co-facilitator's own console link (a hash, and sealed for their page): removal deletes
    # the row and with it the right, never the owner's link.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    sealed_link: Mapped[str | None] = mapped_column(String(200))


class AuditEntry(db.Model):
    """One facilitator or organiser action: who, what, when. Not tied to the workshop row by a
    foreign key, so the record of a workshop's deletion outlives the workshop."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int | None] = mapped_column(Integer, index=True)
    workshop_code: Mapped[str | None] = mapped_column(String(12))
    actor_role: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str | None] = mapped_column(String(254))  # an account's email; None for a link
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
