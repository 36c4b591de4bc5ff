"""Tables of the validation round (the draft guide opened to participants for comment) and the
kept rendered guides (imported by ``models``, whose tables they sit beside; kept apart only to
keep each file readable in one sitting)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .clock import now as utcnow  # the application clock, as models.utcnow reads it
from .extensions import db


# --- The validation round: the draft guide opened to participants for comment -----------------


class GuideReview(db.Model):
    """Whether a workshop's draft guide is open for participants' comments, and when the
    facilitator finalised it. Beside ``workshops`` (as ``Stewardship`` is) so the busy workshop row
    stays as it was."""

    __tablename__ = "guide_reviews"

    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True)
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    is_open: Mapped[bool] = mapped_column(Boolean, default=False)
    finalised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class GuideComment(db.Model):
    """A participant's comment on the draft guide, on the whole or on one theme."""

    __tablename__ = "guide_comments"
    __table_args__ = (UniqueConstraint("workshop_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[str] = mapped_column(String(64))
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # What the facilitator did with it (accepted, changed, noted); None until they say.
    handling: Mapped[str | None] = mapped_column(String(10))


class ReviewResponse(db.Model):
    """A participant's agreement or disagreement with one theme of the draft guide: one row per
    participant and theme, the last answer standing, so the guide can say how far the room agreed."""

    __tablename__ = "review_responses"
    __table_args__ = (UniqueConstraint("participant_id", "theme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), index=True)
    stance: Mapped[str] = mapped_column(String(10))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RenderedGuide(db.Model):
    """A guide file made once and kept, so that downloading an unchanged guide is instant (a
    1,000-contribution PDF takes seconds to lay out). One per workshop and format; it is deleted
    by every change that can take something out of the guide (``services.workshops.lock``), so it
    never outlives what it was made from, and ``fingerprint`` (the guide's content, language and
    renderer) is checked again before it is served."""

    __tablename__ = "rendered_guides"

    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True)
    format: Mapped[str] = mapped_column(String(16), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    rendered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
