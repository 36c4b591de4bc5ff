"""The guide's validation section: what the participants said when the facilitator held the draft
open for them. How many reviewed it (answered on a theme or commented), how far they agreed with
each theme, and each comment with what the facilitator did with it.

Pure: read from the workshop state, in the guide's theme order. A workshop nobody reviewed has no
section at all (``None``), so no format prints an empty heading.
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import N_
from .model import WorkshopState
from .text import printable

HANDLINGS = {"accepted": N_("Accepted"), "changed": N_("Changed"), "noted": N_("Noted")}


@dataclass(frozen=True)
class ThemeAgreement:
    theme_id: int
    theme_name: str
    agree: int
    disagree: int

    @property
    def responses(self) -> int:
        return self.agree + self.disagree

    @property
    def share(self) -> float | None:
        """The share who agreed, of those who answered on this theme; None when nobody did."""
        return self.agree / self.responses if self.responses else None


@dataclass(frozen=True)
class ValidationComment:
    text: str
    theme_id: int | None
    theme_name: str | None  # None: on the whole guide
    handling: str | None  # "accepted" | "changed" | "noted" | None (not yet handled)


@dataclass(frozen=True)
class Validation:
    reviewed: int
    themes: tuple[ThemeAgreement, ...]
    comments: tuple[ValidationComment, ...]


def handling_label(key: str | None) -> str | None:
    """The msgid for a handling, for the renderers to translate; None when not yet handled."""
    return HANDLINGS.get(key) if key else None


def build_validation(state: WorkshopState, themes) -> Validation | None:
    """``themes``: the guide's themes (id and printable name), in the guide's order."""
    theme_ids = {t.id for t in themes}
    responses = [(pid, tid, stance) for pid, tid, stance in state.review_responses if tid in theme_ids]
    comments = [c for c in state.review_comments if (printable(c.text) or "").strip()]
    reviewed = {pid for pid, _, _ in responses} | {c.participant_id for c in comments}
    if not reviewed:
        return None
    names = {t.id: t.name for t in themes}
    agreement = tuple(
        ThemeAgreement(t.id, t.name,
                       sum(1 for _, tid, stance in responses if tid == t.id and stance == "agree"),
                       sum(1 for _, tid, stance in responses if tid == t.id and stance == "disagree"))
        for t in themes)
    return Validation(
        reviewed=len(reviewed), themes=agreement,
        comments=tuple(ValidationComment(printable(c.text).strip(), c.theme_id if c.theme_id in names else None,
                                         names.get(c.theme_id), c.handling if c.handling in HANDLINGS else None)
                       for c in comments))
