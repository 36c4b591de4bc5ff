"""A consensus needs enough voters to mean anything: an entry with fewer than three voters behind
it is "too few votes to tell" in the guide's round tables and data, never "broad agreement" or
"some disagreement" (one voter always agrees with themself), and the rules say why."""
from __future__ import annotations

from flask_babel import force_locale

from workshop.domain.guide_rounds import RoundEntry, RoundSummary
from workshop.domain.model import VotingRules
from workshop.export.rounds import round_rules, round_table


def _round():
    entries = (RoundEntry(1, False, "Ägarskap", 9, 5, 0.8, 0.8, "strong", 0),
               RoundEntry(2, False, "Tid och resurser", 2, 1, 0.4, 1.0, "strong", 0),
               RoundEntry(3, False, "Marknadsdialog", 1, 2, 0.3, 0.4, "mixed", 0))
    return RoundSummary(1, "Omgång 1", VotingRules("dots", 5, 3), 5, 0, 12, entries)


def test_entries_with_fewer_than_three_voters_say_too_few_votes(sqlite_app):
    with sqlite_app.test_request_context(), force_locale("sv"):
        _, rows = round_table(_round())
        rules = round_rules(_round())
    consensus = {row[1]: row[5] for row in rows}
    assert consensus == {"Ägarskap": "bred samsyn", "Tid och resurser": "för få röster för att säga något",
                         "Marknadsdialog": "för få röster för att säga något"}
    assert "färre än tre röstande" in rules
