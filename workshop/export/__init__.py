"""The support guide in each export format, all rendered from one ``workshop.domain.guide.Guide``.

The helpers below turn guide data into translated words and locale-formatted numbers. They live
here, shared by every renderer, so a rank or a percentage reads the same in Markdown and HTML.
They call flask_babel, so they need an app context; the caller chooses the language with
``flask_babel.force_locale(workshop.language)`` (or passes ``language=`` to a renderer).

``FORMATS`` maps a format name (also the file extension) to (mimetype, render function).
"""
from __future__ import annotations

from datetime import date

from flask_babel import format_date, format_percent, gettext as _, ngettext

from workshop.domain.errors import N_
from workshop.domain.guide import GuideTheme, LaneSection, Method, PerspectiveCount, VoteSummary

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


def perspective_label(perspective: PerspectiveCount) -> str:
    return perspective.name or _("Perspective not stated")


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
    return format_percent(value)


def long_date(value: date) -> str:
    return format_date(value, format="long")


from .html import render_html  # noqa: E402  (the renderers import the helpers above)
from .markdown import render_markdown  # noqa: E402

FORMATS = {
    "md": ("text/markdown; charset=utf-8", render_markdown),
    "html": ("text/html; charset=utf-8", render_html),
}
