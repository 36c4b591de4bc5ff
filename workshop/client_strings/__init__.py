"""Strings the browser modules show, translated on the server for the current locale.

base.html renders ``client_strings()`` into a JSON data block, and ``static/js/i18n.js`` reads it;
the browser never loads a catalog. Keys are stable identifiers used by the JavaScript; values are
msgids in English (the source language), extracted by Babel like any other ``lazy_gettext``.
Placeholders use ``%(name)s``; the client substitutes them. Plurals for English and Swedish are
two keys, ``<key>.one`` and ``<key>.other``. The strings are kept by screen, one module each;
a key is defined once (a test checks it).
"""
from __future__ import annotations

from flask_babel import gettext

from ..domain.phases import PHASE_TITLES
from . import console, method, setup_rounds, shared


PARTS = (shared.STRINGS, console.STRINGS, method.STRINGS, setup_rounds.STRINGS)
CLIENT_STRINGS = {key: value for part in PARTS for key, value in part.items()}


def client_strings() -> dict[str, str]:
    """The client strings in the current locale, ready for ``|tojson``."""
    return {key: str(value) for key, value in CLIENT_STRINGS.items()}


def phase_title(key: str) -> str:
    """A phase's name in the current locale, for the server's pages (the organiser's list)."""
    title = PHASE_TITLES.get(key)
    return gettext(title) if title else key
