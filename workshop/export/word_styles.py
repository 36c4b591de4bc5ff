"""The DOCX guide's styles: Word's built-in ones (Normal, Title, Heading 1 to 3, List Bullet, Quote,
Table Grid) given the guide's font, sizes and colour, and one character style of its own, "Guide
note", for the grey details after a contribution (its number, how often and from where it was
said) and the perspective after a proposal or a piece of advice, and one paragraph style, "Guide
summary" (List Bullet a size smaller), for the first page's key contributions, so the summary
keeps to one page.

Set in the styles, never on each run: an organiser who changes a style in Word (a heading's size,
the note's colour) changes it everywhere in the document, and the document keeps the look the
style gives it when paragraphs are moved, copied or retyped.
"""
from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

FONT = "Calibri"  # Carlito on the server has the same metrics, so the PDF and the DOCX set alike
ACCENT = RGBColor(0x1F, 0x4E, 0x79)
MUTED = RGBColor(0x5B, 0x64, 0x72)
NOTE = "Guide note"
NOTE_ID = "Guidenote"
SUMMARY = "Guide summary"  # the first page's key contributions: List Bullet, a size smaller


def set_styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Title", 22), ("Heading 1", 17), ("Heading 2", 13), ("Heading 3", 11.5)):
        style = styles[name]
        style.font.name, style.font.size, style.font.color.rgb = FONT, Pt(size), ACCENT
    for name, before, after in (("Heading 1", 18, 4), ("Heading 2", 8, 2), ("Heading 3", 4, 1)):
        styles[name].paragraph_format.space_before = Pt(before)
        styles[name].paragraph_format.space_after = Pt(after)
    styles["Title"].paragraph_format.space_after = Pt(6)
    note = styles.add_style(NOTE, WD_STYLE_TYPE.CHARACTER)
    note.base_style = styles["Default Paragraph Font"]
    note.font.size, note.font.color.rgb = Pt(9), MUTED
    note.element.styleId = NOTE_ID
    summary = styles.add_style(SUMMARY, WD_STYLE_TYPE.PARAGRAPH)
    summary.base_style = styles["List Bullet"]
    summary.font.size = Pt(9.5)
    summary.paragraph_format.space_after = Pt(0)


def note_run(paragraph, text: str):
    """A run in the "Guide note" character style, set by its id (a lookup by name scans every style)."""
    run = paragraph.add_run(text)
    run._r.get_or_add_rPr().style = NOTE_ID
    return run
