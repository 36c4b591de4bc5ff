"""Dot voting: validating a ballot and tallying results.

A ballot is always the participant's whole allocation, never an increment. Setting it twice is
the same as setting it once, so a retried or duplicated message can never count twice, and the
budget is checked against the complete ballot rather than against a running total that two tabs
could race on.
"""
from __future__ import annotations

from .errors import N_, DomainError
from .model import Ballot, VotingRules
from .tally import EntryResult, Results, rank_scores, tally  # noqa: F401 - the tally lives there


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


def tally_dots(entry_ids: list[int], ballots: list[Ballot] | tuple[Ballot, ...],
               rules: VotingRules = VotingRules()) -> Results:
    """Total the dots per entry; ``entry_ids`` gives the tie-break order (e.g. theme position)."""
    return tally(entry_ids, ballots, VotingRules("dots", rules.dots, rules.max_per_entry))
