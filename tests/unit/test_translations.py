"""Swedish and English stay complete: every string in the code is in the Swedish catalog, translated,
with the same placeholders as the English original."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "workshop" / "translations" / "sv" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")


def _catalog():
    with PO.open("rb") as handle:
        return read_po(handle, locale="sv")


def _ids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def test_every_string_in_the_code_is_in_the_swedish_catalog(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-k", "lazy_gettext", "-k", "_l", "-k", "N_", "-k", "Msg", "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        extracted = {_ids(m)[0] for m in read_po(handle) if m.id}
    known = {_ids(m)[0] for m in _catalog() if m.id}
    missing = sorted(extracted - known)
    assert not missing, f"run `make translations` and translate: {missing[:10]}"


def test_every_swedish_entry_is_translated_and_not_fuzzy():
    untranslated = [m.id for m in _catalog() if m.id and (not all(_strings(m)) or m.fuzzy)]
    assert not untranslated, untranslated[:10]


def test_translations_keep_their_placeholders():
    for message in _catalog():
        if not message.id:
            continue
        expected = set(PLACEHOLDER.findall(" ".join(_ids(message))))
        for translated in _strings(message):
            assert set(PLACEHOLDER.findall(translated)) == expected, message.id
