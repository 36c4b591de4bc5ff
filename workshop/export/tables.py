"""The guide's raw data for analysis: CSV (every contribution, one row each), a second CSV of the
voting rounds (one row per theme or proposal per round), and XLSX (the contributions, the ranked
themes, the proposed support, the advice, the validation round's comments and the voting rounds,
one sheet each, with the product as the file's creator).

The rounds are a file of their own in CSV rather than extra columns on the contributions: a round
ranks themes or proposals, not contributions, and a CSV holds one table. Existing columns of the
contributions CSV never change, so a spreadsheet built on it keeps working.

Column headings are in the workshop's language like the rest of the guide. Every cell, heading
and sheet name goes through ``spreadsheet`` (``cell``, ``csv_field``, ``sheet_title``): a
contribution or a perspective named ``=HYPERLINK("http://...")`` must stay text when the organiser
opens the file in a spreadsheet, with either list separator, and a stray control character must not
break the export.
"""
from __future__ import annotations

import csv
import io

from flask_babel import force_locale, gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from workshop.domain.guide import Guide

from .labels import (PRODUCT, from_label, item_perspective, item_perspectives, perspective_label,
                    support_type, theme_label)
from . import editorial, validation
from .rounds import rounds_header, rounds_rows
from .spreadsheet import cell as safe_cell, csv_field, sheet_title
from workshop.domain.setup import ASSESSMENT_NAMES
from .numbers import decimal, decimal_separator


def assessment_label(item) -> str:

    return _(ASSESSMENT_NAMES[item.assessment]) if item.assessment in ASSESSMENT_NAMES else ""


def _contribution_header() -> list[str]:
    # A row is a contribution as the guide counts it (a merged group once); the columns after
    # "Paper note" say how many times it was said, from which perspectives, and in which other words.
    return [_("No."), _("Contribution"), _("Lane"), _("Tag"), _("Theme"), _("Theme rank"), _("Theme votes"),
            _("Perspective"), _("Assessment"), _("Paper note"), _("Times said"), _("Perspectives"),
            _("Also said as")]


def _contribution_rows(guide: Guide) -> list[list]:
    return [[item.ref, item.text, item.lane_name, item.tag or "", theme_label(item.theme_name),
             item.theme_rank if item.theme_rank is not None else "",
             item.theme_score if item.theme_score is not None else "", item_perspective(item),
             assessment_label(item), _("Yes") if item.on_behalf else "", item.mentions, item_perspectives(item),
             "\n".join(item.also_said)]
            for item in guide.appendix]


def _csv(header: list[str], rows: list[list]) -> str:
    """A CSV that Excel opens by double-click in columns, in the workshop's language: Excel splits on
    the list separator of the reader's regional settings, which is ";" where the decimal separator
    is a comma (Swedish) and "," where it is a point (English). So a Swedish workshop's CSV uses ";"
    and decimal commas, an English one "," and decimal points. UTF-8 with a byte-order mark, so Excel
    reads å, ä and ö. Every field is quoted, and ``csv_field`` guards it against formulas whichever
    separator the reader uses."""

    delimiter = ";" if decimal_separator() == "," else ","
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    for row in [header, *rows]:
        writer.writerow([csv_field(decimal(value) if isinstance(value, float) else value) for value in row])
    return out.getvalue()


def render_csv(guide: Guide, language: str | None = None) -> str:
    if language:
        with force_locale(language):
            return render_csv(guide)
    return _csv(_contribution_header(), _contribution_rows(guide))


def render_editorial_csv(guide: Guide, language: str | None = None) -> str:
    """The editorial layer (export/editorial.py) as a CSV of its own, one row per part: conclusion,
    next steps, and per theme its synthesis, quotes and decided support. Only the header when the
    facilitator wrote nothing."""
    if language:
        with force_locale(language):
            return render_editorial_csv(guide)
    return _csv(editorial.part_header(), editorial.part_rows(guide))


def render_rounds_csv(guide: Guide, language: str | None = None) -> str:
    """Every voting round's results; only the header row when the workshop had no round."""
    if language:
        with force_locale(language):
            return render_rounds_csv(guide)
    return _csv(rounds_header(), rounds_rows(guide))


_HEAD_FONT = Font(bold=True, color="FFFFFF")
_HEAD_FILL = PatternFill("solid", fgColor="1F4E79")


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list], widths: list[int]):
    sheet = book.create_sheet(sheet_title(title))
    sheet.append([safe_cell(value) for value in header])
    for cell in sheet[1]:
        cell.font, cell.fill = _HEAD_FONT, _HEAD_FILL
        cell.alignment = Alignment(vertical="center")
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    for n, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows():
        for cell in row:
            if cell.row > 1:
                cell.alignment = wrap
            if cell.data_type == "f":  # never: safe_cell guards it, this enforces it
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    return sheet


def render_xlsx(guide: Guide, language: str | None = None) -> bytes:
    if language:
        with force_locale(language):
            return render_xlsx(guide)
    book = Workbook()
    book.remove(book.active)
    _sheet(book, _("Contributions"), _contribution_header(), _contribution_rows(guide),
           [6, 70, 16, 12, 34, 10, 10, 22, 18, 10, 10, 30, 60])
    columns = guide.votes.perspectives if guide.votes else ()
    themes = [[t.result.rank if t.result else "", t.name, t.result.score if t.result else "",
               round(t.result.share, 4) if t.result else "", t.result.voters if t.result else "",
               len(t.items)] + [p.count for p in (t.result.by_perspective if t.result else ())]
              for t in guide.themes]
    sheet = _sheet(book, _("Themes"), [_("Rank"), _("Theme"), _("Dots"), _("Share"), _("Voters"),
                                       _("Contributions")] + [perspective_label(p) for p in columns],
                   themes, [8, 40, 8, 8, 8, 12] + [14] * len(columns))
    for cell in sheet["D"][1:]:
        cell.number_format = "0%"
    _support_sheet(book, guide)
    _sheet(book, _("Advice"), [_("Advice from the participants"), _("Perspective")],
           [[a.text, from_label(a.perspective)] for a in guide.advice_from], [100, 24])
    _comments_sheet(book, guide)
    validation.xlsx(book, guide, _sheet)
    editorial.xlsx(book, guide, _sheet)
    if guide.rounds:
        _sheet(book, _("Rounds"), rounds_header(), rounds_rows(guide),
               [8, 24, 22, 18, 9, 9, 7, 8, 44, 8, 8, 8, 18, 9, 9, 11, 16])
    book.properties.title = safe_cell(guide.title.question)
    book.properties.creator = book.properties.lastModifiedBy = PRODUCT
    book.properties.language = guide.title.language
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _proposal_scores(guide: Guide) -> dict[str, int | float]:
    """Each proposal's score in the latest round that voted on the proposed support, by its text
    (a round's entries are named by the proposal's description)."""
    rounds = [r for r in guide.rounds if r.target == "proposals"]
    return {e.name: e.score for e in rounds[-1].entries} if rounds else {}


def _support_sheet(book: Workbook, guide: Guide) -> None:
    """The support proposed in the Concretise phase, one row per proposal, themes in the guide's order,
    each with the perspective it was proposed from (the decided support has a sheet of its own)."""
    if not guide.support:
        return
    scores = _proposal_scores(guide)
    rows = [[group.rank if group.rank is not None else "", group.theme_name, support_type(p.type), p.description,
             p.who_needs, scores.get(p.description, ""), from_label(p.perspective)]
            for group in guide.support for p in group.proposals]
    header = [_("Theme rank"), _("Theme"), _("Kind"), _("Support proposal"), _("Who needs it"), _("Score"),
              _("Proposed by")]
    _sheet(book, _("Support proposals"), header, rows, [10, 34, 16, 60, 30, 8, 24])


def _comments_sheet(book: Workbook, guide: Guide) -> None:
    """The validation round's comments, when the guide model carries them (``guide.comments``: each
    with ``text`` and the ``theme_name`` it is on, None for the whole guide); never an author."""
    comments = getattr(guide, "comments", None) or ()
    if not comments:
        return
    rows = [[theme_label(getattr(c, "theme_name", None)) if getattr(c, "theme_name", None) else _("The whole guide"),
             c.text] for c in comments]
    _sheet(book, _("Comments"), [_("Theme"), _("Comments")], rows, [34, 100])
