"""The support guide as Markdown, for publishing on an intranet or in a wiki.

Built in Python rather than from a template because Markdown is whitespace-sensitive and every
piece of user text must be escaped: participants type freely, and a contribution such as
"# Ledning" or "<script>" has to stay text in whatever Markdown renderer the organiser uses.
"""
from __future__ import annotations

import re

from flask_babel import force_locale, gettext as _

from workshop.domain.guide import Guide, GuideTheme
from workshop.domain.tally import MIDPOINT

from workshop.domain.guide_brief import brief, quoted_refs, theme_editorial

from .labels import (also_said_label, cite_label, dots_sum, from_label, full_label, generated_with,
                    lane_heading, long_date, method_label, percent, perspective_label, rank_label, refs_label,
                    results_legend, support_heading, support_line, support_type, theme_label, theme_numbers,
                    trace_note, vote_overview)
from .rounds import METHOD_NAMES, QUADRANT_NAMES, round_rules, round_table, round_turnout
from . import editorial, validation

_BACKSLASHED = re.compile(r"([\\`*_\[\]#|~])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(\s*)([-+=])")
_ORDERED = re.compile(r"^(\s*\d+)([.)])")


def md(text: str | None) -> str:
    """Escape user text so it renders literally, on one line (lists and tables need that)."""
    text = " ".join(str(text or "").split())
    text = _BACKSLASHED.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    text = _LINE_START.sub(r"\1\\\2", text)
    return _ORDERED.sub(r"\1\\\2", text)


# Labels are passed in already translated and never built inside f-strings, where pybabel's
# extractor would not find the msgids.
def _heading(level: int, label: str) -> str:
    return "#" * level + " " + label


def _strong(label: str) -> str:
    return "**" + label + ".**"


def _field(label: str, value) -> str:
    return "- **" + label + ":** " + str(value)


def _table(header: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> list[str]:
    align = ["---:" if n in numeric else "---" for n in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def _split(theme: GuideTheme) -> str:
    parts = [f"{md(perspective_label(p))} {p.count}" for p in theme.result.by_perspective if p.count]
    return ", ".join(parts)


def _title(guide: Guide) -> list[str]:
    title = guide.title
    out = [f"# {md(title.question)}", ""]
    if title.draft:
        phase = _(title.phase_title) if title.phase_title else title.phase
        out += [_strong(_("Draft")) + " " + _("The workshop is still open (phase: %(phase)s) and this guide "
                                               "may change.", phase=md(phase)), ""]
    out += ["*" + _("Consolidated support guide") + "*", ""]
    participants = str(title.participants)
    if title.participants_by_perspective:
        split = ", ".join(f"{md(perspective_label(p))} {p.count}" for p in title.participants_by_perspective)
        participants += f" ({split})"
    if title.organiser:
        out.append(_field(_("Organiser"), md(title.organiser)))
    out += [_field(_("Date"), long_date(title.date)),
            _field(_("Workshop code"), md(title.code)),
            _field(_("Participants"), participants),
            _field(_("Method"), md(method_label(title.method))), ""]
    return out


def _summary(guide: Guide) -> list[str]:
    """The first page: the top themes, each with its key contributions (cited by number) and the
    support proposed for it."""
    e = guide.editorial
    out = [_heading(2, _("Summary")), ""]
    if guide.votes:
        out += [vote_overview(guide.votes, len(guide.themes)), ""]
    out += editorial.markdown_part(editorial.conclusion_heading(), e.conclusion if e else "", md)
    if not guide.votes:
        out += [_("No votes have been cast yet, so the themes are not prioritised."), ""]
    for entry in brief(guide):
        theme = entry.theme
        # An escaped number: an ordered list would renumber a shared rank "2, 2" as "2, 3".
        line = f"{theme.result.rank}\\. **{md(theme.name)}**: " + theme_numbers(theme, guide.votes)
        out += [line + (" (" + _("shared rank") + ")" if theme.result.tied else ""), ""]
        for lane in entry.key_points:
            out.append(f"- *{md(lane_heading(lane))}:* " + "; ".join(
                f"{md(item.text)} ({md(cite_label(item))})" for item in lane.groups[0].items))
        if entry.decision:
            out.append("- *" + editorial.decisions_heading() + ":* " + md(editorial.decision_line(entry.decision)))
        elif entry.support:
            out.append("- *" + _("Support proposed") + ":* " + "; ".join(
                f"{md(support_type(p.type))}: {md(p.description)} ({md(from_label(p.perspective))})"
                for p in entry.support))
        out.append("")
    return out + editorial.markdown_part(editorial.next_steps_heading(), e.next_steps if e else "", md)


def _lane_lists(lanes, quoted=frozenset(), level: int = 4) -> list[str]:
    """Contributions in full, the only place they are printed so: text, then number, times said,
    perspectives and marks; a merged group's other wordings follow. A chosen quote is set in
    italics and marked as such, rather than printed a second time."""
    out = []
    for lane in lanes:
        out += [_heading(level, md(lane_heading(lane))), ""]
        for item in lane.groups[0].items:
            if item.ref in quoted:
                out.append(f"- *“{_contribution(item)}”* · {md(full_label(item))} · **{editorial.quote_mark()}**")
            else:
                out.append(f"- {_contribution(item)} · {md(full_label(item))}")
        out.append("")
    return out


def _themes(guide: Guide) -> list[str]:
    out = [_heading(2, _("Prioritised themes")), ""]
    if not guide.themes:
        return out + [_("No themes were formed."), ""] + _unthemed(guide)
    if guide.votes:
        out += _table([_("Rank"), _("Theme"), _("Dots"), _("Share"), _("Voters")], [
            [rank_label(t), md(t.name), str(t.result.score), percent(t.result.share), str(t.result.voters)]
            for t in guide.themes], numeric={2, 3, 4})
        out += [results_legend(), ""]
    out += [_("Every contribution is printed here in full, once, under its theme, numbered in reading order; "
              "elsewhere the guide cites it by its number."), ""]
    words, quoted = theme_editorial(guide), quoted_refs(guide)
    for n, theme in enumerate(guide.themes, start=1):
        number = theme.result.rank if theme.result else n
        out += [f"### {number}. {md(theme.name)}", ""]
        if theme.result:
            out.append(theme_numbers(theme, guide.votes) + ".")
            if _split(theme):
                out += ["", _("Dots by perspective: %(split)s.", split=_split(theme))]
            out.append("")
        if theme.id in words and words[theme.id].synthesis:
            out += ["**" + editorial.synthesis_label() + ".** "] + editorial.markdown_prose(words[theme.id].synthesis, md)
        if theme.items:
            out += _lane_lists(theme.by_lane, quoted)
        else:
            out += [_("No contributions are linked to this theme."), ""]
    return out + _unthemed(guide)


def _unthemed(guide: Guide) -> list[str]:
    """The contributions nobody grouped, in full: a chapter of their own after the themes."""
    if not guide.unthemed:
        return []
    return [_heading(2, md(theme_label(None))), ""] + _lane_lists(guide.unthemed_by_lane, level=3)


def _advice(guide: Guide) -> list[str]:
    out = []
    decisions = editorial.markdown_decisions(guide, md, _table)
    if guide.support or decisions:
        out += [_heading(2, support_heading(guide)), ""] + decisions
        if decisions and guide.support:
            out += [_heading(3, _("Concrete support proposals")), ""]
        for group in guide.support:
            out += [_heading(3, (f"{group.rank}. " if group.rank else "") + md(group.theme_name)), ""]
            out += [f"- {md(support_line(p))}" for p in group.proposals] + [""]
    out += [_heading(2, _("Advice from the participants")), ""]
    if not guide.advice:
        return out + [_("No advice was recorded."), ""]
    return out + [f"- {md(a.text)} · *{md(from_label(a.perspective))}*" for a in guide.advice_from] + [""]


def _appendix(guide: Guide) -> list[str]:
    out: list[str] = []
    if guide.votes:
        out += [_heading(2, _("Appendix: from votes to ranks")), "", trace_note(), ""]
        out += _table([_("Rank"), _("Theme"), _("Dots from the ballots"), _("Voters"), _("Contributions (numbers)")], [
            [rank_label(t), md(t.name), dots_sum(t), str(t.result.voters), refs_label(t)]
            for t in guide.themes], numeric={3})
    rules = guide.rules
    out += [_heading(2, _("Method and voting rules")), ""]
    out += [_field(_("Method"), md(method_label(guide.title.method))),
            _field(_("Dots per participant"), rules.dots),
            _field(_("Most dots on one theme"), rules.max_per_entry),
            _field(_("Ranking"), _("Themes with equal scores share a rank, and the next rank is skipped "
                                  "(1, 2, 2, 4).")),
            ""]
    return out + _rounds(guide)


def _contribution(item) -> str:
    """The appendix's text of a contribution; a merged group's other wordings follow it."""
    also = also_said_label(item)
    return md(item.text) + (" *(" + md(also) + ")*" if also else "")


def _rounds(guide: Guide) -> list[str]:
    """Every voting round: method and rules, turnout, and its rank table with ties and spread."""
    if not guide.rounds:
        return []
    out = [_heading(2, _("Appendix: voting rounds")), ""]
    for round_ in guide.rounds:
        out += [_heading(3, f"{md(round_.title)}: {_(METHOD_NAMES[round_.rules.method])}"), "",
                md(round_rules(round_)), "", md(round_turnout(round_)), ""]
        out += _quadrants(round_)
        headers, rows = round_table(round_)
        out += _table(headers, [[md(cell) for cell in row] for row in rows], numeric={2, 3, 4, 6})
    return out


def _quadrants(round_) -> list[str]:
    """A matrix round's 2x2 as a 2x2 table, laid out like the chart (impact up, feasibility across),
    each square naming what falls in it by rank, so the picture survives where no image can go."""
    if not round_.rated:
        return []
    if round_.target == "proposals":
        intro = _("Each rated proposal sits in the square of its mean impact (rows) and mean feasibility "
                  "(columns), both rated from 1 to 5; a mean of %(midpoint)s or more counts as high.", midpoint=MIDPOINT)
    else:
        intro = _("Each rated theme sits in the square of its mean impact (rows) and mean feasibility "
                  "(columns), both rated from 1 to 5; a mean of %(midpoint)s or more counts as high.", midpoint=MIDPOINT)
    header = ["", _("Feasibility below %(midpoint)s", midpoint=MIDPOINT),
              _("Feasibility %(midpoint)s or more", midpoint=MIDPOINT)]
    rows = []
    for row in round_.quadrants:
        impact = (_("Impact %(midpoint)s or more", midpoint=MIDPOINT) if row[0].high_impact
                  else _("Impact below %(midpoint)s", midpoint=MIDPOINT))
        cells = ["**" + impact + "**"]
        for quadrant in row:
            named = "; ".join(f"{e.rank}. {md(e.name)}" for e in quadrant.entries) or "–"
            cells.append("**" + _(QUADRANT_NAMES[quadrant.key]) + ":** " + named)
        rows.append(cells)
    title = _("Impact and feasibility: %(round)s", round=md(round_.title))
    return ["**" + title + "**", "", intro, ""] + _table(header, rows)


def render_markdown(guide: Guide, language: str | None = None) -> str:
    """The whole guide as one Markdown document; needs an app context with Flask-Babel."""
    if language:
        with force_locale(language):
            return render_markdown(guide)
    parts = (_title(guide) + _summary(guide) + _themes(guide) + _advice(guide)
             + validation.markdown(guide, md, _table) + _appendix(guide))
    parts += ["---", "", "*" + generated_with() + "*", ""]
    return "\n".join(parts)
