"""The guide's charts as standalone SVG, drawn once from the guide model.

The same SVG is inlined in HTML and PDF (vector, sharp at any zoom) and rasterised to PNG for
Word, so a chart never differs between formats. Colours are presentation attributes, not CSS, so
the SVG renders identically in a browser, in WeasyPrint and in CairoSVG, and needs no ``style=""``
under a strict Content-Security-Policy. Every label is user text or derived from it and is
escaped here.

``CHARTS`` lists the chart builders; each returns a ``Chart`` or ``None`` when the guide has no
data for it. A new kind of result (a 2x2 matrix from two-axis ratings, say) is one more builder.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass

from flask_babel import gettext as _, ngettext
from markupsafe import Markup, escape

from workshop.domain.guide import Guide

from .labels import percent, perspective_label
from .numbers import decimal
from .text import xml_safe
from .rounds import QUADRANT_NAMES

FONT = "Carlito, Calibri, 'Liberation Sans', 'DejaVu Sans', Arial, sans-serif"
INK, MUTED, RULE, TRACK, ACCENT = "#1d2430", "#5b6472", "#d9dde3", "#eef1f5", "#1f4e79"
WIDTH = 720
LABEL_W = 262


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str  # one sentence saying how to read it; also the image's alternative text
    svg: Markup
    width: int
    height: int


def _lines(text: str, chars: int, max_lines: int) -> list[str]:
    lines = textwrap.wrap(xml_safe(text), chars) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(chars - 1, 1)].rstrip() + "…"
    return lines


def _text(x: float, y: float, lines: list[str], size: float, fill: str = INK, anchor: str = "start",
          weight: str = "normal", leading: float = 1.2) -> str:
    """A multi-line label centred vertically on ``y``."""
    top = y - (len(lines) - 1) * size * leading / 2
    spans = "".join(f'<tspan x="{x:.1f}" y="{top + n * size * leading + size * 0.35:.1f}">{escape(line)}</tspan>'
                    for n, line in enumerate(lines))
    return (f'<text font-family="{FONT}" font-size="{size}" fill="{fill}" text-anchor="{anchor}" '
            f'font-weight="{weight}">{spans}</text>')


def _svg(width: int, height: int, body: list[str], label: str) -> Markup:
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
                  f'height="{height}" role="img" aria-label="{escape(xml_safe(label))}">'
                  # The title is the figure's alternative text in the tagged PDF (PDF/UA).
                  f'<title>{escape(xml_safe(label))}</title>'
                  f'<rect width="{width}" height="{height}" fill="#ffffff"/>' + "".join(body) + "</svg>")


def vote_bars(guide: Guide) -> Chart | None:
    """Dots per theme, longest bar for the top theme, each labelled with its rank and numbers."""
    ranked = [t for t in guide.themes if t.result]
    if not guide.votes or not ranked:
        return None
    row, top = 40, 12
    height = top + row * len(ranked) + 8
    bar_x, bar_w = LABEL_W + 12, WIDTH - LABEL_W - 12 - 96
    most = max(t.result.score for t in ranked) or 1
    body = []
    for n, theme in enumerate(ranked):
        y = top + n * row + row / 2
        r = theme.result
        body.append(_text(0, y, [f"{r.rank}."], 13, MUTED, weight="bold"))
        body.append(_text(24, y, _lines(theme.name, 38, 2), 13))
        width = bar_w * r.score / most
        body.append(f'<rect x="{bar_x}" y="{y - 9:.1f}" width="{bar_w}" height="18" rx="2" fill="{TRACK}"/>')
        body.append(f'<rect x="{bar_x}" y="{y - 9:.1f}" width="{width:.1f}" height="18" rx="2" fill="{ACCENT}"/>')
        body.append(_text(bar_x + bar_w + 10, y, [f"{r.score} · {percent(r.share)}"], 13, INK, weight="bold"))
    title = _("Dots per theme")
    return Chart("vote_bars", title, _("Each bar is the number of dots a theme received; the share is of all "
                                       "dots cast."), _svg(WIDTH, height, body, title), WIDTH, height)


def _strength(share: float, most: float) -> float:
    """0 for no dots, then 0.12..1 relative to the largest share in the chart."""
    return 0.0 if share <= 0 else 0.12 + 0.88 * min(share / (most or 1), 1.0) ** 0.8


def _mix(strength: float) -> str:
    """White to the accent colour: the larger a perspective's share, the darker the cell."""
    base = (0x1f, 0x4e, 0x79)
    return "#" + "".join(f"{round(255 + (c - 255) * strength):02x}" for c in base)


def perspective_comparison(guide: Guide) -> Chart | None:
    """Each perspective's dots spread over the themes, as shares of that perspective's own dots, so
    groups of different sizes compare fairly: do buyers and suppliers put their dots in one place?"""
    if not guide.votes or len(guide.votes.perspectives) < 2:
        return None
    ranked = [t for t in guide.themes if t.result]
    columns = guide.votes.perspectives
    col_w = min(96, (WIDTH - LABEL_W - 12) / len(columns))
    head, row = 58, 32
    height = head + row * len(ranked) + 8
    shares = [[part.count / (columns[c].count or 1) for c, part in enumerate(t.result.by_perspective)]
              for t in ranked]
    most = max((share for row_shares in shares for share in row_shares), default=1)
    body = []
    for c, part in enumerate(columns):
        x = LABEL_W + 12 + c * col_w + col_w / 2
        chars = max(int(col_w / 6.2), 6)
        body.append(_text(x, head / 2 - 6, _lines(perspective_label(part), chars, 2), 11.5, INK, "middle", "bold"))
        body.append(_text(x, head - 10, [ngettext("%(num)s dot", "%(num)s dots", part.count)], 10.5, MUTED, "middle"))
    for n, theme in enumerate(ranked):
        y = head + n * row
        body.append(_text(0, y + row / 2, _lines(theme.name, 42, 2), 12))
        for c, part in enumerate(theme.result.by_perspective):
            share = shares[n][c]
            strength = _strength(share, most)
            x = LABEL_W + 12 + c * col_w
            body.append(f'<rect x="{x + 1:.1f}" y="{y + 1}" width="{col_w - 2:.1f}" height="{row - 2}" '
                        f'fill="{_mix(strength)}" stroke="{RULE}" stroke-width="0.5"/>')
            colour = "#ffffff" if strength >= 0.66 else INK
            label = percent(share) if part.count else "–"
            body.append(_text(x + col_w / 2, y + row / 2, [label], 12, colour, "middle"))
    title = _("Perspective comparison")
    return Chart("perspective_comparison", title,
                 _("Each column shows how one perspective spread its dots over the themes, as a share of "
                   "that perspective's own dots; darker means a larger share."),
                 _svg(WIDTH, height, body, title), WIDTH, height)


def matrix_charts(guide: Guide) -> list[Chart]:
    """For each matrix round, the 2x2 of mean impact (up) against mean feasibility (across), each
    rated theme a numbered mark at its means, named in the list beside the square."""
    charts = []
    for round_ in guide.rounds:
        rated = round_.rated
        if not rated:
            continue
        x0, y0, side = 48, 16, 340
        height = y0 + side + 44
        at = lambda value: (value - 1) / 4 * side  # noqa: E731 - 1..5 onto the side
        body = [f'<rect x="{x0}" y="{y0}" width="{side}" height="{side}" fill="#ffffff" stroke="{MUTED}"/>']
        labels = []
        for r, row in enumerate(round_.quadrants):
            for c, quadrant in enumerate(row):
                x, y = x0 + c * side / 2, y0 + r * side / 2
                if quadrant.high_impact and quadrant.high_feasibility:
                    body.append(f'<rect x="{x}" y="{y}" width="{side / 2}" height="{side / 2}" fill="#eaf5ee"/>')
                labels.append(_text(x + 6, y + 14, [_(QUADRANT_NAMES[quadrant.key])], 11, MUTED))
        body += [f'<line x1="{x0 + side / 2}" y1="{y0}" x2="{x0 + side / 2}" y2="{y0 + side}" stroke="{RULE}"/>',
                 f'<line x1="{x0}" y1="{y0 + side / 2}" x2="{x0 + side}" y2="{y0 + side / 2}" stroke="{RULE}"/>']
        body += labels
        body.append(_text(x0 + side / 2, y0 + side + 18, [_("Feasibility")], 12, MUTED, "middle", "bold"))
        body.append(f'<g transform="translate(14 {y0 + side / 2}) rotate(-90)">'
                    + _text(0, 0, [_("Impact")], 12, MUTED, "middle", "bold") + "</g>")
        for e in rated:
            cx, cy = x0 + at(e.feasibility), y0 + side - at(e.impact)
            body.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="11" fill="{ACCENT}"/>')
            body.append(_text(cx, cy, [str(e.rank)], 11, "#ffffff", "middle", "bold"))
        legend_x = x0 + side + 28
        for n, e in enumerate(rated[:12]):
            label = f"{e.rank}. {e.name}"
            body.append(_text(legend_x, y0 + 12 + n * 30, _lines(label, 40, 1), 12, INK, weight="bold"))
            body.append(_text(legend_x, y0 + 26 + n * 30, [_("impact %(impact)s, feasibility %(feasibility)s",
                                                             impact=decimal(e.impact, 1), feasibility=decimal(e.feasibility, 1))],
                              11, MUTED))
        title = _("Impact and feasibility: %(round)s", round=round_.title)
        charts.append(Chart(f"matrix_{round_.position}", title,
                            _("Each numbered mark is a theme at its mean impact (up) and mean feasibility (across), "
                              "both rated from 1 to 5; the upper right square holds what to do first."),
                            _svg(WIDTH, height, body, title), WIDTH, height))
    return charts


CHARTS = (vote_bars, perspective_comparison, matrix_charts)


def charts_for(guide: Guide) -> list[Chart]:
    """Every chart the guide has data for (a builder gives one chart, none, or one per round)."""
    found: list[Chart] = []
    for build in CHARTS:
        made = build(guide)
        found += made if isinstance(made, list) else [made] if made is not None else []
    return found
