"""Rules of a workshop's set-up and moderation: anonymity, tags, assessments, who may edit what.

Pure: no Flask, no database. Services pass in what they read and get a decision or a DomainError.
"""
from __future__ import annotations

import re
import unicodedata

from .errors import N_, DomainError

ANONYMOUS = "anonymous"
FACILITATOR_ONLY = "facilitator-only"
NAMED = "named"
ANONYMITY_MODES = (ANONYMOUS, FACILITATOR_ONLY, NAMED)
# From hiding the most to the least: a workshop may always move to the left, to the right only
# while nobody has contributed anything (nobody wrote under the promise of a stricter setting).
_OPENNESS = {ANONYMOUS: 0, FACILITATOR_ONLY: 1, NAMED: 2}

WORKS_WELL = "works_well"
NEEDS_DEVELOPMENT = "needs_development"
ASSESSMENTS = (WORKS_WELL, NEEDS_DEVELOPMENT)
ASSESSMENT_NAMES = {WORKS_WELL: N_("Works well"), NEEDS_DEVELOPMENT: N_("Needs development")}

OPTION_KINDS = ("lane", "tag", "perspective")
CUSTOM_PREFIX = "custom-"


def shows_author(anonymity: str, role: str) -> bool:
    """Whether a screen of ``role`` may receive the authors of items in this workshop."""
    if anonymity == NAMED:
        return True
    return anonymity == FACILITATOR_ONLY and role == "facilitator"


def check_anonymity_change(current: str, target: str, contributions: int) -> None:
    if target not in ANONYMITY_MODES:
        raise DomainError("anonymity_unknown", N_("Choose anonymous, names for the facilitator only, or named."))
    if _OPENNESS[target] > _OPENNESS[current] and contributions:
        raise DomainError("anonymity_locked", N_(
            "Items have already been written under the current setting, so names can no longer be "
            "revealed. You can still make the workshop more anonymous."))


def check_item_fields(*, assess_items: bool, assessment: str | None, tag: str | None, tags: set[str]) -> None:
    """An item's tag must be one of the workshop's; a customer-journey item needs an assessment."""
    if assessment is not None and assessment not in ASSESSMENTS:
        raise DomainError("assessment_unknown", N_("Mark the item as works well or needs development."))
    if assess_items and assessment is None:
        raise DomainError("assessment_required", N_("Mark the item as works well or needs development."))
    if tag is not None and tag not in tags:
        raise DomainError("tag_unknown", N_("Please choose one of the listed tags."))


def check_own_item(*, is_author: bool, grouped: bool, hidden: bool, merged: bool = False) -> None:
    """A participant may change or withdraw their own item until it is grouped into a theme, or
    merged into another item as its duplicate (the group's decision, as grouping is)."""
    if not is_author:
        raise DomainError("not_your_item", N_("You can only change your own items."))
    if hidden:
        raise DomainError("item_hidden", N_("The facilitator has hidden this item, so it can no longer be changed."))
    if merged:
        raise DomainError("item_merged_own", N_(
            "This item has been merged with a similar one, so it can no longer be changed. Ask the facilitator."))
    if grouped:
        raise DomainError("item_grouped", N_(
            "This item has been grouped into a theme, so it can no longer be changed. Ask the facilitator."))


def option_key(name: str, taken: set[str]) -> str:
    """A stable key for a new lane, tag or perspective, from its name, unique in the workshop."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_).strip("_")[:30] or "option"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def check_option_removal(kind: str, in_use: int, remaining: int) -> None:
    if in_use:
        raise DomainError("option_in_use", N_(
            "This is still in use by %(count)s items or participants, so it cannot be removed. Rename it instead."),
            count=in_use)
    if kind in ("lane", "perspective") and remaining <= 1:
        raise DomainError("option_last", N_("A workshop needs at least one lane and one perspective."))
