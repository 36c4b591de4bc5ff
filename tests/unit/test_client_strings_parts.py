"""The browser's strings are kept by screen in workshop/client_strings/: a key defined in two
parts would silently take the later part's text, so each key is defined once."""
from __future__ import annotations

from collections import Counter

from workshop.client_strings import CLIENT_STRINGS, PARTS


def test_every_client_string_key_is_defined_in_one_part_only():
    counts = Counter(key for part in PARTS for key in part)
    assert [key for key, n in counts.items() if n > 1] == []
    assert len(CLIENT_STRINGS) == sum(len(part) for part in PARTS) > 500
