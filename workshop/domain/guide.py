"""The consolidated support guide as plain data, built once from a workshop's state.

Every export format (Markdown, HTML, PDF, DOCX, ...) renders this one tree, so two formats can
never disagree about an order, a tie or a number. The tree holds data only: headings and labels
belong to the renderers, which translate them into the workshop's language. Names of people are
deliberately absent from every node (workshops are anonymous by default), and hidden items are
dropped here so that no renderer can forget to.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from . import phases as ph
from .model import Perspective, Theme, VotingRules, WorkshopState
from .statements import Statement, build_statements, perspective_order, visible
from .templates import TEMPLATES
from .text import printable
from .validation import Validation, build_validation
from .editorial import Editorial, build_editorial
from .voting import tally_dots
# A voting round as the guide shows it: re-exported, the formats import them from here.
from .guide_rounds import Quadrant, RoundEntry, RoundSummary, round_summary  # noqa: F401

SUMMARY_TOP = 3
@dataclass(frozen=True)
class PerspectiveCount:
    """How many participants (or dots) came from one perspective; key "" means not stated."""

    key: str
    name: str
    count: int


@dataclass(frozen=True)
class Method:
    template: str
    template_name: str | None  # an untranslated msgid, or None for an unknown template
    voting: VotingRules


@dataclass(frozen=True)
class TitleInfo:
    question: str
    organiser: str | None
    code: str
    language: str
    date: date
    phase: str
    phase_title: str | None  # msgid
    draft: bool
    method: Method
    participants: int
    participants_by_perspective: tuple[PerspectiveCount, ...]


@dataclass(frozen=True)
class GuideItem:
    """One contribution: a statement, the items the facilitator merged into one counted once.
    ``ref`` is its number in the appendix (1, 2, ...), the handle by which every theme and every
    rank in the guide points back to the contributions behind it. ``mentions`` is how many times
    it was said, ``perspectives`` by whom (mentions per perspective, in the workshop's order), and
    ``also_said`` the merged duplicates' own words, which only the appendix prints."""

    id: int
    ref: int
    text: str
    lane: str
    lane_name: str
    theme_id: int | None
    theme_name: str | None
    theme_score: int | None  # dots on the item's theme; None when nobody has voted
    theme_rank: int | None = None
    perspective: Perspective | None = None  # the author's perspective; None when not stated
    tag: str | None = None  # the tag's name in the workshop's language
    assessment: str | None = None  # "works_well" | "needs_development" (a customer journey)
    on_behalf: bool = False  # added by the facilitator from a paper note
    mentions: int = 1
    perspectives: tuple[PerspectiveCount, ...] = ()
    also_said: tuple[str, ...] = ()
    client_ids: tuple[str, ...] = ()  # the sending clients' ids: its own first, then the merged ones'


@dataclass(frozen=True)
class ThemeResult:
    rank: int
    tied: bool
    score: int
    share: float  # of all dots cast, 0..1
    voters: int
    voter_share: float  # of all participants who voted, 0..1
    by_perspective: tuple[PerspectiveCount, ...]  # aligned with VoteSummary.perspectives
    dots: tuple[int, ...] = ()  # each voter's dots on this theme, largest first: score == sum(dots)


@dataclass(frozen=True)
class GuideTheme:
    id: int
    name: str
    items: tuple[GuideItem, ...]
    result: ThemeResult | None

    @property
    def refs(self) -> tuple[int, ...]:
        return tuple(item.ref for item in self.items)

    @property
    def by_lane(self) -> tuple["LaneSection", ...]:
        """The theme's contributions lane by lane (challenges, then success factors ...), as the
        themes-in-depth chapter prints them: each a LaneSection with this theme as its one group."""
        return lanes_of(self.items, self.id, self.name)


@dataclass(frozen=True)
class VoteSummary:
    voters: int
    dots_cast: int
    perspectives: tuple[PerspectiveCount, ...]  # dots cast per perspective, only those that voted


@dataclass(frozen=True)
class ThemeGroup:
    theme_id: int | None  # None: the items nobody grouped into a theme
    theme_name: str | None
    items: tuple[GuideItem, ...]


@dataclass(frozen=True)
class LaneSection:
    key: str
    name: str
    groups: tuple[ThemeGroup, ...]

    @property
    def item_count(self) -> int:
        return sum(len(group.items) for group in self.groups)


@dataclass(frozen=True)
class GuideProposal:
    type: str
    description: str
    who_needs: str
    perspective: Perspective | None = None  # the proposer's; None when not stated


@dataclass(frozen=True)
class GuideAdvice:
    """One piece of advice and the perspective it came from (None when not stated): advice from a
    supplier reads differently from the same words from a buyer."""

    text: str
    perspective: Perspective | None = None


@dataclass(frozen=True)
class SupportTheme:
    """The concrete support proposed for one theme, in the prioritised themes' order."""

    theme_id: int
    theme_name: str
    rank: int | None
    proposals: tuple[GuideProposal, ...]


@dataclass(frozen=True)
class Guide:
    title: TitleInfo
    votes: VoteSummary | None
    summary: tuple[GuideTheme, ...]
    themes: tuple[GuideTheme, ...]
    lanes: tuple[LaneSection, ...]
    advice: tuple[str, ...]
    appendix: tuple[GuideItem, ...]
    rules: VotingRules
    rounds: tuple[RoundSummary, ...] = ()
    support: tuple[SupportTheme, ...] = ()
    validation: Validation | None = None  # domain/validation.py; None when nobody reviewed the draft
    editorial: Editorial | None = None  # domain/editorial.py; None when the facilitator wrote nothing
    advice_from: tuple[GuideAdvice, ...] = ()  # ``advice`` with the perspective each came from

    @property
    def has_results(self) -> bool:
        return self.votes is not None

    @property
    def unthemed(self) -> tuple[GuideItem, ...]:
        """Contributions nobody grouped into a theme, printed after the last theme."""
        return tuple(item for item in self.appendix if item.theme_id is None)

    @property
    def unthemed_by_lane(self) -> tuple["LaneSection", ...]:
        return lanes_of(self.unthemed, None, None)


def lanes_of(items, theme_id: int | None, theme_name: str | None) -> tuple[LaneSection, ...]:
    """Items (in reference order, which runs lane by lane within a theme) split into their lanes."""
    lanes: dict[str, list[GuideItem]] = {}
    names: dict[str, str] = {}
    for item in items:
        lanes.setdefault(item.lane, []).append(item)
        names[item.lane] = item.lane_name
    return tuple(LaneSection(key, names[key], (ThemeGroup(theme_id, theme_name, tuple(found)),))
                 for key, found in lanes.items())


def _perspective_order(state: WorkshopState, keys) -> list[str]:
    """Known perspectives in template order, then unknown keys, then "not stated" last."""
    return perspective_order(keys, [p.key for p in state.perspectives])


def statements_of(state: WorkshopState) -> list[Statement]:
    """The workshop's visible statements (merged duplicates counted with the item they belong to,
    hidden items left out), each item's perspective read from its author where it has none."""
    perspective_of = {p.id: p.perspective for p in state.participants}
    items = [item if item.perspective or item.participant_id is None
             else replace(item, perspective=perspective_of.get(item.participant_id)) for item in state.items]
    support: dict[int, list[str | None]] = {}
    for item_id, perspective in state.item_support:  # each backer: one more mention
        support.setdefault(item_id, []).append(perspective)
    return visible(build_statements(items, [p.key for p in state.perspectives], support))


def _perspective_names(state: WorkshopState) -> dict[str, str]:
    return {p.key: p.name for p in state.perspectives}


def _counts(state: WorkshopState, totals: dict[str, int], keep_zero: bool = False) -> tuple[PerspectiveCount, ...]:
    names = _perspective_names(state)
    keys = [k for k, v in totals.items() if v or keep_zero]
    return tuple(PerspectiveCount(k, names.get(k, k), totals.get(k, 0))
                 for k in _perspective_order(state, keys))


def _title(state: WorkshopState) -> TitleInfo:
    by_perspective: dict[str, int] = {}
    for participant in state.participants:
        key = participant.perspective or ""
        by_perspective[key] = by_perspective.get(key, 0) + 1
    template = TEMPLATES.get(state.template)
    return TitleInfo(
        question=printable(state.question),
        organiser=printable(state.organiser),
        code=state.code,
        language=state.language,
        date=state.created_at.date(),
        phase=state.phase,
        phase_title=ph.PHASE_TITLES.get(state.phase),
        draft=state.phase != ph.CLOSED,
        method=Method(state.template, template.name if template else None, state.voting),
        participants=len(state.participants),
        participants_by_perspective=_counts(state, by_perspective),
    )


def _ordered_themes(state: WorkshopState) -> list[Theme]:
    return sorted(state.themes, key=lambda t: (t.position, t.id))


def build_guide(state: WorkshopState) -> Guide:
    """Assemble the guide; results appear only once at least one dot has been cast.

    Results are included even if the facilitator has not revealed them to the room: the guide
    is the organiser's document, and the organiser may always see the tally.
    """
    lane_names = {lane.key: lane.name for lane in state.lanes}
    themes = _ordered_themes(state)
    theme_by_id = {t.id: t for t in themes}
    statements = sorted(statements_of(state), key=lambda s: s.id)

    # The prioritisation chapter reports the current round if it is a dot round, otherwise the
    # latest dot round with votes; every round, whatever its method, is in ``rounds``.
    ballots, rules = state.ballots, state.voting
    if state.rounds and rules.method != "dots":
        dot_rounds = [r for r in state.rounds if r.rules.method == "dots" and r.ballots]
        ballots, rules = (dot_rounds[-1].ballots, dot_rounds[-1].rules) if dot_rounds else ((), rules)
    results = tally_dots([t.id for t in themes], ballots)
    dots_on: dict[int, list[int]] = {}
    for ballot in ballots:
        for entry_id, dots in ballot.allocation.items():
            if dots > 0 and entry_id in theme_by_id:
                dots_on.setdefault(entry_id, []).append(dots)
    votes: VoteSummary | None = None
    result_by_theme: dict[int, ThemeResult] = {}
    order = [t.id for t in themes]
    if results.dots_cast > 0:
        dots_by_perspective: dict[str, int] = {}
        for entry in results.entries:
            for key, dots in entry.by_perspective.items():
                dots_by_perspective[key] = dots_by_perspective.get(key, 0) + dots
        votes = VoteSummary(results.voters, results.dots_cast, _counts(state, dots_by_perspective))
        columns = [p.key for p in votes.perspectives]
        names = _perspective_names(state)
        for entry in results.entries:
            result_by_theme[entry.entry_id] = ThemeResult(
                rank=entry.rank, tied=entry.tied, score=entry.score, share=entry.share,
                voters=entry.voters,
                voter_share=entry.voters / results.voters if results.voters else 0.0,
                by_perspective=tuple(PerspectiveCount(k, names.get(k, k), entry.by_perspective.get(k, 0))
                                     for k in columns),
                dots=tuple(sorted(dots_on.get(entry.entry_id, ()), reverse=True)),
            )
        order = [entry.entry_id for entry in results.entries]

    lane_keys = [lane.key for lane in state.lanes]
    lane_keys += sorted({s.lane for s in statements} - set(lane_keys))
    lane_rank = {key: n for n, key in enumerate(lane_keys)}
    # Reading order fixes each statement's reference number once for all formats: theme by theme as
    # the guide prints them (by rank once voted), lane by lane within a theme, then arrival; the
    # contributions nobody grouped come last. So number 12 is found by reading on from number 11.
    theme_rank = {theme_id: n for n, theme_id in enumerate(order)}
    statements.sort(key=lambda s: (theme_rank.get(s.item.theme_id, len(order)), lane_rank[s.lane], s.id))
    names = _perspective_names(state)
    tag_names = {t.key: t.name for t in state.tags}

    def guide_item(ref: int, statement: Statement) -> GuideItem:
        item = statement.item
        theme = theme_by_id.get(item.theme_id) if item.theme_id is not None else None
        result = result_by_theme.get(theme.id) if theme else None
        key = item.perspective
        return GuideItem(
            id=item.id, ref=ref, text=printable(item.text), lane=item.lane,
            lane_name=lane_names.get(item.lane, item.lane),
            theme_id=theme.id if theme else None, theme_name=printable(theme.name) if theme else None,
            theme_score=result.score if result else None,
            theme_rank=result.rank if result else None,
            perspective=Perspective(key, names.get(key, key)) if key else None,
            tag=tag_names.get(item.tag, item.tag) if item.tag else None,
            assessment=item.assessment, on_behalf=item.on_behalf,
            mentions=statement.mentions,
            perspectives=tuple(PerspectiveCount(k, names.get(k, k), n) for k, n in statement.perspectives),
            also_said=tuple(printable(m.text) for m in statement.merged),
            client_ids=tuple(i.client_id for i in (item, *statement.merged) if i.client_id),
        )

    guide_items = [guide_item(n, s) for n, s in enumerate(statements, start=1)]
    guide_themes = tuple(
        GuideTheme(
            id=theme_id, name=printable(theme_by_id[theme_id].name),
            items=tuple(gi for gi in guide_items if gi.theme_id == theme_id),
            result=result_by_theme.get(theme_id),
        )
        for theme_id in order
    )
    # Ties at the cut-off all belong in the summary: dropping one of two equal themes would
    # claim a difference the vote did not show.
    summary = tuple(t for t in guide_themes
                    if t.result and t.result.score > 0 and t.result.rank <= SUMMARY_TOP)

    lanes = []
    for key in lane_keys:
        in_lane = [gi for gi in guide_items if gi.lane == key]
        groups = [ThemeGroup(t.id, t.name, tuple(gi for gi in in_lane if gi.theme_id == t.id))
                  for t in guide_themes]
        groups.append(ThemeGroup(None, None, tuple(gi for gi in in_lane if gi.theme_id is None)))
        lanes.append(LaneSection(key, lane_names.get(key, key), tuple(g for g in groups if g.items)))

    advice_from = tuple(GuideAdvice(text, Perspective(a.perspective, names.get(a.perspective, a.perspective))
                                    if a.perspective else None)
                        for a in sorted(state.advice, key=lambda a: a.id)
                        if (text := printable(a.text).strip()))
    advice = tuple(a.text for a in advice_from)
    appendix = tuple(guide_items)
    return Guide(
        title=_title(state), votes=votes, summary=summary, themes=guide_themes,
        lanes=tuple(lanes), advice=advice, appendix=appendix, rules=rules,
        rounds=tuple(round_summary(r, themes, state.proposals, printable) for r in state.rounds),
        support=_support(state, guide_themes),
        validation=build_validation(state, guide_themes), advice_from=advice_from,
        editorial=build_editorial(dict(state.editorial), guide_themes, printable),
    )


def _support(state: WorkshopState, guide_themes) -> tuple[SupportTheme, ...]:
    """Proposals grouped by theme, themes in the guide's order (by rank once voted)."""
    by_theme: dict[int, list[GuideProposal]] = {}
    names = _perspective_names(state)
    for proposal in sorted(state.proposals, key=lambda p: p.id):
        text = (printable(proposal.description) or "").strip()
        key = proposal.perspective
        if text:
            by_theme.setdefault(proposal.theme_id, []).append(
                GuideProposal(proposal.type, text, (printable(proposal.who_needs) or "").strip(),
                              Perspective(key, names.get(key, key)) if key else None))
    return tuple(SupportTheme(t.id, t.name, t.result.rank if t.result else None, tuple(by_theme[t.id]))
                 for t in guide_themes if t.id in by_theme)
