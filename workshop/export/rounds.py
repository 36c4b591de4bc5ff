"""Voting rounds in the guide, the same way in every format: method and rules, turnout, rank table."""
from __future__ import annotations

from flask_babel import gettext as _

from workshop.domain.errors import N_


METHOD_NAMES = {"dots": N_("Dot voting"), "matrix": N_("Impact and feasibility matrix"),
                "ranking": N_("Ranking (Borda count)")}
CONSENSUS_NAMES = {"strong": N_("broad agreement"), "mixed": N_("some disagreement"), "divided": N_("divided")}
QUADRANT_NAMES = {"do_first": N_("Do first"), "plan": N_("Plan carefully"), "easy_win": N_("Easy wins"),
                  "reconsider": N_("Reconsider")}


def round_rules(round_) -> str:
    """The round's method and rules in one sentence."""
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
    headers = [_("Rank"), _("Theme"), _("Score"), _("Voters"), _("Spread"), _("Consensus"), _("On paper")]
    if matrix:
        headers += [_("Impact"), _("Feasibility"), _("Quadrant")]
    rows = []
    for e in round_.entries:
        rank = _("%(rank)s (shared)", rank=e.rank) if e.tied else str(e.rank)
        row = [rank, e.name, _number(e.score), str(e.voters), "–" if e.spread is None else _number(e.spread),
               _(CONSENSUS_NAMES[e.consensus_label]) if e.consensus_label else "–", str(e.paper)]
        if matrix:
            row += ["–" if e.impact is None else _number(e.impact), "–" if e.feasibility is None else _number(e.feasibility),
                    _(QUADRANT_NAMES[e.quadrant]) if e.quadrant else "–"]
        rows.append(row)
    return headers, rows


def _number(value) -> str:
    return str(value) if isinstance(value, int) else f"{value:.2f}".rstrip("0").rstrip(".")
