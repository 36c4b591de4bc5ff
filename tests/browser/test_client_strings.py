"""Every string the browser modules ask for exists in workshop/client_strings.py, so no screen ever
shows a raw key; the Swedish side of each is covered by tests/unit/test_translations.py."""
from __future__ import annotations

import re

from tests.live import ROOT
from workshop.client_strings import CLIENT_STRINGS

JS = ROOT / "static" / "js"
PLAIN = re.compile(r"\bt\(\"([a-z_.]+)\"")
PLURAL = re.compile(r"\btn\(\"([a-z_.]+)\"")
# Keys built at run time, listed by hand: t(`waiting.${key}.heading`) for the waiting phases.
BUILT = [f"waiting.{phase}.{part}" for phase in ("present", "concretise", "other") for part in ("heading", "intro")]


def test_every_key_the_browser_modules_use_is_a_client_string():
    used = set(BUILT)
    for module in JS.glob("*.js"):
        source = module.read_text(encoding="utf-8")
        used |= set(PLAIN.findall(source))
        used |= {f"{key}.{form}" for key in PLURAL.findall(source) for form in ("one", "other")}
    assert len(used) > 50  # the patterns still find the calls
    missing = sorted(used - CLIENT_STRINGS.keys())
    assert not missing, f"add these to workshop/client_strings.py: {missing}"


def test_client_strings_keep_one_placeholder_style():
    for key, value in CLIENT_STRINGS.items():
        text = value._args[0]  # the English msgid, read without an app or a locale
        assert "{" not in text, f"{key}: use %(name)s placeholders, which static/js/i18n.js fills in"
