"""The support guide as one self-contained HTML file, to publish or to print.

The file is downloaded (Content-Disposition: attachment) and opened locally or mailed on, so it
may not depend on the server: the stylesheet is embedded and the charts are inline SVG. Bars
are SVG rectangles sized by attributes rather than ``style=""`` so the same markup also works
under a strict Content-Security-Policy if the guide is ever previewed inside the app.
Jinja's autoescaping (Flask enables it for ``.html`` templates) keeps user text inert.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import force_locale

from workshop.domain.guide import Guide, GuideTheme

from . import (lane_heading, long_date, method_label, percent, perspective_label, rank_label, theme_label,
               theme_numbers, vote_overview)

TEMPLATE = "guide/guide.html"
PALETTE_SIZE = 7  # perspective colours p0..p6 in guide.css; further perspectives reuse them


@dataclass(frozen=True)
class Segment:
    """One coloured piece of a stacked bar, in the 0..100 coordinates of the SVG viewBox."""

    css: str
    x: float
    width: float
    label: str


def _max_score(guide: Guide) -> int:
    return max((t.result.score for t in guide.themes if t.result), default=0) or 1


def _bar_width(guide: Guide, theme: GuideTheme) -> float:
    """Bars are scaled to the top theme, so the leader fills the row and the rest compare to it."""
    return round(100 * theme.result.score / _max_score(guide), 2) if theme.result else 0.0


def _segments(guide: Guide, theme: GuideTheme) -> list[Segment]:
    if not theme.result:
        return []
    scale = 100 / _max_score(guide)
    x = 0.0
    out = []
    for n, part in enumerate(theme.result.by_perspective):
        if part.count:
            width = part.count * scale
            out.append(Segment(f"p{n % PALETTE_SIZE}", round(x, 2), round(width, 2),
                               f"{perspective_label(part)}: {part.count}"))
            x += width
    return out


def _colour(index: int) -> str:
    return f"p{index % PALETTE_SIZE}"


def render_html(guide: Guide, language: str | None = None) -> str:
    """The whole guide as an HTML document; needs an app context with Flask-Babel."""
    if language:
        with force_locale(language):
            return render_html(guide)
    return render_template(
        TEMPLATE,
        guide=guide,
        bar_width=lambda theme: _bar_width(guide, theme),
        segments=lambda theme: _segments(guide, theme),
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
    )
