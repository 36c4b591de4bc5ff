"""Numbers in the workshop's language, the same in every format of the guide.

A Swedish organiser reads "1,25" and "60 %" (a no-break space before the sign, so the sign never
wraps onto a line of its own), an English one "1.25" and "60%". Babel knows each locale's rules;
this module is the one place the guide's renderers, charts and tables ask for them, so no format
writes a decimal point into a Swedish guide. Needs an app context with Flask-Babel (the renderers
choose the language with ``force_locale``).
"""
from __future__ import annotations

import re

from babel.numbers import format_decimal
from flask_babel import format_percent, get_locale

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
NBSP = "\u00a0"


def percent(value: float) -> str:
    """0.6 as "60 %" in Swedish (one no-break space) and "60%" in English."""
    return _SPACES.sub(NBSP, format_percent(value))


def decimal(value: int | float, digits: int = 2) -> str:
    """At most ``digits`` decimals, none for a whole number: 1.25 as "1,25" in Swedish, 16.0 as "16"."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return _SPACES.sub(NBSP, format_decimal(round(value, digits), format="0." + "#" * digits,
                                            locale=get_locale() or "en"))


def decimal_separator() -> str:
    """"," in Swedish, "." in English: the workshop's own, as a spreadsheet in that language expects."""
    return "," if decimal(0.5).startswith("0,") else "."
