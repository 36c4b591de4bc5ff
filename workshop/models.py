"""SQLAlchemy tables, and nothing else: rules live in the domain core, use cases in services.

Uniqueness that protects users' work is enforced by the database (constraints), never by a
check-then-insert, so a retried submission or two racing tabs cannot store anything twice.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (JSON, Boolean, DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint,
                        false, true)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from . import clock
from .extensions import db


def utcnow() -> datetime:
    """Now, in UTC, from the application's clock (workshop/clock.py), which tests can replace."""
    return clock.now()


class Workshop(db.Model):
    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    question: Mapped[str] = mapped_column(Text)
    organiser: Mapped[str | None] = mapped_column(String(120))  # shown on the guide's title page
    language: Mapped[str] = mapped_column(String(8))
    template: Mapped[str] = mapped_column(String(40))
    phases: Mapped[list] = mapped_column(JSON)
    phase: Mapped[str] = mapped_column(String(20))
    # Bumped by every change; events carry it so clients can spot a gap and resync.
    version: Mapped[int] = mapped_column(Integer, default=0)
    # Bumped only by the changes phones receive: their own sequence, so a phone that is not sent
    # the console's flood of joins, items and ballots still notices when it misses one of its own.
    participant_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    results_revealed: Mapped[bool] = mapped_column(Boolean, default=False)
    voting_method: Mapped[str] = mapped_column(String(20), default="dots")
    dots: Mapped[int] = mapped_column(Integer, default=5)
    max_per_entry: Mapped[int] = mapped_column(Integer, default=3)
    # The voting round phones vote in (see VotingRound). The four columns above are kept equal to
    # that round's method, rules and reveal, so whoever reads them reads the current round. No
    # foreign key: rounds already point at their workshop, and a cycle would complicate deletion.
    current_round_id: Mapped[int | None] = mapped_column(Integer)
    # Capability links are stored only as SHA-256 hashes: a database leak reveals no link.
    facilitator_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    projector_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The Present phase's spotlight: {"mode": "participant", "participant_id": n} or
    # {"mode": "lane", "lane": key}; None when nothing is spotlighted.
    spotlight: Mapped[dict | None] = mapped_column(JSON)
    # The facilitator's countdown for one phase, {"phase", "ends_at" (ISO, UTC), "seconds", "lock"};
    # the server decides by it whether time is up (see domain/timer.py). None: no timer.
    timer: Mapped[dict | None] = mapped_column(JSON)

    lanes: Mapped[list[Lane]] = relationship(order_by="Lane.position", cascade="all, delete-orphan")
    perspectives: Mapped[list[Perspective]] = relationship(order_by="Perspective.position",
                                                           cascade="all, delete-orphan")
    # Who sees an item's author: "anonymous" (nobody), "facilitator-only" (the console), "named".
    anonymity: Mapped[str] = mapped_column(String(20), default="anonymous", server_default="anonymous")
    # Every item carries an assessment (works well / needs development): the customer journey.
    assess_items: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    tags: Mapped[list[Tag]] = relationship(order_by="Tag.position", cascade="all, delete-orphan")
    # Does the workshop take new participants? The facilitator closes it once the room is in;
    # those who joined keep working. Joins refused (closed, full, too fast) are counted for the console.
    joining_open: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    joins_refused: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # "Something similar is already here" on the phones, before sending: the facilitator's choice.
    similar_hint: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class _WorkshopOption:
    """A lane or a perspective: a stable key, and the name shown in the workshop's language."""

    @declared_attr.directive
    def __table_args__(cls):
        return (UniqueConstraint("workshop_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Lane(_WorkshopOption, db.Model):
    __tablename__ = "lanes"


class Perspective(_WorkshopOption, db.Model):
    __tablename__ = "perspectives"


class Tag(_WorkshopOption, db.Model):
    """A label an item may carry, e.g. the procurement stage it concerns."""

    __tablename__ = "tags"


class Participant(db.Model):
    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str | None] = mapped_column(String(60))
    perspective: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # A person without a phone whose paper ballots the facilitator enters; ``name`` is its label.
    paper: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Theme(db.Model):
    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Merged into another theme: the row and its items stay (provenance), shown under the
    # surviving theme, and its ballots count for it (services/provenance.py); unmerge clears it.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"), index=True)
    # The template's starter theme it came from: its description helps place contributions.
    starter_key: Mapped[str | None] = mapped_column(String(40))


class Item(db.Model):
    __tablename__ = "items"
    # The client generates client_id; storing it under a unique constraint makes resends harmless.
    __table_args__ = (UniqueConstraint("workshop_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[str] = mapped_column(String(64))
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"))
    lane: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"), index=True)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    on_behalf: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    tag: Mapped[str | None] = mapped_column(String(40))
    assessment: Mapped[str | None] = mapped_column(String(20))  # "works_well" | "needs_development"
    # The theme an item came with when its theme was merged into the one it is in now (so that
    # unmerging gives that theme back exactly its items); cleared when the item is moved.
    origin_theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"))
    # A likely duplicate merged into another item: kept with its text, shown as part of it.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="SET NULL"), index=True)


class ItemRevision(db.Model):
    """An item as it was before the facilitator edited it. Deleted with the item (a withdrawal
    leaves nothing behind), unlike the audit trail, which never holds what people wrote."""

    __tablename__ = "item_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    lane: Mapped[str] = mapped_column(String(40))
    tag: Mapped[str | None] = mapped_column(String(40))
    assessment: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SavedTemplate(db.Model):
    """A workshop's set-up saved by its facilitator, offered when creating a workshop."""

    __tablename__ = "saved_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)  # "custom-…", never a built-in id
    name: Mapped[str] = mapped_column(String(80))
    language: Mapped[str] = mapped_column(String(8))
    config: Mapped[dict] = mapped_column(JSON)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class VotingRound(db.Model):
    """One round of prioritisation: a method and its rules over a set of entries (``target``)."""

    __tablename__ = "voting_rounds"
    __table_args__ = (UniqueConstraint("workshop_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(120))
    method: Mapped[str] = mapped_column(String(20))  # dots | matrix | ranking
    target: Mapped[str] = mapped_column(String(20), default="themes")  # what is voted on
    dots: Mapped[int] = mapped_column(Integer, default=5)
    max_per_entry: Mapped[int] = mapped_column(Integer, default=3)
    revealed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Vote(db.Model):
    """One participant's vote on one entry in one round: dots (``value``), impact and
    feasibility (``value``, ``value2``) or a ranking position (``value``, 0 the best)."""

    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("round_id", "participant_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("voting_rounds.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    # A theme's id (or, for another target, that entry's); removed with its entry by the service.
    entry_id: Mapped[int] = mapped_column(Integer)
    value: Mapped[int] = mapped_column(Integer)
    value2: Mapped[int | None] = mapped_column(Integer)


class Advice(db.Model):
    """One piece of advice per participant, editable until the phase closes."""

    __tablename__ = "advice"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"),
                                                unique=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Receipt(db.Model):
    """That a client's command (a ballot, a piece of advice) was applied, under its client id.

    The unique constraint is what makes a resend harmless: a second delivery of the same command,
    even one delayed behind a newer ballot, finds its receipt and changes nothing.
    """

    __tablename__ = "receipts"
    __table_args__ = (UniqueConstraint("workshop_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[str] = mapped_column(String(64))
    event: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Proposal(db.Model):
    """A participant's proposal for concrete support on one of the top themes (Concretise)."""

    __tablename__ = "proposals"
    __table_args__ = (UniqueConstraint("workshop_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"),
                                                       index=True)
    client_id: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    who_needs: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- Aggregation: undoable steps and rejected suggestions ------------------------------------


class AggregationStep(db.Model):
    """One grouping action (create, rename, delete, merge, unmerge, split, move), with the state
    of what it touched before and after, so that it can be undone after a reload or a restart,
    and refused when something it touched was changed since."""

    __tablename__ = "aggregation_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)  # what the console shows of it
    before: Mapped[dict] = mapped_column(JSON)  # the inverse: the state undo restores
    after: Mapped[dict] = mapped_column(JSON)   # the state undo expects to find
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RejectedSuggestion(db.Model):
    """A grouping suggestion the facilitator rejected: it is not proposed again."""

    __tablename__ = "rejected_suggestions"
    __table_args__ = (UniqueConstraint("workshop_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- Meaning: each contribution's vector, and support for a contribution ------------------------


class ItemVector(db.Model):
    """A contribution's meaning vector, computed once (embedding is the slow part of a refresh).
    Made again when the text changes (``text_hash``) or another engine is active (``engine``)."""

    __tablename__ = "item_vectors"

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    engine: Mapped[str] = mapped_column(String(40))
    text_hash: Mapped[str] = mapped_column(String(64))
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class ItemSupport(db.Model):
    """A participant backing an existing contribution instead of writing it again: one more
    mention of it, from their perspective; never a new item. Once per participant and item."""

    __tablename__ = "item_supports"
    __table_args__ = (UniqueConstraint("participant_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- The editorial layer: the facilitator's own words in the guide ------------------------------


class EditorialVersion(db.Model):
    """One save of the facilitator's editorial text: the workshop's conclusion and next steps
    (``scope`` "workshop"), or one theme's synthesis, chosen quotes and support decision (``scope``
    "theme-<id>"). Every save is a new row and the previous ones are kept; the highest version of a
    scope is the one in force. The unique (workshop, scope, version) makes two editors saving on
    the same version collide in the database, so the later one is refused, never silently lost."""

    __tablename__ = "editorial_versions"
    __table_args__ = (UniqueConstraint("workshop_id", "scope", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(24))
    # Set for a theme's scope, so that deleting the theme takes its editorial text with it.
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict] = mapped_column(JSON, default=dict)
    actor_role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# Scheduling and e-mail invitations: their tables are in a module of their own.
from .models_invitations import MailRecipient, Mailing, WorkshopSchedule  # noqa: E402,F401
# Accounts and the audit trail, and the validation round: their tables are in modules of their own.
from .models_accounts import Account, Stewardship, CoFacilitator, AuditEntry  # noqa: E402,F401
from .models_review import GuideReview, GuideComment, ReviewResponse, RenderedGuide  # noqa: E402,F401
