"""The phase state machine: which transitions a facilitator may make and what participants may do."""
from __future__ import annotations

import pytest

from workshop.domain import phases as ph
from workshop.domain.errors import DomainError
from workshop.domain.templates import BLANK, THINK_TANK

PHASES = THINK_TANK.phases  # prework, collect, present, aggregate, prioritise, concretise, advice, closed
SHORT = BLANK.phases  # collect, aggregate, prioritise, advice, closed


def refused(code: str, func, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as info:
        func(*args, **kwargs)
    assert info.value.code == code
    assert info.value.message  # a msgid the edge can translate
    return info.value


# --- check_transition --------------------------------------------------------------------------

@pytest.mark.parametrize("current,target", [
    (ph.COLLECT, ph.AGGREGATE), (ph.AGGREGATE, ph.PRIORITISE), (ph.PRIORITISE, ph.ADVICE),
    (ph.ADVICE, ph.CLOSED), (ph.COLLECT, ph.ADVICE), (ph.CLOSED, ph.COLLECT), (ph.ADVICE, ph.COLLECT),
])
def test_transition_to_any_listed_phase_is_allowed_forwards_and_back(current, target):
    assert ph.check_transition(PHASES, current, target, theme_count=1, item_count=1) is None


def test_transition_to_a_phase_the_template_does_not_list_is_refused_with_its_name():
    error = refused("phase_unknown", ph.check_transition, SHORT, ph.COLLECT, ph.PRESENT,
                    theme_count=1, item_count=1)
    assert error.params == {"phase": ph.PRESENT}
    assert ph.PRESENT in str(error)


def test_transition_to_an_unheard_of_phase_is_refused():
    refused("phase_unknown", ph.check_transition, PHASES, ph.COLLECT, "lunch", theme_count=1, item_count=1)


def test_transition_to_the_current_phase_is_refused_as_unchanged():
    refused("phase_unchanged", ph.check_transition, PHASES, ph.COLLECT, ph.COLLECT,
            theme_count=1, item_count=1)


def test_aggregate_without_items_is_refused():
    refused("phase_no_items", ph.check_transition, PHASES, ph.COLLECT, ph.AGGREGATE,
            theme_count=3, item_count=0)


def test_aggregate_with_one_item_is_allowed():
    ph.check_transition(PHASES, ph.COLLECT, ph.AGGREGATE, theme_count=0, item_count=1)


def test_prioritise_without_themes_is_refused_even_with_items():
    refused("phase_no_themes", ph.check_transition, PHASES, ph.AGGREGATE, ph.PRIORITISE,
            theme_count=0, item_count=10)


def test_prioritise_with_one_theme_is_allowed():
    ph.check_transition(PHASES, ph.AGGREGATE, ph.PRIORITISE, theme_count=1, item_count=0)


def test_present_without_items_is_refused_with_a_reason():
    error = refused("phase_nothing_to_present", ph.check_transition, PHASES, ph.COLLECT, ph.PRESENT,
                    theme_count=3, item_count=0)
    assert "nothing to present" in error.message


def test_present_with_one_item_is_allowed():
    ph.check_transition(PHASES, ph.COLLECT, ph.PRESENT, theme_count=0, item_count=1)


def test_concretise_without_themes_is_refused_even_with_items():
    error = refused("phase_no_themes_to_concretise", ph.check_transition, PHASES, ph.PRIORITISE,
                    ph.CONCRETISE, theme_count=0, item_count=10)
    assert "themes" in error.message


def test_concretise_with_one_theme_is_allowed_and_voting_may_be_skipped():
    ph.check_transition(PHASES, ph.AGGREGATE, ph.CONCRETISE, theme_count=1, item_count=0)


@pytest.mark.parametrize("current,target", [
    (ph.PREWORK, ph.ADVICE), (ph.COLLECT, ph.CONCRETISE), (ph.CLOSED, ph.PREWORK),
    (ph.ADVICE, ph.PRESENT), (ph.CONCRETISE, ph.PRIORITISE), (ph.PRESENT, ph.PREWORK)])
def test_any_phase_can_be_skipped_or_revisited_when_it_has_what_it_needs(current, target):
    ph.check_transition(PHASES, current, target, theme_count=1, item_count=1)


def test_phases_without_preconditions_need_neither_items_nor_themes():
    for target in (ph.PREWORK, ph.ADVICE, ph.CLOSED):
        ph.check_transition(PHASES, ph.COLLECT, target, theme_count=0, item_count=0)


def test_unknown_phase_is_reported_before_unchanged():
    refused("phase_unknown", ph.check_transition, PHASES, "lunch", "lunch", theme_count=0, item_count=0)


def test_a_list_of_phases_works_like_a_tuple():
    ph.check_transition(list(PHASES), ph.COLLECT, ph.AGGREGATE, theme_count=0, item_count=1)


# --- check_allowed -----------------------------------------------------------------------------

ACTIONS = (ph.SUBMIT_ITEMS, ph.VOTE, ph.GIVE_ADVICE, ph.PROPOSE)
ALLOWED = {ph.PREWORK: ph.SUBMIT_ITEMS, ph.COLLECT: ph.SUBMIT_ITEMS, ph.PRIORITISE: ph.VOTE,
           ph.ADVICE: ph.GIVE_ADVICE, ph.CONCRETISE: ph.PROPOSE}


@pytest.mark.parametrize("phase", [p for p in ph.ALL_PHASES if p != ph.CLOSED])
@pytest.mark.parametrize("action", ACTIONS)
def test_each_open_phase_allows_exactly_its_one_participant_action(phase, action):
    if ALLOWED.get(phase) == action:
        ph.check_allowed(phase, action)
    else:
        refused("phase_forbids", ph.check_allowed, phase, action)


@pytest.mark.parametrize("action,words", [
    (ph.SUBMIT_ITEMS, "collecting"), (ph.VOTE, "Prioritise"), (ph.GIVE_ADVICE, "Advice"),
    (ph.PROPOSE, "Concretise")])
def test_a_forbidden_action_explains_when_it_is_possible(action, words):
    phase = ph.AGGREGATE  # a phase that allows nothing
    assert words in refused("phase_forbids", ph.check_allowed, phase, action).message


@pytest.mark.parametrize("action", ACTIONS)
def test_closed_workshop_refuses_every_participant_action(action):
    refused("workshop_closed", ph.check_allowed, ph.CLOSED, action)


def test_closed_workshop_refuses_facilitator_edits_and_open_phases_accept_them():
    refused("workshop_closed", ph.check_open, ph.CLOSED)
    for phase in ph.ALL_PHASES:
        if phase != ph.CLOSED:
            assert ph.check_open(phase) is None


def test_unknown_phase_allows_no_action():
    for action in ACTIONS:
        refused("phase_forbids", ph.check_allowed, "lunch", action)


# --- next_phase --------------------------------------------------------------------------------

def test_next_phase_follows_the_template_order():
    assert [ph.next_phase(PHASES, p) for p in PHASES] == [
        ph.COLLECT, ph.PRESENT, ph.AGGREGATE, ph.PRIORITISE, ph.CONCRETISE, ph.ADVICE, ph.CLOSED, None]


def test_the_think_tank_walks_the_full_method_in_order():
    assert PHASES == (ph.PREWORK, ph.COLLECT, ph.PRESENT, ph.AGGREGATE, ph.PRIORITISE, ph.CONCRETISE,
                      ph.ADVICE, ph.CLOSED)


def test_next_phase_of_a_phase_outside_the_template_is_the_first_phase():
    assert ph.next_phase(SHORT, ph.PRESENT) == ph.COLLECT


def test_next_phase_of_an_empty_phase_list_is_none():
    assert ph.next_phase((), ph.COLLECT) is None


def test_every_template_phase_has_a_title_and_templates_end_closed():
    for template in (THINK_TANK, BLANK):
        assert template.phases[-1] == ph.CLOSED
        assert all(ph.PHASE_TITLES[p] for p in template.phases)
    assert set(ph.PHASE_TITLES) == set(ph.ALL_PHASES)
