"""The guide's first page: what a director reads in two minutes, chosen from the guide model.

The first page names the top themes (every theme tied at the cut-off, as the summary does), and
under each its key challenges and success factors: in each lane the contributions said most often,
cited by number so the reader finds each in full under its theme. Then the support proposed for the
theme. The page has room for about ``KEY_BUDGET`` contributions beside the facilitator's conclusions
(fewer when there are conclusions), so each lane of each theme gets two when they fit and one when
not. Pure: read from a built ``Guide``, so every format's first page picks the same contributions.
"""
from __future__ import annotations

from dataclasses import dataclass

from .editorial import Decision, ThemeEditorial
from .guide import Guide, GuideItem, GuideProposal, GuideTheme, LaneSection, ThemeGroup

KEY_PER_LANE = 2
KEY_BUDGET = 12  # key contributions on a first page without conclusions
KEY_BUDGET_WITH_CONCLUSIONS = 8


@dataclass(frozen=True)
class BriefTheme:
    theme: GuideTheme
    key_points: tuple[LaneSection, ...]  # per lane, its most-said contributions (one group: this theme)
    support: tuple[GuideProposal, ...]  # what the participants proposed for this theme
    decision: Decision | None = None  # the support decided for it (the editorial layer), shown instead


def theme_editorial(guide: Guide) -> dict[int, ThemeEditorial]:
    """The facilitator's words per theme id (synthesis, quotes, decision); empty without any."""
    editorial = getattr(guide, "editorial", None)
    return {t.theme_id: t for t in editorial.themes} if editorial else {}


def quoted_refs(guide: Guide) -> frozenset[int]:
    """The numbers of the contributions chosen as quotes: the themes-in-depth chapter marks them
    where they are printed in full, rather than printing their words a second time."""
    return frozenset(q.ref for t in theme_editorial(guide).values() for q in t.quotes)


def key_items(items: tuple[GuideItem, ...], limit: int = KEY_PER_LANE) -> tuple[GuideItem, ...]:
    """The contributions said most often, ties by number (reading order)."""
    return tuple(sorted(items, key=lambda item: (-item.mentions, item.ref))[:limit])


def brief(guide: Guide) -> tuple[BriefTheme, ...]:
    """One entry per summary theme, in rank order; empty when nobody has voted (nothing is top yet)."""
    proposals = {group.theme_id: group.proposals for group in guide.support}
    editorial = getattr(guide, "editorial", None)
    budget = KEY_BUDGET_WITH_CONCLUSIONS if editorial and (editorial.conclusion or editorial.next_steps) else KEY_BUDGET
    wanted = sum(len(theme.by_lane) for theme in guide.summary) * KEY_PER_LANE
    per_lane = KEY_PER_LANE if wanted <= budget else 1
    words = theme_editorial(guide)
    out = []
    for theme in guide.summary:
        points = tuple(LaneSection(lane.key, lane.name,
                                   (ThemeGroup(theme.id, theme.name, key_items(lane.groups[0].items, per_lane)),))
                       for lane in theme.by_lane)
        decision = words[theme.id].decision if theme.id in words else None
        out.append(BriefTheme(theme, points, proposals.get(theme.id, ()), decision))
    return tuple(out)
