"""The editorial layer: what the facilitator (or the organiser) writes into the guide in their own
words. For the whole workshop a conclusion and next steps; per theme a short synthesis, a few
contributions chosen as quotes, and the decision on support material (kind, owner, due date),
taken from a participant's proposal or written anew.

Each part is saved as a new version of its scope (``WORKSHOP_SCOPE`` or ``theme_scope(id)``) and
the previous versions are kept; a save names the version it was made from, and a save made from
an older one is refused, so two editors never overwrite each other unseen. Once the guide is
final, nothing here changes. A part left empty is absent from the guide (``build_editorial``
returns only what has words), so no format prints an empty heading.

Pure: no Flask, no database; the service loads the rows and hands them in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Mapping, Sequence

import numpy as np

from .errors import N_, DomainError, Invalid
from .support import SUPPORT_TYPES

WORKSHOP_SCOPE = "workshop"
CONCLUSION_MAX = 4000
NEXT_STEPS_MAX = 4000
SYNTHESIS_MAX = 2000
DECISION_MAX = 500
OWNER_MAX = 120
QUOTES_MAX = 5
PROPOSED_QUOTES = 3


def theme_scope(theme_id: int) -> str:
    return f"theme-{theme_id}"


def theme_of_scope(scope: str) -> int | None:
    return int(scope[6:]) if scope.startswith("theme-") and scope[6:].isdigit() else None


# --- Rules for a save ---------------------------------------------------------------------------


def check_editable(finalised: bool) -> None:
    if finalised:
        raise DomainError("editorial_final",
                          N_("The guide is final; its conclusions and decisions can no longer be changed."))


def check_version(expected: int, current: int) -> None:
    """Optimistic concurrency: the editor saves on the version they read, or not at all."""
    if expected != current:
        raise DomainError("editorial_stale",
                          N_("Someone saved this part in the meantime (now version %(current)s). "
                             "Your text is still in the form: reload the part, then make your change again."),
                          current=current)


def workshop_content(conclusion: str, next_steps: str) -> dict:
    return {"conclusion": conclusion.strip(), "next_steps": next_steps.strip()}


def theme_content(synthesis: str, quotes: Sequence[int], kind: str | None, description: str, owner: str,
                  due: str | None, proposal_id: int | None) -> dict:
    """One theme's editorial text as stored. A decision needs words saying what was decided: an
    owner or a due date on their own decide nothing."""
    quotes = list(dict.fromkeys(quotes))
    if len(quotes) > QUOTES_MAX:
        raise Invalid("editorial_quotes", N_("Choose at most %(max)s quotes per theme."), "quotes", max=QUOTES_MAX)
    description, owner = description.strip(), owner.strip()
    if kind is not None and kind not in SUPPORT_TYPES:
        raise Invalid("editorial_kind", N_("Choose one of the listed kinds of support."), "support_kind")
    if not description and (kind or owner or due):
        raise Invalid("editorial_decision",
                      N_("Describe the support material decided on, or take it from a proposal."),
                      "support_description")
    if due:
        parse_due(due)
    support = {"kind": kind or None, "description": description, "owner": owner, "due": due or None,
               "proposal_id": proposal_id} if description else None
    return {"synthesis": synthesis.strip(), "quotes": quotes, "support": support}


# A cleared date field means no date; anything else must be a real day, written YYYY-MM-DD.
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DUE_DATE = N_("Due date: enter a real date, for example 2027-03-31, or leave it empty for no date.")


def parse_due(text: str) -> date:
    """The due date a save names; a string that is no real day (2027-02-30, 31/03/2027) is bad input."""
    try:
        if not _DAY.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise Invalid("editorial_due", DUE_DATE, "support_due") from None


# --- Proposing quotes ---------------------------------------------------------------------------


def representative(candidates: Sequence[tuple[int, int]], vectors: Mapping[int, bytes] | None = None,
                   limit: int = PROPOSED_QUOTES) -> list[int]:
    """The contributions that best stand for a theme, most representative first.

    ``candidates``: (item id, times said). With meaning vectors for at least two of them, the
    nearest to the theme's centre (the mean of its contributions' normalised vectors, cosine);
    a contribution said more often wins a near tie. Without vectors, the ones said most often.
    Ties fall to the earlier contribution, so the proposal is the same on every screen."""
    order = {item_id: n for n, (item_id, _) in enumerate(candidates)}
    said = dict(candidates)
    usable = {i: v for i, v in (vectors or {}).items() if i in said and v}
    if len(usable) >= 2 and len({len(v) for v in usable.values()}) == 1:
        ids = list(usable)
        M = np.stack([np.frombuffer(usable[i], dtype="<f4").astype(np.float64) for i in ids])
        M /= np.maximum(np.linalg.norm(M, axis=1, keepdims=True), 1e-12)
        centre = M.mean(0)
        centre /= max(float(np.linalg.norm(centre)), 1e-12)
        near = dict(zip(ids, (M @ centre).tolist()))
        rest = [i for i in said if i not in near]
        ranked = sorted(ids, key=lambda i: (-round(near[i], 3), -said[i], order[i]))
        return (ranked + sorted(rest, key=lambda i: (-said[i], order[i])))[:limit]
    return sorted(said, key=lambda i: (-said[i], order[i]))[:limit]


# --- The editorial layer as the guide shows it --------------------------------------------------


@dataclass(frozen=True)
class Quote:
    ref: int  # the contribution's number in the guide's appendix
    text: str


@dataclass(frozen=True)
class Decision:
    kind: str | None  # one of support.SUPPORT_TYPES, or None when not said
    description: str
    owner: str
    due: date | None
    from_proposal: bool


@dataclass(frozen=True)
class ThemeEditorial:
    theme_id: int
    theme_name: str
    rank: int | None
    synthesis: str
    quotes: tuple[Quote, ...]
    decision: Decision | None


@dataclass(frozen=True)
class Editorial:
    conclusion: str
    next_steps: str
    themes: tuple[ThemeEditorial, ...]

    @property
    def decisions(self) -> tuple[ThemeEditorial, ...]:
        return tuple(t for t in self.themes if t.decision is not None)


def build_editorial(content: Mapping[str, dict], themes: Iterable, printable) -> Editorial | None:
    """``content``: each scope's current content; ``themes``: the guide's themes in the guide's
    order (a quote is printed only while its contribution is still in the theme, by its number).
    None when nothing has words, so the guide has no editorial part at all."""
    top = content.get(WORKSHOP_SCOPE) or {}
    entries = []
    for theme in themes:
        stored = content.get(theme_scope(theme.id)) or {}
        items = {item.id: item for item in theme.items}
        quotes = tuple(Quote(items[i].ref, items[i].text) for i in stored.get("quotes") or () if i in items)
        support = stored.get("support") or None
        decision = None
        if support and (printable(support.get("description")) or "").strip():
            due = support.get("due")
            decision = Decision(support.get("kind") if support.get("kind") in SUPPORT_TYPES else None,
                                printable(support["description"]).strip(),
                                (printable(support.get("owner")) or "").strip(),
                                date.fromisoformat(due) if due else None, bool(support.get("proposal_id")))
        synthesis = (printable(stored.get("synthesis")) or "").strip()
        if synthesis or quotes or decision:
            entries.append(ThemeEditorial(theme.id, theme.name, theme.result.rank if theme.result else None,
                                          synthesis, quotes, decision))
    conclusion = (printable(top.get("conclusion")) or "").strip()
    next_steps = (printable(top.get("next_steps")) or "").strip()
    if not (conclusion or next_steps or entries):
        return None
    return Editorial(conclusion, next_steps, tuple(entries))
