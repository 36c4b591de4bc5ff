"""A series: several workshops on one question (one with buyers, one with suppliers, ...) read as
one guide that compares them.

Built from the workshops' own guide models, so a series can never disagree with the guides it
combines. Themes are matched across workshops by their names: facilitators in different rooms
name the same need a little differently ("Tidig dialog" / "Tidig dialog med marknaden"), so names
are compared by character trigrams, which works alike for Swedish and English and needs no
dictionary. Each workshop contributes at most one theme to a match, so a match can be read as
"this need came up in these rooms, at these ranks".
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import N_, DomainError
from .guide import Guide, PerspectiveCount

SIMILAR = 0.45  # Jaccard similarity of the names' trigram sets at or above which two themes match
MAX_WORKSHOPS = 12


@dataclass(frozen=True)
class SeriesWorkshop:
    code: str
    question: str
    date: object
    draft: bool
    participants: int
    voters: int
    participants_by_perspective: tuple[PerspectiveCount, ...]
    top_themes: tuple[str, ...]  # the summary's themes, best first
    advice: tuple[str, ...]


@dataclass(frozen=True)
class ThemeInWorkshop:
    name: str
    rank: int | None  # None when nobody voted in that workshop
    tied: bool
    share: float | None  # of that workshop's dots


@dataclass(frozen=True)
class SharedTheme:
    name: str  # the best-ranked name among the matched themes
    entries: tuple[ThemeInWorkshop | None, ...]  # aligned with Series.workshops

    @property
    def rooms(self) -> int:
        return sum(1 for entry in self.entries if entry is not None)


@dataclass(frozen=True)
class PerspectiveRow:
    key: str
    name: str
    participants: tuple[int, ...]  # aligned with Series.workshops
    dot_shares: tuple[float | None, ...]  # the perspective's share of each workshop's dots


@dataclass(frozen=True)
class Series:
    title: str
    language: str
    workshops: tuple[SeriesWorkshop, ...]
    themes: tuple[SharedTheme, ...]  # in more workshops first, then by best rank
    perspectives: tuple[PerspectiveRow, ...]

    @property
    def draft(self) -> bool:
        return any(w.draft for w in self.workshops)


def _trigrams(name: str) -> frozenset[str]:
    text = unicodedata.normalize("NFC", name).casefold()
    text = " " + re.sub(r"[\W_]+", " ", text).strip() + " "
    return frozenset(text[i:i + 3] for i in range(len(text) - 2))


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of two names' character trigrams, 0..1 (1 for the same words)."""
    left, right = _trigrams(a), _trigrams(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def build_series(guides: list[Guide], title: str | None = None) -> Series:
    """Compare the workshops' guides; the series takes the first workshop's language."""
    if len(guides) < 2:
        raise DomainError("series_too_small", N_("Choose at least two workshops to combine."))
    if len(guides) > MAX_WORKSHOPS:
        raise DomainError("series_too_large", N_("A series combines at most %(max)s workshops."), max=MAX_WORKSHOPS)
    return Series(
        title=title or guides[0].title.question,
        language=guides[0].title.language,
        workshops=tuple(_workshop(g) for g in guides),
        themes=_shared_themes(guides),
        perspectives=_perspectives(guides),
    )


def _workshop(guide: Guide) -> SeriesWorkshop:
    t = guide.title
    return SeriesWorkshop(code=t.code, question=t.question, date=t.date, draft=t.draft, participants=t.participants,
                          voters=guide.votes.voters if guide.votes else 0,
                          participants_by_perspective=t.participants_by_perspective,
                          top_themes=tuple(theme.name for theme in guide.summary), advice=guide.advice)


def _shared_themes(guides: list[Guide]) -> tuple[SharedTheme, ...]:
    groups: list[dict[int, ThemeInWorkshop]] = []
    keys: list[list[frozenset[str]]] = []  # each group's names as trigram sets
    for index, guide in enumerate(guides):
        for theme in guide.themes:  # in rank order when voted, else in the facilitator's order
            result = theme.result
            entry = ThemeInWorkshop(theme.name, result.rank if result else None, bool(result and result.tied),
                                    result.share if result else None)
            grams = _trigrams(theme.name)
            best, best_score = None, SIMILAR
            for n, group in enumerate(groups):
                if index in group:
                    continue
                score = max((len(grams & g) / len(grams | g) for g in keys[n] if grams and g), default=0.0)
                if score >= best_score:
                    best, best_score = n, score
            if best is None:
                groups.append({index: entry})
                keys.append([grams])
            else:
                groups[best][index] = entry
                keys[best].append(grams)

    def best_rank(group: dict[int, ThemeInWorkshop]) -> tuple:
        ranks = [e.rank for e in group.values() if e.rank is not None]
        return (min(ranks) if ranks else 10**9, min(group))

    shared = []
    for group in groups:
        leader = min(group.values(), key=lambda e: (e.rank if e.rank is not None else 10**9))
        shared.append(SharedTheme(leader.name, tuple(group.get(i) for i in range(len(guides)))))
    order = sorted(range(len(groups)), key=lambda n: (-len(groups[n]), best_rank(groups[n])))
    return tuple(shared[n] for n in order)


def _perspectives(guides: list[Guide]) -> tuple[PerspectiveRow, ...]:
    names: dict[str, str] = {}
    people: list[dict[str, int]] = []
    dots: list[dict[str, int] | None] = []
    for guide in guides:
        people.append({p.key: p.count for p in guide.title.participants_by_perspective})
        for p in guide.title.participants_by_perspective:
            names.setdefault(p.key, p.name)
        if guide.votes:
            dots.append({p.key: p.count for p in guide.votes.perspectives})
            for p in guide.votes.perspectives:
                names.setdefault(p.key, p.name)
        else:
            dots.append(None)
    rows = []
    for key, name in names.items():
        shares = []
        for cast in dots:
            total = sum(cast.values()) if cast else 0
            shares.append(cast.get(key, 0) / total if total else None)
        rows.append(PerspectiveRow(key, name, tuple(p.get(key, 0) for p in people), tuple(shares)))
    rows.sort(key=lambda row: (row.key == "", -sum(row.participants)))
    return tuple(rows)
