"""The phase state machine of a workshop.

A template lists the phases a workshop walks through. The facilitator may skip ahead or go back
to any listed phase (a real room never follows the plan exactly), but a transition that would
leave people with nothing to do, such as voting before any theme exists, is refused with a reason.
What a participant may do depends only on the current phase, so the rule lives here once.
"""
from __future__ import annotations

from .errors import N_, DomainError

PREWORK = "prework"
COLLECT = "collect"
PRESENT = "present"
AGGREGATE = "aggregate"
PRIORITISE = "prioritise"
CONCRETISE = "concretise"
ADVICE = "advice"
CLOSED = "closed"

ALL_PHASES = (PREWORK, COLLECT, PRESENT, AGGREGATE, PRIORITISE, CONCRETISE, ADVICE, CLOSED)

PHASE_TITLES = {
    PREWORK: N_("Pre-work"),
    COLLECT: N_("Collect"),
    PRESENT: N_("Present"),
    AGGREGATE: N_("Aggregate"),
    PRIORITISE: N_("Prioritise"),
    CONCRETISE: N_("Concretise"),
    ADVICE: N_("Advice"),
    CLOSED: N_("Closed"),
}

# Which participant action each phase allows.
SUBMIT_ITEMS = "submit_items"
VOTE = "vote"
GIVE_ADVICE = "give_advice"
PROPOSE = "propose"

_ALLOWED = {
    PREWORK: {SUBMIT_ITEMS},
    COLLECT: {SUBMIT_ITEMS},
    PRIORITISE: {VOTE},
    ADVICE: {GIVE_ADVICE},
    CONCRETISE: {PROPOSE},
}

_NOT_NOW = {
    SUBMIT_ITEMS: N_("New items can only be added while the workshop is collecting them."),
    VOTE: N_("Voting is only open during the Prioritise phase."),
    GIVE_ADVICE: N_("Advice can only be given during the Advice phase."),
    PROPOSE: N_("Support can only be proposed during the Concretise phase."),
}


def check_transition(phases: tuple[str, ...] | list[str], current: str, target: str,
                     *, theme_count: int, item_count: int) -> None:
    """Raise DomainError unless the workshop may move from ``current`` to ``target``."""
    if target not in phases:
        raise DomainError("phase_unknown", N_("This workshop has no phase called “%(phase)s”."),
                          phase=target)
    if target == current:
        raise DomainError("phase_unchanged", N_("The workshop is already in this phase."))
    if target == AGGREGATE and item_count == 0:
        raise DomainError("phase_no_items",
                          N_("There is nothing to group yet: collect some items first."))
    if target == PRIORITISE and theme_count == 0:
        raise DomainError("phase_no_themes",
                          N_("There is nothing to vote on yet: create at least one theme first."))
    if target == PRESENT and item_count == 0:
        raise DomainError("phase_nothing_to_present",
                          N_("There is nothing to present yet: collect some items first."))
    if target == CONCRETISE and theme_count == 0:
        raise DomainError("phase_no_themes_to_concretise",
                          N_("There are no themes to make concrete yet: group the items into themes first."))


def check_allowed(phase: str, action: str) -> None:
    """Raise DomainError unless participants may perform ``action`` in ``phase``."""
    if phase == CLOSED:
        raise DomainError("workshop_closed", N_("The workshop is closed; nothing can be changed."))
    if action not in _ALLOWED.get(phase, set()):
        raise DomainError("phase_forbids", _NOT_NOW[action])


def check_open(phase: str) -> None:
    """Raise DomainError if the workshop is closed (facilitator edits included)."""
    if phase == CLOSED:
        raise DomainError("workshop_closed", N_("The workshop is closed; nothing can be changed."))


def next_phase(phases: tuple[str, ...] | list[str], current: str) -> str | None:
    """The phase after ``current`` in the template's order, or None at the end."""
    try:
        index = list(phases).index(current)
    except ValueError:
        return phases[0] if phases else None
    return phases[index + 1] if index + 1 < len(phases) else None
