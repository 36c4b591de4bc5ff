"""Tallies of a voting round, per method, with the same result shape for all three.

Per entry: the score (dots; Borda points; for the matrix mean impact x mean feasibility), the
competition rank ("1, 2, 2, 4") with a tie flag, the number of voters, the spread of the
per-voter values (population standard deviation) and a consensus number from 0 (as divided as
the scale allows) to 1 (everyone agrees; for dots, every voter gave it a dot: see
``breadth_of``), the split by perspective and how many of the ballots behind it were on paper.

Ties keep the order entries come in (theme position), so they are stable. Scores are computed
exactly (integers, fractions), so the order ballots arrive in can never change a result.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from .model import Ballot, VotingRules

STRONG, MIXED, DIVIDED = "strong", "mixed", "divided"
# Fewer voters than this behind an entry say nothing about how much the room agrees on it: one
# voter always "agrees" with themself. Screens and every format of the guide say so instead.
MIN_VOTERS_FOR_CONSENSUS = 3


def tells_agreement(voters: int) -> bool:
    return voters >= MIN_VOTERS_FOR_CONSENSUS
# The 2x2 matrix: impact first, feasibility second; a mean of 3 or more counts as high.
QUADRANTS = {(True, True): "do_first", (True, False): "plan", (False, True): "easy_win", (False, False): "reconsider"}
MIDPOINT = 3


@dataclass(frozen=True)
class EntryResult:
    entry_id: int
    score: int | float
    rank: int
    tied: bool
    voters: int
    share: float
    by_perspective: dict[str, int | float] = field(default_factory=dict)
    spread: float | None = None
    consensus: float | None = None
    consensus_label: str | None = None
    paper: int = 0
    impact: float | None = None
    feasibility: float | None = None
    quadrant: str | None = None


@dataclass(frozen=True)
class Results:
    voters: int
    dots_cast: int  # dots: dots placed; ranking: Borda points given; matrix: ratings given
    entries: tuple[EntryResult, ...]
    method: str = "dots"
    paper_voters: int = 0


def rank_scores(scores: list[tuple[int, int | Fraction]]) -> list[tuple[int, int, bool]]:
    """Competition ranking ("1, 2, 2, 4") of (entry, score) pairs already in display order.

    Returns (entry, rank, tied). Entries with the same score share the better rank, and the
    order among them is the order they came in, so ties are stable.
    """
    ordered = sorted(enumerate(scores), key=lambda pair: (-pair[1][1], pair[0]))
    counts: dict = defaultdict(int)
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


def consensus_of(values: list, widest: float) -> tuple[float | None, float | None, str | None]:
    """(spread, consensus, label) of per-voter values on a scale whose widest possible spread
    (standard deviation) is ``widest``."""
    if not values:
        return None, None, None
    spread = _pstdev(values)
    consensus = 1.0 if widest <= 0 else max(0.0, 1.0 - float(spread) / widest)
    return round(float(spread), 4), round(consensus, 4), label_of(consensus)


def _pstdev(values: list) -> float:
    """The population standard deviation, exactly: from integer (or fraction) sums, in one pass.
    ``statistics.pstdev`` over Fractions gives the same figure but costs a hundred times more,
    and a revealed round is tallied for every screen that asks."""
    n = len(values)
    total = sum(values)
    squares = sum(v * v for v in values)
    variance = Fraction(n * squares - total * total, n * n) if all(isinstance(v, int) for v in values) \
        else (Fraction(squares) / n - (Fraction(total) / n) ** 2)
    return math.sqrt(variance) if variance > 0 else 0.0


def breadth_of(values: list, backers: int) -> tuple[float | None, float | None, str | None]:
    """(spread, consensus, label) of an entry of a dot round, whose consensus is the share of
    the voters (``values``: one per voter) who gave it a dot (``backers``).

    Dots are scarce (a few per voter over many entries), so a voter who gives an entry nothing
    is choosing others, not disagreeing; the spread of the dots counts exactly that as
    disagreement, and would call the room's favourite (many give it all they may, the rest
    none) the most divided entry of all. How much of the room backs an entry is what agreement
    means here: broad from half of the voters, some from a quarter."""
    if not values:
        return None, None, None
    share = backers / len(values)
    return (round(float(_pstdev(values)), 4), round(share, 4),
            STRONG if share >= 0.5 else MIXED if share >= 0.25 else DIVIDED)


def label_of(consensus: float) -> str:
    return STRONG if consensus >= 0.75 else MIXED if consensus >= 0.5 else DIVIDED


def borda(ranking: tuple[int, ...], entry_ids: list[int]) -> dict[int, int]:
    """Borda points of one ranking over ``entry_ids`` (m entries): position p (0-based) scores
    m-1-p; entries no longer open are dropped first, unranked entries score 0."""
    m = len(entry_ids)
    known = set(entry_ids)
    kept = [e for e in ranking if e in known]
    return {e: m - 1 - p for p, e in enumerate(kept)}


def _per_voter(method: str, ballot: Ballot, entry_ids: list[int]) -> dict[int, object]:
    """What one ballot gives each entry it counts for."""
    known = set(entry_ids)
    if method == "matrix":
        return {e: r for e, r in ballot.ratings.items() if e in known}
    if method == "ranking":
        return borda(ballot.ranking, entry_ids)
    return {e: d for e, d in ballot.allocation.items() if e in known and d > 0}


def tally(entry_ids: list[int], ballots, rules: VotingRules = VotingRules()) -> Results:
    """The round's results; ``entry_ids`` gives the tie-break order (e.g. theme position)."""
    method = rules.method
    given = [(b, _per_voter(method, b, entry_ids)) for b in ballots]
    given = [(b, v) for b, v in given if v]  # an empty ballot is a withdrawn vote
    if method == "matrix":
        return _matrix(entry_ids, given)
    widest = max(len(entry_ids) - 1, 0) / 2  # Borda positions; dots are judged by breadth
    score: dict[int, int] = defaultdict(int)
    voters: dict[int, int] = defaultdict(int)
    paper: dict[int, int] = defaultdict(int)
    by_perspective: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for ballot, values in given:
        for entry_id, value in values.items():
            score[entry_id] += value
            by_perspective[entry_id][ballot.perspective or ""] += value
            voters[entry_id] += 1
            paper[entry_id] += ballot.paper
    total = sum(score.values())
    entries = []
    for entry, rank, tied in rank_scores([(e, score[e]) for e in entry_ids]):
        per_voter = [values.get(entry, 0) for _, values in given]
        spread = breadth_of(per_voter, voters[entry]) if method == "dots" else consensus_of(per_voter, widest)
        entries.append(EntryResult(entry, score[entry], rank, tied, voters[entry],
                                   (score[entry] / total) if total else 0.0, dict(by_perspective[entry]),
                                   *spread, paper=paper[entry]))
    return Results(len(given), total, tuple(entries), method, sum(b.paper for b, _ in given))


def _mean(values) -> Fraction:
    return Fraction(sum(values), len(values))


def _matrix(entry_ids: list[int], given) -> Results:
    ratings: dict[int, list[tuple[int, int, Ballot]]] = defaultdict(list)
    for ballot, values in given:
        for entry_id, (impact, feasibility) in values.items():
            ratings[entry_id].append((impact, feasibility, ballot))
    exact: dict[int, Fraction] = {}
    for e in entry_ids:
        rows = ratings[e]
        exact[e] = _mean([i for i, _, _ in rows]) * _mean([f for _, f, _ in rows]) if rows else Fraction(0)
    cast = sum(len(r) for r in ratings.values())
    total = sum(exact.values())
    entries = []
    for entry, rank, tied in rank_scores([(e, exact[e]) for e in entry_ids]):
        rows = ratings[entry]
        impact = feasibility = quadrant = None
        spread = (None, None, None)
        by_perspective: dict[str, float] = {}
        if rows:
            mean_i, mean_f = _mean([i for i, _, _ in rows]), _mean([f for _, f, _ in rows])
            impact, feasibility = round(float(mean_i), 4), round(float(mean_f), 4)
            quadrant = QUADRANTS[(mean_i >= MIDPOINT, mean_f >= MIDPOINT)]
            # Ratings run from 1 to 5: the widest spread is 2; the entry's is the mean of both axes'.
            si = consensus_of([i for i, _, _ in rows], 2)
            sf = consensus_of([f for _, f, _ in rows], 2)
            agreement = round((si[1] + sf[1]) / 2, 4)
            spread = (round((si[0] + sf[0]) / 2, 4), agreement, label_of(agreement))
            groups: dict[str, list] = defaultdict(list)
            for i, f, ballot in rows:
                groups[ballot.perspective or ""].append((i, f))
            by_perspective = {k: round(float(_mean([i for i, _ in v]) * _mean([f for _, f in v])), 4)
                              for k, v in groups.items()}
        entries.append(EntryResult(entry, round(float(exact[entry]), 4), rank, tied, len(rows),
                                   float(exact[entry] / total) if total else 0.0, by_perspective, *spread,
                                   paper=sum(b.paper for _, _, b in rows), impact=impact,
                                   feasibility=feasibility, quadrant=quadrant))
    return Results(len(given), cast, tuple(entries), "matrix", sum(b.paper for b, _ in given))
