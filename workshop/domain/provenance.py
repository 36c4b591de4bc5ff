"""Provenance of merged themes and items: which one survives, and where ballots then count.

Pure functions over plain ids, so the tally of any voting method can use them: a theme (or an
item) merged into another stays on record, and whatever was cast on it counts for the one it
now belongs to.
"""
from __future__ import annotations

from dataclasses import replace

from collections import defaultdict
from typing import Iterable, Mapping

from .model import Ballot


def survivors(merged_into: Mapping[int, int | None]) -> dict[int, int]:
    """Every id mapped to the id it finally belongs to (itself when it was not merged), following
    chains (B into A, A into C: B belongs to C). An id pointing at an unknown id, or a cycle, is
    treated as surviving itself, so bad data can never lose a ballot."""
    result: dict[int, int] = {}
    for start in merged_into:
        seen = [start]
        current = start
        while True:
            parent = merged_into.get(current)
            if parent is None or parent not in merged_into or parent in seen:
                break
            current = parent
            seen.append(current)
        result[start] = current
    return result


def descendants(merged_into: Mapping[int, int | None], root: int) -> set[int]:
    """``root`` and every id merged into it, directly or through others."""
    children: dict[int, list[int]] = defaultdict(list)
    for child, parent in merged_into.items():
        if parent is not None:
            children[parent].append(child)
    found, stack = {root}, [root]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def follow_ballots(ballots: Iterable[Ballot], survivor_of: Mapping[int, int]) -> list[Ballot]:
    """Ballots with every vote moved to the entry its entry survives as. Dots on both are summed;
    a rating of the surviving entry itself is kept over one of an entry merged into it (ratings are
    a judgement of one entry, not amounts to add up); in a ranking an entry keeps its best place."""
    followed = []
    for ballot in ballots:
        allocation: dict[int, int] = defaultdict(int)
        for entry_id, dots in ballot.allocation.items():
            allocation[survivor_of.get(entry_id, entry_id)] += dots
        ratings: dict[int, tuple[int, int]] = {}
        for entry_id, rating in sorted(ballot.ratings.items(), key=lambda pair: survivor_of.get(pair[0], pair[0]) != pair[0]):
            ratings.setdefault(survivor_of.get(entry_id, entry_id), rating)
        ranking = tuple(dict.fromkeys(survivor_of.get(entry_id, entry_id) for entry_id in ballot.ranking))
        followed.append(replace(ballot, allocation=dict(allocation), ratings=ratings, ranking=ranking))
    return followed
