"""Ballots of the three voting methods: their validation and how they are stored and shown.

A ballot is always a participant's whole ballot in one round, never an increment: setting it
twice is the same as setting it once, and every rule is checked against the complete ballot.

- ``dots``: entry id -> dots, at most ``max_per_entry`` on one entry and ``dots`` in all;
- ``matrix``: entry id -> (impact, feasibility), each from 1 to 5; entries may be left unrated;
- ``ranking``: distinct entry ids, best first; a partial ranking leaves the rest unranked.
"""
from __future__ import annotations

from .errors import N_, DomainError
from .model import Ballot, VotingRules
from .voting import validate_ballot as validate_dots

DOTS, MATRIX, RANKING = "dots", "matrix", "ranking"
METHODS = (DOTS, MATRIX, RANKING)
# The payload field that carries each method's ballot.
SHAPES = {DOTS: "allocation", MATRIX: "ratings", RANKING: "ranking"}
RATING_MIN, RATING_MAX = 1, 5

UNKNOWN_ENTRY = N_("One of the entries on your ballot no longer exists. Please reload.")


def check_method(method: str) -> None:
    if method not in METHODS:
        raise DomainError("method_unknown", N_("This is not a voting method of this workshop."))


def validate_ratings(ratings: dict[int, tuple[int, int]], entry_ids: set[int]) -> dict[int, tuple[int, int]]:
    cleaned = {}
    for entry_id, (impact, feasibility) in ratings.items():
        if entry_id not in entry_ids:
            raise DomainError("ballot_unknown_entry", UNKNOWN_ENTRY)
        for value in (impact, feasibility):
            if not RATING_MIN <= value <= RATING_MAX:
                raise DomainError("ballot_rating_range", N_("Rate impact and feasibility from %(min)s to %(max)s."),
                                  min=RATING_MIN, max=RATING_MAX)
        cleaned[entry_id] = (impact, feasibility)
    return cleaned


def validate_ranking(ranking: list[int] | tuple[int, ...], entry_ids: set[int]) -> tuple[int, ...]:
    if len(set(ranking)) != len(ranking):
        raise DomainError("ballot_ranking_repeat", N_("Rank each entry at most once."))
    for entry_id in ranking:
        if entry_id not in entry_ids:
            raise DomainError("ballot_unknown_entry", UNKNOWN_ENTRY)
    return tuple(ranking)


def validate(rules: VotingRules, data: dict, entry_ids: set[int]):
    """The cleaned ballot from a command's ``data``, which must carry the field of the round's
    method (``allocation``, ``ratings`` or ``ranking``); raises DomainError otherwise."""
    check_method(rules.method)
    field = SHAPES[rules.method]
    given = [f for f in SHAPES.values() if data.get(f) is not None]
    if given != [field]:
        raise DomainError("ballot_wrong_method",
                          N_("This round votes in another way. Please reload to see the current round."))
    if rules.method == DOTS:
        return validate_dots(data[field], entry_ids, rules)
    if rules.method == MATRIX:
        return validate_ratings(data[field], entry_ids)
    return validate_ranking(data[field], entry_ids)


def to_rows(method: str, ballot) -> list[tuple[int, int, int | None]]:
    """A cleaned ballot as stored: (entry id, value, value2) per entry. Dots: value = dots;
    matrix: value = impact, value2 = feasibility; ranking: value = position, 0 the best."""
    if method == DOTS:
        return [(e, d, None) for e, d in ballot.items()]
    if method == MATRIX:
        return [(e, i, f) for e, (i, f) in ballot.items()]
    return [(e, p, None) for p, e in enumerate(ballot)]


def from_rows(method: str, participant_id: int, perspective: str | None, rows, paper: bool = False) -> Ballot:
    """The domain ballot from its stored (entry id, value, value2) rows."""
    rows = list(rows)
    if method == MATRIX:
        return Ballot(participant_id, perspective, ratings={e: (v, v2) for e, v, v2 in rows}, paper=paper)
    if method == RANKING:
        return Ballot(participant_id, perspective, ranking=tuple(e for e, _, _ in sorted(rows, key=lambda r: r[1])),
                      paper=paper)
    return Ballot(participant_id, perspective, allocation={e: v for e, v, _ in rows}, paper=paper)


def view(method: str, rows) -> dict | list:
    """A participant's own ballot as their phone shows it, in the shape they send it."""
    rows = list(rows)
    if method == MATRIX:
        return {str(e): {"impact": v, "feasibility": v2} for e, v, v2 in rows}
    if method == RANKING:
        return [e for e, _, _ in sorted(rows, key=lambda r: r[1])]
    return {str(e): v for e, v, _ in rows}


def is_cast(ballot: Ballot) -> bool:
    """Whether a ballot says anything (an empty one is a withdrawn vote)."""
    return bool({e: d for e, d in ballot.allocation.items() if d > 0} or ballot.ratings or ballot.ranking)
