"""Tables of a workshop's schedule and its e-mail invitations (imported by ``models``, whose
tables they sit beside; kept apart only to keep each file readable in one sitting).

E-mail addresses are the only personal data here. They live in ``mail_recipients`` alone, for
as long as they serve (docs/privacy.md); ``mailings`` records what was sent and how it went in
counts only, so the organiser's report outlives the addresses without naming anyone.
"""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db
from .clock import now as utcnow  # the application clock, as models.utcnow reads it


class WorkshopSchedule(db.Model):
    """When and where a workshop happens and when its pre-work is open: wall-clock dates and
    times at the workshop's place, in ``timezone``. Beside ``workshops`` (as ``Stewardship`` is)
    so the busy workshop row stays as it was."""

    __tablename__ = "workshop_schedules"

    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date | None] = mapped_column(Date)
    start: Mapped[time | None] = mapped_column(Time)
    end: Mapped[time | None] = mapped_column(Time)
    timezone: Mapped[str] = mapped_column(String(64))
    place: Mapped[str | None] = mapped_column(String(200))
    meeting_url: Mapped[str | None] = mapped_column(String(500))
    prework_opens: Mapped[date | None] = mapped_column(Date)
    prework_closes: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MailRecipient(db.Model):
    """An address the organiser invites. ``secret`` makes the address's own link to remove
    itself (an HMAC of it with the SECRET_KEY, see services/invitations.py). Each ``*_sent_at``
    says the mail of that kind reached the SMTP server; ``last_error`` why the latest send failed."""

    __tablename__ = "mail_recipients"
    __table_args__ = (UniqueConstraint("workshop_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    secret: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    prework_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    validation_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    guide_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(300))


class Mailing(db.Model):
    """One send the organiser asked for: its kind, when, and how it went, in counts only."""

    __tablename__ = "mailings"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # prework | validation | guide
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    sent: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    # Why the whole send failed (no connection to the SMTP server, refused sign-in), when it did.
    error: Mapped[str | None] = mapped_column(String(300))
