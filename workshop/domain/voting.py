"""Dot voting: validating a ballot and tallying results.

A ballot is always the participant's whole allocation, never an increment. Setting it twice is
the same as setting it once, so a retried or duplicated message can never count twice, and the
budget is checked against the complete ballot rather than against a running total that two tabs
could race on.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .errors import N_, DomainError
from .model import Ballot, VotingRules


def validate_ballot(allocation: dict[int, int], entry_ids: set[int], rules: VotingRules) -> dict[int, int]:
    """Return the ballot without zero entries, or raise DomainError explaining what is wrong."""
    cleaned: dict[int, int] = {}
    for entry_id, dots in allocation.items():
        if entry_id not in entry_ids:
            raise DomainError("ballot_unknown_entry",
                              N_("One of the themes you voted for no longer exists. Please reload."))
        if dots < 0:
            raise DomainError("ballot_negative", N_("A theme cannot receive a negative number of dots."))
        if dots > rules.max_per_entry:
            raise DomainError("ballot_entry_limit",
                              N_("You can place at most %(max)s dots on one theme."),
                              max=rules.max_per_entry)
        if dots:
            cleaned[entry_id] = dots
    total = sum(cleaned.values())
    if total > rules.dots:
        raise DomainError("ballot_budget", N_("You have %(dots)s dots in all and tried to place %(total)s."),
                          dots=rules.dots, total=total)
    return cleaned


@dataclass(frozen=True)
class EntryResult:
    entry_id: int
    score: int
    rank: int
    tied: bool
    voters: int
    share: float
    by_perspective: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Results:
    voters: int
    dots_cast: int
    entries: tuple[EntryResult, ...]


def rank_scores(scores: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """Competition ranking ("1, 2, 2, 4") of (entry, score) pairs already in display order.

    Returns (entry, rank, tied). Entries with the same score share the better rank, and the
    order among them is the order they came in, so ties are stable.
    """
    ordered = sorted(enumerate(scores), key=lambda pair: (-pair[1][1], pair[0]))
    counts: dict[int, int] = defaultdict(int)
    for _, (_, score) in ordered:
        counts[score] += 1
    ranked = []
    rank = 0
    previous = None
    for position, (_, (entry, score)) in enumerate(ordered, start=1):
        if score != previous:
            rank = position
            previous = score
        ranked.append((entry, rank, counts[score] > 1))
    return ranked


def tally_dots(entry_ids: list[int], ballots: list[Ballot] | tuple[Ballot, ...]) -> Results:
    """Total the dots per entry; ``entry_ids`` gives the tie-break order (e.g. theme position)."""
    known = set(entry_ids)
    score: dict[int, int] = defaultdict(int)
    voters: dict[int, int] = defaultdict(int)
    by_perspective: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    participants_voting = 0
    for ballot in ballots:
        counted = {e: d for e, d in ballot.allocation.items() if e in known and d > 0}
        if counted:
            participants_voting += 1
        for entry_id, dots in counted.items():
            score[entry_id] += dots
            voters[entry_id] += 1
            by_perspective[entry_id][ballot.perspective or ""] += dots
    total = sum(score.values())
    ranked = rank_scores([(e, score[e]) for e in entry_ids])
    entries = tuple(
        EntryResult(
            entry_id=entry,
            score=score[entry],
            rank=rank,
            tied=tied,
            voters=voters[entry],
            share=(score[entry] / total) if total else 0.0,
            by_perspective=dict(by_perspective[entry]),
        )
        for entry, rank, tied in ranked
    )
    return Results(voters=participants_voting, dots_cast=total, entries=entries)
