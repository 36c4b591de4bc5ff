"""Concretise: what concrete support participants propose for the top themes, and which themes.

A proposal says what kind of support would help (a checklist, a template, a guide...), what it
is, in a sentence, and who needs it. Participants propose for the top themes only: the first
``TOP_THEMES`` ranks of the dot vote once its results are revealed (a theme tied at the last
rank is included: a tie is never broken by chance), otherwise every theme in the facilitator's
order, since nobody can see a ranking yet.
"""
from __future__ import annotations

from typing import Iterable

from .errors import N_, DomainError

TOP_THEMES = 5

SUPPORT_TYPES = ("checklist", "template", "guide", "training", "network", "examples", "other")
SUPPORT_TYPE_TITLES = {
    "checklist": N_("Checklist"),
    "template": N_("Template"),
    "guide": N_("Guide"),
    "training": N_("Training"),
    "network": N_("Network"),
    "examples": N_("Examples"),
    "other": N_("Other support"),
}
DESCRIPTION_MAX = 280
WHO_NEEDS_MAX = 120


def top_themes(theme_ids: Iterable[int], ranks: dict[int, int] | None, n: int = TOP_THEMES) -> list[int]:
    """The themes proposals may be made for, best first.

    ``theme_ids`` in the facilitator's order; ``ranks`` (entry -> competition rank of the revealed
    dot vote) or None when no results are revealed.
    """
    ordered = list(theme_ids)
    if ranks is None:
        return ordered
    ranked = sorted((t for t in ordered if t in ranks), key=lambda t: (ranks[t], ordered.index(t)))
    return [t for t in ranked if ranks[t] <= n]


def check_theme(theme_id: int, allowed: list[int]) -> None:
    if theme_id not in allowed:
        raise DomainError("proposal_theme", N_("Support can only be proposed for one of the top themes."))


def check_owner(owner_id: int | None, participant_id: int | None) -> None:
    if owner_id is None or owner_id != participant_id:
        raise DomainError("proposal_not_yours", N_("You can only edit your own proposals."))
