"""The pure provenance mapping every tally uses: where a merged theme's (or item's) ballots count."""
from __future__ import annotations

from workshop.domain.model import Ballot
from workshop.domain.provenance import descendants, follow_ballots, survivors


def test_every_id_maps_to_where_it_finally_belongs_following_chains():
    assert survivors({1: None, 2: 1, 3: 2, 4: None}) == {1: 1, 2: 1, 3: 1, 4: 4}


def test_bad_data_never_loses_an_entry_a_cycle_or_an_unknown_parent_survives_itself():
    assert survivors({1: 2, 2: 1})[1] in (1, 2)
    assert survivors({5: 99}) == {5: 5}


def test_descendants_are_everything_merged_into_one_directly_or_through_others():
    assert descendants({1: None, 2: 1, 3: 2, 4: None, 5: 4}, 2) == {2, 3}
    assert descendants({1: None, 2: 1, 3: 2}, 1) == {1, 2, 3}


def test_ballots_follow_the_surviving_entry_and_a_voters_dots_on_both_are_added_up():
    ballots = [Ballot(1, "buyer", {10: 2, 11: 1}), Ballot(2, None, {11: 3, 12: 1})]
    followed = follow_ballots(ballots, survivors({10: None, 11: 10, 12: None}))
    assert [b.allocation for b in followed] == [{10: 3}, {10: 3, 12: 1}]
    assert [b.allocation for b in ballots] == [{10: 2, 11: 1}, {11: 3, 12: 1}]  # the cast ballots untouched
