"""Each voting round as the guide shows it: its method and rules, turnout, and the rank table with
ties, spread and consensus, and a matrix round's 2x2. Built by ``guide.build_guide``, which passes
its ``printable`` (guide.py imports this module)."""
from __future__ import annotations

from dataclasses import dataclass

from .model import VotingRules
from .tally import QUADRANTS, tally


@dataclass(frozen=True)
class RoundEntry:
    """One entry's result in one voting round, as the guide's round tables show it."""

    rank: int
    tied: bool
    name: str
    score: int | float
    voters: int
    spread: float | None
    consensus: float | None
    consensus_label: str | None
    paper: int
    impact: float | None = None
    feasibility: float | None = None
    quadrant: str | None = None


@dataclass(frozen=True)
class Quadrant:
    """One square of a matrix round's 2x2 and the entries whose means fall in it, best rank first."""

    key: str  # "do_first" | "plan" | "easy_win" | "reconsider"
    high_impact: bool
    high_feasibility: bool
    entries: tuple[RoundEntry, ...]


@dataclass(frozen=True)
class RoundSummary:
    """One voting round: its method and rules, how many voted (on paper too), and the ranks."""

    position: int
    title: str
    rules: VotingRules
    voters: int
    paper_voters: int
    cast: int
    entries: tuple[RoundEntry, ...]
    target: str = "themes"  # "themes" | "proposals": what the entries are

    @property
    def rated(self) -> tuple[RoundEntry, ...]:
        """What a matrix round places on its 2x2: the entries someone rated (none for other methods)."""
        if self.rules.method != "matrix":
            return ()
        return tuple(e for e in self.entries if e.voters and e.impact is not None)

    @property
    def quadrants(self) -> tuple[tuple[Quadrant, Quadrant], tuple[Quadrant, Quadrant]]:
        """The 2x2 as every format lays it out: impact up, feasibility across, so the top row is high
        impact and the right column high feasibility. The chart draws it and Markdown tabulates it;
        which square an entry belongs to is the tally's decision (``RoundEntry.quadrant``)."""
        rows = []
        for high_impact in (True, False):
            row = []
            for high_feasibility in (False, True):
                key = QUADRANTS[(high_impact, high_feasibility)]
                row.append(Quadrant(key, high_impact, high_feasibility,
                                    tuple(e for e in self.rated if e.quadrant == key)))
            rows.append(tuple(row))
        return tuple(rows)


def round_summary(round_, themes, proposals, printable) -> RoundSummary:
    """A round on themes, or on the support proposed for them (its entries are the proposals)."""
    if round_.target == "proposals":
        names = {p.id: printable(p.description) for p in sorted(proposals, key=lambda p: p.id)}
    else:
        names = {t.id: printable(t.name) for t in themes}
    results = tally(list(names), round_.ballots, round_.rules)
    return RoundSummary(
        round_.position, printable(round_.title), round_.rules, results.voters, results.paper_voters,
        results.dots_cast, tuple(RoundEntry(e.rank, e.tied, names[e.entry_id], e.score, e.voters, e.spread, e.consensus,
                                            e.consensus_label, e.paper, e.impact, e.feasibility, e.quadrant)
                                 for e in results.entries),
        "proposals" if round_.target == "proposals" else "themes")
