"""Voting rounds in the guide, the same way in every format: method and rules, turnout, rank table."""
from __future__ import annotations

from flask_babel import gettext as _

from workshop.domain.errors import N_
from workshop.domain.tally import tells_agreement
from .numbers import decimal


METHOD_NAMES = {"dots": N_("Dot voting"), "matrix": N_("Impact and feasibility matrix"),
                "ranking": N_("Ranking (Borda count)")}
CONSENSUS_NAMES = {"strong": N_("broad agreement"), "mixed": N_("some disagreement"), "divided": N_("divided")}
TARGET_NAMES = {"themes": N_("The themes"), "proposals": N_("The proposed support")}
QUADRANT_NAMES = {"do_first": N_("Do first"), "plan": N_("Plan carefully"), "easy_win": N_("Easy wins"),
                  "reconsider": N_("Reconsider")}


def round_rules(round_) -> str:
    """The round's method and rules, and what its table's spread and consensus mean (a bare
    "Spread 1.25" or "some disagreement" tells an organiser nothing)."""
    return " ".join((_method_rules(round_), _("Spread is how far the voters' values lie from their mean (the "
                                              "standard deviation): 0 means every voter gave the same."),
                     _consensus_rule(round_)))


def _consensus_rule(round_) -> str:
    if round_.rules.method == "dots":
        return _("Consensus: broad agreement when at least half of the voters gave the entry a dot, some "
                 "disagreement when at least a quarter did, otherwise divided.") + " " + _few_rule()
    return _("Consensus: broad agreement when the spread is at most a quarter of the widest possible, some "
             "disagreement up to half of it, otherwise divided.") + " " + _few_rule()


def _few_rule() -> str:
    return _("With fewer than three voters behind an entry, the table says too few votes to tell.")


def _method_rules(round_) -> str:
    rules = round_.rules
    if rules.method == "dots":
        return _("Dot voting: %(dots)s dots each, at most %(max)s on one theme.", dots=rules.dots, max=rules.max_per_entry)
    if rules.method == "matrix":
        return _("Each person rated impact and feasibility from 1 to 5; the score is mean impact times mean "
                 "feasibility, and a mean of 3 or more counts as high.")
    return _("Each person ranked the themes; with %(m)s themes, first place scores %(top)s points, each place "
             "below one point less, and unranked themes score nothing.", m=len(round_.entries),
             top=max(len(round_.entries) - 1, 0))


def round_turnout(round_) -> str:
    return _("Voters: %(voters)s, of whom %(paper)s on paper.", voters=round_.voters, paper=round_.paper_voters)


def round_table(round_) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of a round's rank table: rank (ties shown), score, voters, spread."""
    matrix = round_.rules.method == "matrix"
    score = _("Dots") if round_.rules.method == "dots" else _("Score")  # a dot round's score is its dots
    headers = [_("Rank"), _entry_heading(round_), score, _("Voters"), _("Spread"), _("Consensus"), _("On paper")]
    if matrix:
        headers += [_("Impact"), _("Feasibility"), _("Quadrant")]
    rows = []
    for e in round_.entries:
        rank = _("%(rank)s (shared)", rank=e.rank) if e.tied else str(e.rank)
        row = [rank, e.name, _number(e.score), str(e.voters), "–" if e.spread is None else _number(e.spread),
               _consensus_name(e) or "–", str(e.paper)]
        if matrix:
            row += ["–" if e.impact is None else _number(e.impact), "–" if e.feasibility is None else _number(e.feasibility),
                    _(QUADRANT_NAMES[e.quadrant]) if e.quadrant else "–"]
        rows.append(row)
    return headers, rows


def _consensus_name(entry) -> str:
    """The entry's consensus in words, or that too few voted for one to mean anything."""
    if not entry.consensus_label:
        return ""
    if not tells_agreement(entry.voters):
        return _("too few votes to tell")
    return _(CONSENSUS_NAMES[entry.consensus_label])


def _entry_heading(round_) -> str:
    return _("Support proposal") if round_.target == "proposals" else _("Theme")


def rounds_header() -> list[str]:
    """The columns of the rounds as data (the XLSX sheet and the rounds CSV): one row per entry
    per round, the round's own columns repeated on each row so a filter on one round, or a pivot
    across rounds, needs nothing else."""
    return [_("Round"), _("Round title"), _("Method"), _("Voted on"), _("Ballots"), _("Ballots on paper"),
            _("Rank"), _("Shared rank"), _("Theme or proposal"), _("Score"), _("Voters"), _("Spread"),
            _("Consensus"), _("On paper"), _("Impact"), _("Feasibility"), _("Quadrant")]


def rounds_rows(guide) -> list[list]:
    """Numbers stay numbers (rounded as the guide shows them); a value that does not apply is empty."""
    rows = []
    for round_ in guide.rounds:
        head = [round_.position, round_.title, _(METHOD_NAMES[round_.rules.method]),
                _(TARGET_NAMES.get(round_.target, TARGET_NAMES["themes"])), round_.voters, round_.paper_voters]
        for e in round_.entries:
            rows.append(head + [
                e.rank, _("Yes") if e.tied else "", e.name, _rounded(e.score), e.voters, _rounded(e.spread),
                _consensus_name(e), e.paper,
                _rounded(e.impact), _rounded(e.feasibility), _(QUADRANT_NAMES[e.quadrant]) if e.quadrant else ""])
    return rows


def _rounded(value):
    """16.0 is written 16, so the CSV and the spreadsheet show the same figure."""
    if value is None:
        return ""
    value = round(value, 2)
    return int(value) if float(value).is_integer() else value


def _number(value) -> str:
    """A score, spread or mean as the guide prints it: two decimals at most, in the workshop's language."""

    return decimal(value)
