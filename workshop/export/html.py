"""The support guide as one self-contained HTML file, to publish or to print.

The file is shown in the browser ("Open HTML") and saved, opened locally or mailed on, so it
may not depend on the server: the stylesheet is embedded and the charts are inline SVG. Bars
are SVG rectangles sized by attributes rather than ``style=""`` so the same markup also works
under a strict Content-Security-Policy if the guide is ever previewed inside the app.
Jinja's autoescaping (Flask enables it for ``.html`` templates) keeps user text inert.
"""
from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from workshop.domain.guide import Guide, GuideTheme

from workshop.domain.guide_brief import brief, quoted_refs, theme_editorial

from .labels import (also_said_label, cite_label, dots_sum, from_label, full_label, generated_with,
                    item_perspective, item_perspectives, lane_heading, long_date, method_label, percent,
                    perspective_label, proposed_by, rank_label, ref_label, refs_label, results_legend,
                    said_times, support_heading, support_type, theme_label, theme_numbers, trace_note,
                    vote_overview)
from . import editorial, validation
from .charts import charts_for
from .rounds import METHOD_NAMES, round_rules, round_table, round_turnout

TEMPLATE = "guide/guide.html"
# One colour per perspective, as SVG fill attributes (CSS classes would not reach inline SVG in every
# renderer); further perspectives reuse them.
PALETTE = ("#1f4e79", "#e69f00", "#4b9a6a", "#b5546b", "#7a68a6", "#56b4e9", "#8c8c8c")


def _max_score(guide: Guide) -> int:
    return max((t.result.score for t in guide.themes if t.result), default=0) or 1


def _bar_width(guide: Guide, theme: GuideTheme) -> float:
    """Bars are scaled to the top theme, so the leader fills the row and the rest compare to it."""
    return round(100 * theme.result.score / _max_score(guide), 2) if theme.result else 0.0


def _colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def render_html(guide: Guide, language: str | None = None, medium: str = "screen") -> str:
    """The whole guide as an HTML document; needs an app context with Flask-Babel.

    ``medium="print"`` adds the paged stylesheet (templates/guide/print.css) that the PDF uses."""
    if language:
        with force_locale(language):
            return render_html(guide, medium=medium)
    return render_template(
        TEMPLATE,
        guide=guide,
        medium=medium,
        brief=brief(guide), theme_words=theme_editorial(guide), quoted=quoted_refs(guide),
        support_heading=support_heading,
        cite_label=cite_label, full_label=full_label, from_label=from_label, proposed_by=proposed_by,
        generated_with=generated_with, results_legend=results_legend, trace_note=trace_note,
        charts=charts_for(guide),
        round_table=round_table, round_rules=round_rules, round_turnout=round_turnout, method_names=METHOD_NAMES,
        dots_sum=dots_sum,
        item_perspective=item_perspective,
        item_perspectives=item_perspectives,
        said_times=said_times,
        also_said_label=also_said_label,
        ref_label=ref_label,
        refs_label=refs_label,
        bar_width=lambda theme: _bar_width(guide, theme),
        colour=_colour,
        lane_heading=lane_heading,
        long_date=long_date,
        method_label=method_label,
        percent=percent,
        perspective_label=perspective_label,
        rank_label=rank_label,
        theme_label=theme_label,
        theme_numbers=theme_numbers,
        vote_overview=vote_overview,
        support_type=support_type,
        validation=validation,
        editorial=editorial,
    )
