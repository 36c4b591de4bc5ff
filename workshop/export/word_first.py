"""The DOCX's first page: the question, who took part, and the summary a director reads in two
minutes (the top themes with their key contributions, cited by number, and the support proposed).

Kept apart from word.py so each stays readable; it draws with word.py's styles (Title, Heading 1,
Heading 2 and List Bullet are Word's built-in styles, so an editor's change to one reaches the page).
"""
from __future__ import annotations

from docx.shared import Pt, RGBColor
from flask_babel import gettext as _

from workshop.domain.guide import Guide
from workshop.domain.guide_brief import brief

from .labels import (cite_label, from_label, lane_heading, long_date, perspective_label, support_type,
                    theme_numbers)
from . import editorial
from .text import xml_safe
from .word_styles import ACCENT, MUTED, SUMMARY, note_run



def _line(doc, label: str, value: str, size: float = 10):
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(1)
    key = paragraph.add_run(label + ": ")
    key.bold, key.font.color.rgb, key.font.size = True, MUTED, Pt(size)
    paragraph.add_run(xml_safe(value)).font.size = Pt(size)
    return paragraph


def first_page(doc, guide: Guide) -> None:
    t = guide.title
    eyebrow = doc.add_paragraph()
    run = eyebrow.add_run(_("Consolidated support guide").upper())
    run.bold, run.font.size, run.font.color.rgb = True, Pt(9), ACCENT
    if t.draft:
        draft = eyebrow.add_run("   " + _("Draft").upper())
        draft.bold, draft.font.color.rgb = True, RGBColor(0x9A, 0x5B, 0x00)
    doc.add_heading(xml_safe(t.question), level=0)
    if t.draft:
        phase = _(t.phase_title) if t.phase_title else t.phase
        note = doc.add_paragraph(_("The workshop is still open (phase: %(phase)s) and this guide may change.",
                                   phase=phase))
        note.runs[0].italic = True
    facts = [(_("Organiser"), t.organiser)] if t.organiser else []
    facts += [(_("Date"), long_date(t.date)), (_("Workshop code"), t.code)]
    _line(doc, " · ".join(label for label, _v in facts), " · ".join(v for _l, v in facts))
    took_part = f"{t.participants}" + (f" ({guide.votes.voters} " + _("Voters").lower() + ")" if guide.votes else "")
    if t.participants_by_perspective:
        took_part += ": " + ", ".join(f"{perspective_label(p)} {p.count}" for p in t.participants_by_perspective)
    _line(doc, _("Who took part"), took_part)
    e = guide.editorial
    # Less space above the summary than above a chapter, and its numbers on the line above (who took
    # part, how many voted): what a director reads keeps to the first page.
    doc.add_heading(_("Summary"), level=1).paragraph_format.space_before = Pt(8)
    editorial.docx_part(doc, editorial.conclusion_heading(), e.conclusion if e else "")
    if not guide.votes:
        doc.add_paragraph(_("No votes have been cast yet, so the themes are not prioritised."))
    for entry in brief(guide):
        _top_theme(doc, guide, entry)
    editorial.docx_part(doc, editorial.next_steps_heading(), e.next_steps if e else "")
    # The page ends here: the contents' heading starts the next one (``word._contents``), so no
    # empty paragraph carrying a break can push the first page's last line over.


def _top_theme(doc, guide: Guide, entry) -> None:
    theme = entry.theme
    doc.add_heading(f"{theme.result.rank}. {xml_safe(theme.name)}", level=3)
    numbers = theme_numbers(theme, guide.votes) + (" · " + _("shared rank") if theme.result.tied else "")
    small = doc.add_paragraph()
    small.paragraph_format.space_after = Pt(1)
    note_run(small, numbers)
    for lane in entry.key_points:
        for item in lane.groups[0].items:
            paragraph = doc.add_paragraph(style=SUMMARY)
            paragraph.add_run(lane_heading(lane) + ": ").bold = True
            paragraph.add_run(xml_safe(item.text))
            note_run(paragraph, " (" + cite_label(item) + ")")
    if entry.decision:
        _line(doc, editorial.decisions_heading(), editorial.decision_line(entry.decision), 9.5)
    elif entry.support:
        text = "; ".join(f"{support_type(p.type)}: {p.description} ({from_label(p.perspective)})" for p in entry.support)
        _line(doc, _("Support proposed"), text, 9.5)
