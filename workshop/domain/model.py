"""Immutable snapshots of a workshop's state, as the domain core sees it.

Services load rows from the database and hand the core these plain values; the core decides and
computes (tallies, the guide) without knowing where they came from.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Lane:
    key: str
    name: str


@dataclass(frozen=True)
class Perspective:
    key: str
    name: str


@dataclass(frozen=True)
class Participant:
    id: int
    perspective: str | None
    name: str | None = None


@dataclass(frozen=True)
class Item:
    id: int
    lane: str
    text: str
    theme_id: int | None = None
    participant_id: int | None = None
    perspective: str | None = None
    created_at: datetime | None = None
    hidden: bool = False
    on_behalf: bool = False
    tag: str | None = None
    assessment: str | None = None  # "works_well" | "needs_development"
    merged_into: int | None = None  # the item the facilitator merged this one into (see statements)
    client_id: str | None = None  # the id the sending client chose, so a client finds its items again


@dataclass(frozen=True)
class Theme:
    id: int
    name: str
    position: int = 0


@dataclass(frozen=True)
class Ballot:
    """One participant's ballot in one round, in the shape of the round's method: dots
    (``allocation``: entry id -> dots), matrix (``ratings``: entry id -> (impact, feasibility))
    or ranking (``ranking``: entry ids, best first). ``paper``: entered by the facilitator from a
    paper ballot."""

    participant_id: int
    perspective: str | None
    allocation: dict[int, int] = field(default_factory=dict)
    ratings: dict[int, tuple[int, int]] = field(default_factory=dict)
    ranking: tuple[int, ...] = ()
    paper: bool = False


@dataclass(frozen=True)
class SupportProposal:
    """A participant's proposal for concrete support on a theme (the Concretise phase)."""

    id: int
    theme_id: int
    type: str  # checklist | template | guide | training | network | examples | other
    description: str
    who_needs: str = ""
    perspective: str | None = None  # the proposer's, so the guide can say where a proposal came from


@dataclass(frozen=True)
class Advice:
    id: int
    participant_id: int | None
    text: str
    perspective: str | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class ReviewComment:
    """A participant's comment on the draft guide (theme None: on the whole guide) and what the
    facilitator did with it (accepted, changed, noted; None until they say)."""

    id: int
    participant_id: int
    theme_id: int | None
    text: str
    handling: str | None = None


@dataclass(frozen=True)
class VotingRules:
    method: str = "dots"
    dots: int = 5
    max_per_entry: int = 3


@dataclass(frozen=True)
class VotingRound:
    """One round of prioritisation: its method and rules, what it votes on, and its ballots."""

    id: int
    position: int
    title: str
    rules: VotingRules = VotingRules()
    target: str = "themes"
    revealed: bool = False
    ballots: tuple[Ballot, ...] = ()


@dataclass(frozen=True)
class WorkshopState:
    """Everything the guide and the tallies need to know about one workshop."""

    code: str
    question: str
    language: str
    template: str
    phase: str
    created_at: datetime
    lanes: tuple[Lane, ...] = ()
    perspectives: tuple[Perspective, ...] = ()
    participants: tuple[Participant, ...] = ()
    items: tuple[Item, ...] = ()
    themes: tuple[Theme, ...] = ()
    ballots: tuple[Ballot, ...] = ()
    advice: tuple[Advice, ...] = ()
    voting: VotingRules = VotingRules()
    results_revealed: bool = False
    rounds: tuple[VotingRound, ...] = ()
    proposals: tuple[SupportProposal, ...] = ()
    current_round_id: int | None = None
    closed_at: datetime | None = None
    organiser: str | None = None
    tags: tuple[Lane, ...] = ()  # key and name, like lanes
    # (item id, backer's perspective): participants who added their support to an item
    item_support: tuple[tuple[int, str | None], ...] = ()
    # The validation round: (participant id, theme id, "agree" | "disagree"), and the comments
    review_responses: tuple[tuple[int, int, str], ...] = ()
    review_comments: tuple[ReviewComment, ...] = ()
    # The editorial layer (domain/editorial.py): each scope's current content, (scope, content)
    editorial: tuple[tuple[str, dict], ...] = ()
