"""Text made safe for a spreadsheet: every cell, heading and sheet name of the XLSX and both CSVs.

Facilitators name perspectives, lanes, tags and themes, and participants type items, advice and
proposals; all of it reaches cells the organiser opens in Excel. Three things can go wrong there:

- a cell that begins with ``=``, ``+``, ``-``, ``@``, tab or carriage return is run as a formula
  (``=HYPERLINK("http://evil.example", "x")``), so such text gets a leading apostrophe (OWASP);
- a control character or a lone surrogate cannot be written to XML at all (openpyxl raises
  ``IllegalCharacterError``), so it is removed rather than failing the whole export;
- a CSV is read with the reader's own list separator: Swedish Excel splits on ``;``. A field such
  as ``x;=9+9`` is one quoted field for a comma reader, but a semicolon reader may start a new
  field at the ``;`` and run ``=9+9``. So every dangerous character that a separator or a line
  break (and any quotes or spaces after it) brings to the start of a field gets an apostrophe
  too, whichever separator the reader uses.

``cell`` is the one function every value passes through; ``csv_field`` adds the separator rule
and ``sheet_title`` Excel's own rules for sheet names.
"""
from __future__ import annotations

import re

from .text import FORMULA_START, xml_safe

_SURROGATE = re.compile("[\ud800-\udfff]")
# A separator or line break of either kind of reader, any quotes or spaces, then what starts a formula.
_AFTER_SEPARATOR = re.compile("(?<=[;,\r\n])([\" ]*)(?=[=+\\-@\t\r])")
# Excel refuses these in a sheet name, and a name longer than 31 characters.
_NOT_IN_SHEET_NAME = re.compile(r"[\\/?*\[\]:]")
SHEET_NAME_MAX = 31


def clean(text: str) -> str:
    """What XML can hold: no control characters (tab, newline and return stay), no lone surrogates."""
    return _SURROGATE.sub("", xml_safe(text))


def cell(value):
    """Any value as a spreadsheet cell: numbers and empty cells as they are, text that can never be
    read as a formula or break the file."""
    if not isinstance(value, str):
        return value
    text = clean(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_field(value):
    """A cell for a CSV that a comma reader and a semicolon reader both read as text."""
    value = cell(value)
    return _AFTER_SEPARATOR.sub("\\1'", value) if isinstance(value, str) else value


def sheet_title(text: str, fallback: str = "Sheet") -> str:
    """A sheet name Excel accepts: no ``\\ / ? * [ ] :``, not starting or ending with an
    apostrophe, at most 31 characters, never empty."""
    name = _NOT_IN_SHEET_NAME.sub(" ", clean(text)).replace("\t", " ").replace("\r", " ").replace("\n", " ")
    name = name.strip().strip("'").strip()[:SHEET_NAME_MAX].strip().strip("'").strip()
    return name or fallback
