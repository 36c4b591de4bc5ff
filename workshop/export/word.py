"""The support guide as a Word document, for the organiser to edit into official support material.

Everything an editor touches is a real Word construct: the question is the Title, chapters are
Heading 1 and themes Heading 2 (Word's built-in styles, so the navigation pane works and an editor's
own changes to a style reach every heading), lists use the List Bullet style, results are Word
tables with a repeating header row, and the charts are PNG images rasterised from the same SVG as
the PDF's. The table of contents is written at export, each chapter a link to a bookmark on its
heading, so Word never asks to update fields; the footer's page number and count are the only
fields, which Word lays out by itself without asking.

python-docx escapes XML itself; ``xml_safe`` removes the control characters XML cannot hold.
"""
from __future__ import annotations

import io

import cairosvg
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import _Cell
from docx.shared import Cm, Pt, RGBColor
from flask_babel import force_locale, gettext as _

from workshop.domain.guide import Guide, GuideItem
from workshop.domain.guide_brief import quoted_refs, theme_editorial

from .labels import (PRODUCT, also_said_label, dots_sum, from_label, full_label, generated_with, lane_heading,
                    method_label, percent, perspective_label, rank_label, refs_label, results_legend,
                    support_heading, support_line, theme_label, theme_numbers, trace_note)
from . import editorial, validation
from .charts import charts_for
from .rounds import METHOD_NAMES, round_rules, round_table, round_turnout
from .text import xml_safe
from .word_first import first_page
from .word_styles import ACCENT, MUTED, note_run, set_styles

HEAD_FILL = "1F4E79"
RULE = "D9DDE3"


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC ...) that Word computes when it lays out the document."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.extend([begin, instr, separate])
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def _page_setup(doc, guide: Guide) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.4), Cm(2.2)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    title = guide.title.question + (" · " + _("Draft") if guide.title.draft else "")
    run = header.add_run(xml_safe(title))
    run.font.size, run.font.color.rgb = Pt(8.5), MUTED
    footer = section.footer.paragraphs[0]
    footer.add_run(_("Consolidated support guide") + "    ").font.color.rgb = MUTED
    _field(footer, "PAGE", "1")
    footer.add_run(" / ")
    _field(footer, "NUMPAGES", "1")
    for run in footer.runs:
        run.font.size = Pt(8.5)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _borders(table) -> None:
    """Light horizontal rules only, as in the PDF; Word's grid style draws every cell in black."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        visible = edge in ("top", "bottom", "insideH")
        element.set(qn("w:val"), "single" if visible else "nil")
        if visible:
            element.set(qn("w:sz"), "4")
            element.set(qn("w:color"), RULE)
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _table(doc, header: list[str], rows: list[list], widths: list[float], numeric: set[int] = frozenset()):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borders(table)
    head = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    head._tr.get_or_add_trPr().append(repeat)
    for n, label in enumerate(header):
        cell = head.cells[n]
        _shade(cell, HEAD_FILL)
        run = cell.paragraphs[0].add_run(label)
        run.bold, run.font.size, run.font.color.rgb = True, Pt(9), RGBColor(0xFF, 0xFF, 0xFF)
        if n in numeric:
            cell.paragraphs[0].alignment = 2
    # Word reads the cells' widths, LibreOffice the grid's: set both.
    for n, width in enumerate(widths):
        table.columns[n].width = head.cells[n].width = Cm(width)
    # Rows are built on the XML: python-docx's row.cells walks the whole table each time, which
    # makes a 1,000-row appendix quadratic.
    for values in rows:
        tr = table._tbl.add_tr()
        for n, value in enumerate(values):
            tc = tr.add_tc()
            tc.width = Cm(widths[n])
            paragraph = _Cell(tc, table).paragraphs[0]
            paragraph.add_run(xml_safe(str(value))).font.size = Pt(9.5)
            if n in numeric:
                paragraph.alignment = 2  # right
    doc.add_paragraph()
    return table


def _contents(doc):
    """The contents' heading and a place for its entries, filled in by ``_fill_contents`` once the
    chapters exist. A TOC field would show "Right-click and choose Update field" until the reader
    did so, and make Word ask to update fields on opening."""
    heading = doc.add_paragraph()
    heading.paragraph_format.page_break_before = True  # after the first page
    run = heading.add_run(_("Contents"))
    run.bold, run.font.size, run.font.color.rgb = True, Pt(17), ACCENT
    return doc.add_paragraph()  # the themes follow on the same page


def _fill_contents(doc, place) -> None:
    """One line per chapter (Heading 1), a link to a bookmark on the heading, in the heading's own words."""
    chapters = [p for p in doc.element.body.iterchildren(qn("w:p")) if p.style == "Heading1"]
    for n, p in enumerate(chapters, start=1):
        name = f"chapter_{n}"
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(n))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(n))
        p.pPr.addnext(start)  # a heading always has its style in pPr
        p.append(end)
        entry = place.insert_paragraph_before()
        entry.paragraph_format.space_after = Pt(3)
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), name)
        link.set(qn("w:history"), "1")
        run = entry.add_run("".join(t.text or "" for t in p.iter(qn("w:t"))))
        run.font.color.rgb = ACCENT
        link.append(run._r)
        entry._p.append(link)
    place._p.getparent().remove(place._p)


def _styled(doc, style_name: str):
    """A paragraph in a named style, set by its id: python-docx's lookup by name scans every style
    for each paragraph, which dominates the time of a guide with a thousand contributions."""
    paragraph = doc.add_paragraph()
    paragraph._p.style = _STYLE_IDS.get(style_name) or doc.styles[style_name].style_id
    return paragraph


_STYLE_IDS = {"List Bullet": "ListBullet", "Quote": "Quote"}


def _bullet(doc, item: GuideItem, quoted: bool = False) -> None:
    """A contribution in full, the one place it is printed so: its text, then its number, how many
    times and from where it was said, its marks, and a merged group's other wordings. A chosen
    quote is set in italics and marked, rather than printed a second time."""
    paragraph = _styled(doc, "List Bullet")
    text = paragraph.add_run(xml_safe(f"“{item.text}”" if quoted else item.text))
    text.italic = quoted or None
    note_run(paragraph, "  " + xml_safe(full_label(item) + (" · " + editorial.quote_mark() if quoted else "")))
    if item.also_said:
        note_run(paragraph, "  " + xml_safe(also_said_label(item))).italic = True


def _lane_lists(doc, lanes, level: int = 3, quoted=frozenset()) -> None:
    for lane in lanes:
        doc.add_heading(xml_safe(lane_heading(lane)), level=level)
        for item in lane.groups[0].items:
            _bullet(doc, item, item.ref in quoted)


def _themes(doc, guide: Guide) -> None:
    doc.add_heading(_("Prioritised themes"), level=1)
    if not guide.themes:
        doc.add_paragraph(_("No themes were formed."))
    if guide.votes and guide.themes:
        _table(doc, [_("Rank"), _("Theme"), _("Dots"), _("Share"), _("Voters")],
               [[rank_label(t), t.name, t.result.score, percent(t.result.share), t.result.voters]
                for t in guide.themes], [2.2, 9.0, 1.8, 1.8, 1.8], numeric={2, 3, 4})
        _note(doc, results_legend())
    if guide.themes:
        _note(doc, _("Every contribution is printed here in full, once, under its theme, numbered in reading "
                     "order; elsewhere the guide cites it by its number."))
    words, quoted = theme_editorial(guide), quoted_refs(guide)
    for n, theme in enumerate(guide.themes, start=1):
        number = theme.result.rank if theme.result else n
        doc.add_heading(f"{number}. {xml_safe(theme.name)}", level=2)
        if theme.result:
            text = theme_numbers(theme, guide.votes) + "."
            if theme.result.tied:
                text += " " + _("The rank is shared with another theme.")
            doc.add_paragraph(text)
            split = [f"{perspective_label(p)} {p.count}" for p in theme.result.by_perspective if p.count]
            if len(guide.votes.perspectives) > 1 and split:
                paragraph = doc.add_paragraph()
                paragraph.add_run(_("Dots by perspective") + ": ").bold = True
                paragraph.add_run(xml_safe(", ".join(split)))
        if theme.id in words and words[theme.id].synthesis:
            paragraph = doc.add_paragraph()
            paragraph.add_run(editorial.synthesis_label() + ": ").bold = True
            editorial.docx_prose(doc, words[theme.id].synthesis)
        if not theme.items:
            doc.add_paragraph(_("No contributions are linked to this theme."))
        _lane_lists(doc, theme.by_lane, quoted=quoted)
    if guide.unthemed:
        doc.add_heading(xml_safe(theme_label(None)), level=1)
        _lane_lists(doc, guide.unthemed_by_lane, level=2)


def _note(doc, text: str) -> None:
    note_run(doc.add_paragraph(), text)


def _advice(doc, guide: Guide) -> None:
    if guide.support or (guide.editorial and guide.editorial.decisions):
        doc.add_heading(support_heading(guide), level=1)
        editorial.docx_decisions(doc, guide, _table)
        if guide.support and guide.editorial and guide.editorial.decisions:
            doc.add_heading(_("Concrete support proposals"), level=2)
        for group in guide.support:
            doc.add_heading((f"{group.rank}. " if group.rank else "") + xml_safe(group.theme_name), level=2)
            for proposal in group.proposals:
                doc.add_paragraph(xml_safe(support_line(proposal)), style="List Bullet")
    doc.add_heading(_("Advice from the participants"), level=1)
    if not guide.advice_from:
        doc.add_paragraph(_("No advice was recorded."))
    for advice in guide.advice_from:
        paragraph = _styled(doc, "Quote")
        paragraph.add_run(xml_safe(advice.text))
        note_run(paragraph, " — " + xml_safe(from_label(advice.perspective)))


def _validation(doc, guide: Guide) -> None:
    validation.docx(doc, guide, _table)


def _charts(doc, guide: Guide) -> None:
    charts = charts_for(guide)
    if not charts:
        return
    doc.add_heading(_("Charts"), level=1)
    for chart in charts:
        doc.add_heading(chart.title, level=2)
        description = doc.add_paragraph()
        description.paragraph_format.keep_with_next = True  # never a caption at a page's foot, its chart overleaf
        note_run(description, chart.description)
        png = cairosvg.svg2png(bytestring=str(chart.svg).encode("utf-8"), output_width=chart.width * 2)
        shape = doc.add_picture(io.BytesIO(png), width=Cm(16.4))
        shape._inline.docPr.set("descr", chart.description)
        shape._inline.docPr.set("title", chart.title)


def _appendix(doc, guide: Guide) -> None:
    if guide.votes:
        doc.add_heading(_("Appendix: from votes to ranks"), level=1)
        doc.add_paragraph(trace_note())
        _table(doc, [_("Rank"), _("Theme"), _("Dots from the ballots"), _("Voters"), _("Contributions (numbers)")],
               [[rank_label(t), t.name, dots_sum(t), t.result.voters, refs_label(t)] for t in guide.themes],
               [1.6, 5.2, 4.6, 1.6, 3.8], numeric={3})
    doc.add_heading(_("Method and voting rules"), level=1)
    _table(doc, [_("Rule"), _("Value")], [
        [_("Method"), method_label(guide.title.method)],
        [_("Dots per participant"), guide.rules.dots],
        [_("Most dots on one theme"), guide.rules.max_per_entry],
        [_("Ranking"), _("Themes with equal scores share a rank, and the next rank is skipped (1, 2, 2, 4).")],
    ], [5.0, 11.8])
    if guide.rounds:
        doc.add_heading(_("Appendix: voting rounds"), level=1)
    for round_ in guide.rounds:
        doc.add_heading(f"{xml_safe(round_.title)}: {_(METHOD_NAMES[round_.rules.method])}", level=2)
        doc.add_paragraph(round_rules(round_))
        doc.add_paragraph(round_turnout(round_))
        headers, rows = round_table(round_)
        widths = [1.6, 4.2, 1.5, 1.4, 1.5, 2.2, 1.4] + ([1.4, 1.6, 2.2] if len(headers) > 7 else [])
        _table(doc, headers, rows, widths, numeric={2, 3, 4, 6})


def render_docx(guide: Guide, language: str | None = None) -> bytes:
    if language:
        with force_locale(language):
            return render_docx(guide)
    doc = Document()
    set_styles(doc)
    _page_setup(doc, guide)
    doc.core_properties.title = xml_safe(guide.title.question)
    doc.core_properties.language = guide.title.language
    doc.core_properties.author = doc.core_properties.last_modified_by = PRODUCT
    first_page(doc, guide)
    contents = _contents(doc)
    for part in (_themes, _advice, _validation, _charts, _appendix):
        part(doc, guide)
    note_run(doc.add_paragraph(), generated_with())
    _fill_contents(doc, contents)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

