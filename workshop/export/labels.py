"""The guide's data in translated words and locale-formatted numbers, shared by every renderer so a
rank or a percentage reads the same in Markdown, HTML, Word and the spreadsheets.

They call flask_babel, so they need an app context; the caller chooses the language with
``flask_babel.force_locale(workshop.language)`` (or passes ``language=`` to a renderer).
"""
from __future__ import annotations

from datetime import date

from flask_babel import format_date, gettext as _, ngettext

from workshop.domain.errors import N_
from workshop.domain.setup import ASSESSMENT_NAMES
from workshop.domain.guide import GuideItem, GuideTheme, LaneSection, Method, PerspectiveCount, VoteSummary

from .numbers import percent as localised

# The product's name, which a file's properties give as its creator (never the library that wrote it).
PRODUCT = "Behovsworkshop"

# A lane still carrying its template name gets a plural heading ("Challenges"); a lane the
# facilitator renamed keeps the facilitator's words.
_LANE_PLURALS = {
    "challenge": (N_("Challenge"), N_("Challenges")),
    "success_factor": (N_("Success factor"), N_("Success factors")),
    "idea": (N_("Idea"), N_("Ideas")),
}


def lane_heading(lane: LaneSection) -> str:
    singular, plural = _LANE_PLURALS.get(lane.key, (None, None))
    if singular and lane.name in (singular, _(singular)):
        return _(plural)
    return lane.name


SUPPORT_TYPES = {
    "checklist": N_("Checklist"), "template": N_("Template"), "guide": N_("Guide"), "training": N_("Training"),
    "network": N_("Network"), "examples": N_("Examples"), "other": N_("Other support"),
}


def support_type(key: str) -> str:
    return _(SUPPORT_TYPES.get(key, SUPPORT_TYPES["other"]))


def support_line(proposal) -> str:
    """"Checklist: A checklist for the first meeting (for new buyers) · proposed by: Buyer"."""
    line = f"{support_type(proposal.type)}: {proposal.description}"
    if proposal.who_needs:
        line += " (" + _("for %(who)s", who=proposal.who_needs) + ")"
    return line + " · " + proposed_by(proposal)


def proposed_by(proposal) -> str:
    return _("proposed by: %(perspective)s", perspective=from_label(proposal.perspective))


def perspective_label(perspective: PerspectiveCount) -> str:
    return perspective.name or _("Perspective not stated")


def ref_label(item: GuideItem) -> str:
    """How a contribution's number is cited beside it, pointing to the appendix, with how many
    times it was said and by whom when that was more than once (a merged group)."""
    label = _("No. %(ref)s", ref=item.ref)
    said = said_label(item)
    return " · ".join([label, *([said] if said else []), *item_marks(item)])


def full_label(item: GuideItem) -> str:
    """Everything said about a contribution where it is printed in full (once, under its theme):
    its number, how many times and from which perspectives it was said, and its marks."""
    said = said_label(item) or item_perspective(item)
    return " · ".join([_("No. %(ref)s", ref=item.ref), said, *item_marks(item)])


def cite_label(item: GuideItem) -> str:
    """How a contribution is cited away from its full printing: "No. 3, said 2 times"."""
    label = _("No. %(ref)s", ref=item.ref)
    return label + (", " + said_times(item) if item.mentions > 1 else "")


def from_label(perspective) -> str:
    """The perspective a proposal or a piece of advice came from, for the line it ends."""
    return perspective.name if perspective else _("Perspective not stated")


def results_legend() -> str:
    """The measures of the results table in words, where the table is shown."""
    return _("Dots: all the dots the theme received. Share: its part of all the dots cast. Voters: how many "
             "participants gave it at least one dot. Themes with as many dots share a rank.")


def trace_note() -> str:
    return _("How each rank follows from the ballots: a theme's dots are the sum of the dots each voter placed "
             "on it, and the contributions behind the theme are cited by their numbers.")


def support_heading(guide) -> str:
    """The support chapter's title: it holds the decisions too once the facilitator made some."""
    if guide.editorial and guide.editorial.decisions:
        return _("Concrete support: decided and proposed")
    return _("Concrete support proposals")


def generated_with() -> str:
    """The colophon names the product as its screens do in the guide's language ("Behovsworkshop",
    "Needs workshop"); the files' properties name it ``PRODUCT`` whatever the language."""
    return _("Generated with %(product)s.", product=_("Needs workshop"))


def said_times(item: GuideItem) -> str:
    return ngettext("said %(num)s time", "said %(num)s times", item.mentions)


def item_perspectives(item: GuideItem) -> str:
    """Whose words a contribution is: its author's perspective, or for a merged group each
    perspective with how many times it was said from there ("Buyer 2, Supplier 1")."""
    if item.mentions < 2 or not item.perspectives:
        return item_perspective(item)
    return ", ".join(f"{perspective_label(p)} {p.count}" for p in item.perspectives)


def said_label(item: GuideItem) -> str:
    """"said 3 times · Buyer 2, Supplier 1" for a merged group; nothing for a contribution said once."""
    if item.mentions < 2:
        return ""
    return said_times(item) + (" · " + item_perspectives(item) if item.perspectives else "")


def also_said_label(item: GuideItem) -> str:
    """The merged duplicates' own words, which the appendix keeps under the statement."""
    if not item.also_said:
        return ""
    return _("also said as: %(texts)s", texts="; ".join(f"“{text}”" for text in item.also_said))


def item_marks(item: GuideItem) -> list[str]:
    """What an item is marked with besides its text: tag, assessment, added from a paper note."""

    marks = [item.tag] if item.tag else []
    if item.assessment in ASSESSMENT_NAMES:
        marks.append(_(ASSESSMENT_NAMES[item.assessment]))
    if item.on_behalf:
        marks.append(_("Paper note"))
    return marks


def item_perspective(item: GuideItem) -> str:
    return item.perspective.name if item.perspective else _("Not stated")


def dots_sum(theme: GuideTheme) -> str:
    """The chain from ballots to score, e.g. "14 = 3 + 3 + 2 + 2 + 2 + 2": one term per voter."""
    r = theme.result
    if r is None or not r.dots:
        return "0"
    if len(r.dots) == 1:
        return str(r.score)
    return f"{r.score} = " + " + ".join(str(d) for d in r.dots)


def refs_label(theme: GuideTheme) -> str:
    """Contribution numbers as short ranges ("1–3, 7"), so a theme with 40 items stays one line."""
    refs = sorted(theme.refs)
    if not refs:
        return "–"
    spans, start, prev = [], refs[0], refs[0]
    for ref in refs[1:] + [None]:
        if ref is not None and ref == prev + 1:
            prev = ref
            continue
        spans.append(str(start) if start == prev else f"{start}–{prev}")
        if ref is not None:
            start = prev = ref
    return ", ".join(spans)


def theme_label(name: str | None) -> str:
    return name if name is not None else _("Not grouped into a theme")


def method_label(method: Method) -> str:
    template = _(method.template_name) if method.template_name else method.template
    if method.voting.method == "dots":
        voting = _("dot voting, %(dots)s dots per participant, at most %(max)s on one theme",
                   dots=method.voting.dots, max=method.voting.max_per_entry)
    else:
        voting = method.voting.method
    return _("%(template)s; %(voting)s", template=template, voting=voting)


def rank_label(theme: GuideTheme) -> str:
    if theme.result is None:
        return ""
    if theme.result.tied:
        return _("%(rank)s (shared)", rank=theme.result.rank)
    return str(theme.result.rank)


def theme_numbers(theme: GuideTheme, votes: VoteSummary) -> str:
    """The one sentence that states a theme's result, identical in every format."""
    r = theme.result
    return ngettext("%(num)s dot (%(share)s of all dots), from %(voters)s of %(total)s voters",
                    "%(num)s dots (%(share)s of all dots), from %(voters)s of %(total)s voters",
                    r.score, share=percent(r.share), voters=r.voters, total=votes.voters)


def vote_overview(votes: VoteSummary, themes: int) -> str:
    # Labelled numbers rather than a sentence, so "1 voter" and "1 dot" need no plural forms.
    return _("Voters: %(voters)s · Dots cast: %(dots)s · Themes: %(themes)s",
             voters=votes.voters, dots=votes.dots_cast, themes=themes)


def percent(value: float) -> str:
    """A share in the workshop's language ("60 %" in Swedish, "60%" in English): see ``numbers``."""

    return localised(value)


def long_date(value: date) -> str:
    return format_date(value, format="long")
