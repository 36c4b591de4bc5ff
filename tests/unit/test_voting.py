"""Dot voting: ballot validation, the tally and its competition ranking, with property tests."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.domain.errors import DomainError
from workshop.domain.model import Ballot, VotingRules
from workshop.domain.voting import rank_scores, tally_dots, validate_ballot

RULES = VotingRules(dots=5, max_per_entry=3)
ENTRIES = {1, 2, 3, 4}


def refused(code: str, allocation: dict, entries=ENTRIES, rules=RULES) -> DomainError:
    with pytest.raises(DomainError) as info:
        validate_ballot(allocation, entries, rules)
    assert info.value.code == code
    return info.value


# --- validate_ballot ---------------------------------------------------------------------------

def test_a_ballot_using_the_whole_budget_is_accepted_unchanged():
    assert validate_ballot({1: 3, 2: 2}, ENTRIES, RULES) == {1: 3, 2: 2}


def test_an_empty_ballot_is_valid_and_withdraws_all_dots():
    assert validate_ballot({}, ENTRIES, RULES) == {}


def test_zero_entries_are_dropped_from_the_ballot():
    assert validate_ballot({1: 0, 2: 2, 3: 0}, ENTRIES, RULES) == {2: 2}


def test_a_ballot_over_the_budget_is_refused_with_budget_and_total():
    error = refused("ballot_budget", {1: 3, 2: 3})
    assert error.params == {"dots": 5, "total": 6}


def test_more_than_the_per_entry_maximum_on_one_theme_is_refused():
    error = refused("ballot_entry_limit", {1: 4})
    assert error.params == {"max": 3}


def test_exactly_the_per_entry_maximum_is_accepted():
    assert validate_ballot({4: 3}, ENTRIES, RULES) == {4: 3}


def test_a_theme_that_does_not_exist_is_refused_even_with_zero_dots():
    refused("ballot_unknown_entry", {99: 1})
    refused("ballot_unknown_entry", {1: 1, 99: 0})


def test_negative_dots_are_refused():
    refused("ballot_negative", {1: 2, 2: -1})


def test_rules_of_the_workshop_decide_the_budget():
    rules = VotingRules(dots=10, max_per_entry=10)
    assert validate_ballot({1: 10}, ENTRIES, rules) == {1: 10}
    refused("ballot_budget", {1: 6, 2: 5}, rules=rules)


# --- rank_scores and tally_dots ----------------------------------------------------------------

def test_competition_ranking_gives_1_2_2_4_with_tie_flags():
    ranked = rank_scores([(10, 7), (11, 5), (12, 5), (13, 1)])
    assert ranked == [(10, 1, False), (11, 2, True), (12, 2, True), (13, 4, False)]


def test_ranking_sorts_by_score_and_keeps_input_order_among_equals():
    ranked = rank_scores([(1, 2), (2, 9), (3, 2), (4, 9), (5, 0)])
    assert [(e, r) for e, r, _ in ranked] == [(2, 1), (4, 1), (1, 3), (3, 3), (5, 5)]


def test_all_zero_scores_share_first_place():
    assert rank_scores([(1, 0), (2, 0)]) == [(1, 1, True), (2, 1, True)]


def test_tally_totals_scores_voters_shares_and_ranks():
    ballots = [Ballot(1, "buyer", {1: 3, 2: 2}), Ballot(2, "supplier", {2: 3, 3: 2}),
               Ballot(3, "buyer", {1: 2})]
    results = tally_dots([1, 2, 3, 4], ballots)
    assert results.dots_cast == 12 and results.voters == 3
    by_id = {e.entry_id: e for e in results.entries}
    assert [(e.entry_id, e.score, e.rank, e.tied) for e in results.entries] == [
        (1, 5, 1, True), (2, 5, 1, True), (3, 2, 3, False), (4, 0, 4, False)]
    assert (by_id[1].voters, by_id[2].voters, by_id[3].voters, by_id[4].voters) == (2, 2, 1, 0)
    assert by_id[1].share == pytest.approx(5 / 12)
    assert by_id[4].share == 0.0


def test_tally_splits_dots_by_perspective_with_unknown_as_empty_key():
    ballots = [Ballot(1, "buyer", {1: 3}), Ballot(2, "supplier", {1: 1, 2: 2}),
               Ballot(3, None, {1: 1}), Ballot(4, "buyer", {1: 1})]
    results = tally_dots([1, 2], ballots)
    by_id = {e.entry_id: e for e in results.entries}
    assert by_id[1].by_perspective == {"buyer": 4, "supplier": 1, "": 1}
    assert by_id[2].by_perspective == {"supplier": 2}


def test_voters_count_only_participants_with_dots_on_existing_themes():
    ballots = [Ballot(1, "buyer", {}), Ballot(2, "buyer", {1: 0}), Ballot(3, "buyer", {99: 3}),
               Ballot(4, "buyer", {1: 1})]
    results = tally_dots([1, 2], ballots)
    assert results.voters == 1
    assert results.dots_cast == 1  # dots on a deleted theme (99) are not counted


def test_tally_without_ballots_has_no_dots_and_no_shares():
    results = tally_dots([5, 6], [])
    assert (results.voters, results.dots_cast) == (0, 0)
    assert [(e.entry_id, e.rank, e.share) for e in results.entries] == [(5, 1, 0.0), (6, 1, 0.0)]


def test_tied_themes_keep_the_given_display_order_not_their_ids():
    ballots = [Ballot(1, "buyer", {7: 2, 3: 2})]
    assert [e.entry_id for e in tally_dots([7, 3], ballots).entries] == [7, 3]
    assert [e.entry_id for e in tally_dots([3, 7], ballots).entries] == [3, 7]


# --- properties --------------------------------------------------------------------------------

ENTRY_IDS = st.lists(st.integers(1, 40), min_size=1, max_size=8, unique=True)


@st.composite
def tally_input(draw):
    entry_ids = draw(ENTRY_IDS)
    perspectives = st.sampled_from([None, "buyer", "supplier", "legal"])
    allocation = st.dictionaries(st.sampled_from(entry_ids + [999]), st.integers(0, 3), max_size=6)
    ballots = draw(st.lists(st.builds(Ballot, st.integers(1, 10_000), perspectives, allocation), max_size=12))
    return entry_ids, ballots


def _counted(entry_ids, ballots) -> int:
    return sum(d for b in ballots for e, d in b.allocation.items() if e in entry_ids and d > 0)


@settings(max_examples=200, deadline=None)
@given(tally_input())
def test_property_scores_add_up_to_the_dots_cast(data):
    entry_ids, ballots = data
    results = tally_dots(entry_ids, ballots)
    assert sum(e.score for e in results.entries) == results.dots_cast == _counted(entry_ids, ballots)
    for entry in results.entries:
        assert sum(entry.by_perspective.values()) == entry.score
    assert sorted(e.entry_id for e in results.entries) == sorted(entry_ids)
    if results.dots_cast:
        assert sum(e.share for e in results.entries) == pytest.approx(1.0)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.integers(0, 8), st.integers(-1, 6), max_size=8),
       st.integers(1, 10), st.integers(1, 5))
def test_property_every_accepted_ballot_stays_within_the_rules(allocation, dots, max_per_entry):
    rules = VotingRules(dots=dots, max_per_entry=max_per_entry)
    entries = {1, 2, 3, 4, 5, 6}
    try:
        ballot = validate_ballot(allocation, entries, rules)
    except DomainError as error:
        assert error.code in {"ballot_budget", "ballot_entry_limit", "ballot_unknown_entry", "ballot_negative"}
        return
    assert sum(ballot.values()) <= dots
    assert all(0 < d <= max_per_entry for d in ballot.values())
    assert set(ballot) <= entries
    assert ballot == {e: d for e, d in allocation.items() if d}


@settings(max_examples=200, deadline=None)
@given(tally_input(), st.randoms(use_true_random=False))
def test_property_the_order_of_ballots_does_not_matter(data, rnd):
    entry_ids, ballots = data
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    assert tally_dots(entry_ids, shuffled) == tally_dots(entry_ids, ballots)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=1, max_size=10))
def test_property_ties_are_stable_and_ranks_count_better_scores(scores):
    pairs = [(100 + n, s) for n, s in enumerate(scores)]
    ranked = rank_scores(pairs)
    position = {entry: n for n, (entry, _) in enumerate(pairs)}
    score = dict(pairs)
    for (a, _, _), (b, _, _) in zip(ranked, ranked[1:]):
        assert score[a] > score[b] or (score[a] == score[b] and position[a] < position[b])
    for entry, rank, tied in ranked:
        assert rank == 1 + sum(1 for s in scores if s > score[entry])
        assert tied == (scores.count(score[entry]) > 1)
