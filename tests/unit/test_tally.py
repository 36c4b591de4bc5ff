"""The three voting methods: ballot validation and tallies, with property tests (hypothesis)."""
from __future__ import annotations

import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.domain import ballots as bal
from workshop.domain.errors import DomainError
from workshop.domain.model import Ballot, VotingRules
from workshop.domain.tally import borda, tally

DOTS = VotingRules("dots", 5, 3)
MATRIX = VotingRules("matrix", 5, 3)
RANKING = VotingRules("ranking", 5, 3)
ENTRIES = {1, 2, 3, 4}


def refused(code, rules, data, entries=ENTRIES):
    with pytest.raises(DomainError) as info:
        bal.validate(rules, data, entries)
    assert info.value.code == code
    return info.value


# --- validation -------------------------------------------------------------------------------

def test_each_method_accepts_its_own_shape_only():
    assert bal.validate(DOTS, {"allocation": {1: 3, 2: 0}}, ENTRIES) == {1: 3}
    assert bal.validate(MATRIX, {"ratings": {1: (5, 2)}}, ENTRIES) == {1: (5, 2)}
    assert bal.validate(RANKING, {"ranking": [3, 1]}, ENTRIES) == (3, 1)
    refused("ballot_wrong_method", DOTS, {"ranking": [1]})
    refused("ballot_wrong_method", MATRIX, {"allocation": {1: 1}})
    refused("ballot_wrong_method", RANKING, {"ranking": [1], "allocation": {}})
    refused("method_unknown", VotingRules("approval"), {"allocation": {}})


def test_matrix_ratings_run_from_one_to_five_and_may_leave_entries_unrated():
    assert bal.validate(MATRIX, {"ratings": {}}, ENTRIES) == {}
    assert refused("ballot_rating_range", MATRIX, {"ratings": {1: (0, 3)}}).params == {"min": 1, "max": 5}
    refused("ballot_rating_range", MATRIX, {"ratings": {1: (3, 6)}})
    refused("ballot_unknown_entry", MATRIX, {"ratings": {99: (3, 3)}})


def test_a_ranking_names_each_known_entry_at_most_once():
    refused("ballot_ranking_repeat", RANKING, {"ranking": [1, 2, 1]})
    refused("ballot_unknown_entry", RANKING, {"ranking": [1, 99]})
    assert bal.validate(RANKING, {"ranking": []}, ENTRIES) == ()


def test_rows_round_trip_for_every_method():
    for rules, cleaned, field in ((DOTS, {1: 2, 4: 1}, "allocation"), (MATRIX, {2: (4, 1)}, "ratings"),
                                  (RANKING, (4, 2, 1), "ranking")):
        back = bal.from_rows(rules.method, 7, "buyer", bal.to_rows(rules.method, cleaned))
        assert getattr(back, field) == cleaned


# --- tallies ------------------------------------------------------------------------------------

def test_borda_scores_m_minus_one_minus_position_and_zero_unranked():
    assert borda((3, 1), [1, 2, 3, 4]) == {3: 3, 1: 2}
    results = tally([1, 2, 3], [Ballot(1, "buyer", ranking=(1, 2, 3)), Ballot(2, "legal", ranking=(2,)),
                                Ballot(3, "buyer", ranking=(3, 1), paper=True)], RANKING)
    score = {e.entry_id: e.score for e in results.entries}
    assert score == {1: 2 + 1, 2: 1 + 2, 3: 0 + 2}
    first = results.entries[0]
    assert (first.entry_id, first.rank, first.tied) == (1, 1, True)
    assert (results.entries[1].entry_id, results.entries[1].rank) == (2, 1)
    assert results.entries[2].rank == 3 and not results.entries[2].tied
    assert results.voters == 3 and results.paper_voters == 1
    assert {e.entry_id: e.paper for e in results.entries} == {1: 1, 2: 0, 3: 1}
    assert results.entries[0].by_perspective == {"buyer": 3}


def test_matrix_means_combined_score_quadrant_and_spread():
    results = tally([1, 2], [Ballot(1, "buyer", ratings={1: (5, 4), 2: (1, 5)}),
                             Ballot(2, "legal", ratings={1: (3, 4)})], MATRIX)
    one, two = results.entries
    assert (one.entry_id, one.impact, one.feasibility, one.score, one.quadrant) == (1, 4.0, 4.0, 16.0, "do_first")
    assert (two.entry_id, two.quadrant, two.voters) == (2, "easy_win", 1)
    assert one.spread == pytest.approx((1.0 + 0.0) / 2)
    assert two.consensus == 1.0 and two.consensus_label == "strong"
    assert one.by_perspective == {"buyer": 20.0, "legal": 12.0}
    assert results.dots_cast == 3 and results.voters == 2


def test_dots_spread_counts_every_voter_and_consensus_is_how_much_of_the_room_backs_an_entry():
    results = tally([1, 2], [Ballot(1, "a", {1: 3}), Ballot(2, "b", {2: 3}), Ballot(3, "c", {1: 3})], DOTS)
    first, second = results.entries
    assert first.spread == pytest.approx(statistics.pstdev([3, 0, 3]), abs=1e-3)
    # Two of the three voters put their dots on the first: broad agreement, although its dots
    # spread as widely as dots can (all or nothing).
    assert (first.consensus, first.consensus_label) == (pytest.approx(2 / 3, abs=1e-3), "strong")
    assert (second.consensus, second.consensus_label) == (pytest.approx(1 / 3, abs=1e-3), "mixed")


def test_the_rooms_favourite_in_a_dot_round_is_never_called_divided():
    """Six of ten voters give the favourite all the dots they may, four give it none: the spread
    is as wide as it can be, yet most of the room agrees on it."""
    ballots = [Ballot(n, "a", {1: 3, 2: 2}) for n in range(6)] + [Ballot(n, "b", {2: 2, 3: 3}) for n in range(6, 10)]
    by_id = {e.entry_id: e for e in tally([1, 2, 3], ballots, DOTS).entries}
    assert by_id[1].rank == 2 and by_id[1].consensus_label == "strong"
    assert by_id[2].rank == 1 and by_id[2].consensus == 1.0 and by_id[2].consensus_label == "strong"
    assert by_id[3].consensus == pytest.approx(0.4) and by_id[3].consensus_label == "mixed"
    few = tally([1, 2], [Ballot(n, "a", {1: 1} if n == 0 else {2: 1}) for n in range(5)], DOTS).entries
    assert [(e.entry_id, e.consensus_label) for e in few] == [(2, "strong"), (1, "divided")]


def test_nothing_cast_means_no_spread_and_no_voters():
    for rules in (DOTS, MATRIX, RANKING):
        results = tally([1, 2], [Ballot(1, "a")], rules)
        assert results.voters == 0 and all(e.voters == 0 and e.spread is None for e in results.entries)
        assert [e.rank for e in results.entries] == [1, 1] and all(e.tied for e in results.entries)


# --- properties ---------------------------------------------------------------------------------

ENTRY_IDS = st.lists(st.integers(1, 40), min_size=1, max_size=7, unique=True)
PERSPECTIVES = st.sampled_from([None, "buyer", "supplier", "legal"])


@st.composite
def ranking_input(draw):
    entry_ids = draw(ENTRY_IDS)
    ranking = st.lists(st.sampled_from(entry_ids + [999]), unique=True, max_size=len(entry_ids) + 1).map(tuple)
    ballots = draw(st.lists(st.builds(lambda p, per, r, paper: Ballot(p, per, ranking=r, paper=paper),
                                      st.integers(1, 10_000), PERSPECTIVES, ranking, st.booleans()), max_size=10))
    return entry_ids, ballots


@st.composite
def matrix_input(draw):
    entry_ids = draw(ENTRY_IDS)
    rating = st.tuples(st.integers(1, 5), st.integers(1, 5))
    ratings = st.dictionaries(st.sampled_from(entry_ids + [999]), rating, max_size=len(entry_ids))
    ballots = draw(st.lists(st.builds(lambda p, per, r, paper: Ballot(p, per, ratings=r, paper=paper),
                                      st.integers(1, 10_000), PERSPECTIVES, ratings, st.booleans()), max_size=10))
    return entry_ids, ballots


@settings(max_examples=150, deadline=None)
@given(ranking_input())
def test_property_borda_totals_are_the_sum_over_ballots(data):
    entry_ids, ballots = data
    m = len(entry_ids)
    results = tally(entry_ids, ballots, RANKING)
    expected = 0
    for b in ballots:
        kept = [e for e in b.ranking if e in entry_ids]
        expected += sum(m - 1 - p for p in range(len(kept)))
    assert sum(e.score for e in results.entries) == results.dots_cast == expected
    for entry in results.entries:
        assert sum(entry.by_perspective.values()) == entry.score
        assert entry.voters == sum(1 for b in ballots if entry.entry_id in b.ranking)
        assert entry.paper == sum(1 for b in ballots if b.paper and entry.entry_id in b.ranking)
    assert results.voters == sum(1 for b in ballots if any(e in entry_ids for e in b.ranking))


@settings(max_examples=150, deadline=None)
@given(matrix_input())
def test_property_matrix_counts_every_rating_once(data):
    entry_ids, ballots = data
    results = tally(entry_ids, ballots, MATRIX)
    ratings = [(e, r) for b in ballots for e, r in b.ratings.items() if e in entry_ids]
    assert results.dots_cast == len(ratings) == sum(e.voters for e in results.entries)
    for entry in results.entries:
        mine = [r for e, r in ratings if e == entry.entry_id]
        if mine:
            assert 1 <= entry.impact <= 5 and 1 <= entry.feasibility <= 5
            assert entry.score == pytest.approx(statistics.mean(i for i, _ in mine) * statistics.mean(f for _, f in mine), abs=1e-3)
            assert 0 <= entry.consensus <= 1
        else:
            assert entry.score == 0 and entry.quadrant is None


@settings(max_examples=150, deadline=None)
@given(st.one_of(ranking_input().map(lambda d: (RANKING, d)), matrix_input().map(lambda d: (MATRIX, d))),
       st.randoms(use_true_random=False))
def test_property_the_order_of_ballots_does_not_matter_for_any_method(data, rnd):
    rules, (entry_ids, ballots) = data
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    assert tally(entry_ids, shuffled, rules) == tally(entry_ids, ballots, rules)


@settings(max_examples=150, deadline=None)
@given(st.one_of(ranking_input().map(lambda d: (RANKING, d)), matrix_input().map(lambda d: (MATRIX, d))))
def test_property_ranks_count_better_scores_and_ties_keep_entry_order(data):
    rules, (entry_ids, ballots) = data
    entries = tally(entry_ids, ballots, rules).entries
    position = {e: n for n, e in enumerate(entry_ids)}
    for a, b in zip(entries, entries[1:]):
        assert a.score > b.score or (a.score == b.score and position[a.entry_id] < position[b.entry_id])
    for entry in entries:
        assert entry.rank == 1 + sum(1 for other in entries if other.score > entry.score)
        assert entry.tied == (sum(1 for other in entries if other.score == entry.score) > 1)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.integers(0, 6), st.tuples(st.integers(-1, 7), st.integers(-1, 7)), max_size=6),
       st.lists(st.integers(0, 6), max_size=8))
def test_property_accepted_matrix_and_ranking_ballots_keep_their_rules(ratings, ranking):
    entries = {1, 2, 3, 4, 5}
    try:
        cleaned = bal.validate(MATRIX, {"ratings": ratings}, entries)
        assert set(cleaned) <= entries and all(1 <= v <= 5 for r in cleaned.values() for v in r)
    except DomainError as error:
        assert error.code in {"ballot_unknown_entry", "ballot_rating_range"}
    try:
        cleaned = bal.validate(RANKING, {"ranking": ranking}, entries)
        assert len(set(cleaned)) == len(cleaned) and set(cleaned) <= entries
    except DomainError as error:
        assert error.code in {"ballot_unknown_entry", "ballot_ranking_repeat"}
