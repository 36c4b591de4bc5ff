"""Making participants' free text safe for each file format.

Participants type anything, and a guide travels far: into Word, into Excel, into a PDF mailed to
a director. Each format has its own way of turning text into something active (markup, a formula,
an XML parse error), so each renderer passes user text through the guard for its format here.
HTML relies on Jinja's autoescaping and Markdown on ``markdown.md``; these cover the rest.
"""
from __future__ import annotations

import re

# XML 1.0 allows tab, newline and carriage return but no other control characters; python-docx and
# openpyxl raise on them, so one stray character pasted from another program would break the export.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def xml_safe(text: str | None) -> str:
    return _NOT_XML.sub("", str(text or ""))


def neutralise_formula(value):
    """A spreadsheet cell must never start a formula: ``=HYPERLINK(...)`` typed by a participant
    would run when the organiser opens the file. A leading apostrophe keeps it text (OWASP)."""
    if isinstance(value, str):
        value = xml_safe(value)
        if value.startswith(FORMULA_START):
            return "'" + value
    return value
