"""What a participant typed, made fit for a document: shared by the guide and its validation."""
from __future__ import annotations

import re

# Control characters (other than tab and newline) have no place in a document and break XML-based
# formats; a participant can paste them without seeing them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def printable(text: str | None) -> str | None:
    return None if text is None else _CONTROL.sub("", text)
