"""The validation round: the facilitator opens the draft guide to the participants, who comment
on it from their phones, and then finalises it.

The rules and the draft's shape for phones live here. A phone sees what the guide will say
(themes, the contributions behind them, the advice) and never more than a phone may see at that
moment: no scores before the results are revealed, and never the split by perspective, which in
a small room could point at one person's ballot.
"""
from __future__ import annotations

from .errors import N_, DomainError
from .guide import Guide
from .phases import CLOSED

COMMENT_MAX = 500


def check_can_open(phase: str, finalised: bool) -> None:
    if phase == CLOSED or finalised:
        raise DomainError("review_finalised", N_("The guide is final; it can no longer be opened for comments."))


def check_can_comment(is_open: bool, phase: str, finalised: bool) -> None:
    """Comments are taken only while the facilitator holds the draft open."""
    if phase == CLOSED or finalised:
        raise DomainError("review_finalised", N_("The guide is final; comments are closed."))
    if not is_open:
        raise DomainError("review_not_open", N_("The draft guide is not open for comments right now."))


def check_can_finalise(finalised: bool) -> None:
    if finalised:
        raise DomainError("review_finalised", N_("The guide is already final."))


def draft_for_phones(guide: Guide, *, results_revealed: bool, perspectives: bool = False) -> dict:
    """The draft as a phone shows it: plain, JSON-ready, in the guide's order. A theme's items are
    the guide's statements (a merged group once, with how many times it was said), so the draft
    counts as the console does; whose perspectives they came from only where the screen may see
    perspectives (the console, or everyone in a named workshop)."""
    def item(i) -> dict:
        view = {"text": i.text, "mentions": i.mentions}
        if perspectives:
            view["perspectives"] = [{"key": p.key or None, "count": p.count} for p in i.perspectives]
        return view

    proposals = {group.theme_id: [{"type": p.type, "description": p.description, "who_needs": p.who_needs}
                                  for p in group.proposals] for group in guide.support}
    # What the facilitator wrote is what the guide will conclude: the room validates that too.
    editorial = guide.editorial
    written = {t.theme_id: t for t in editorial.themes} if editorial else {}

    def decision(d) -> dict | None:
        return None if d is None else {"kind": d.kind, "description": d.description, "owner": d.owner,
                                       "due": d.due.isoformat() if d.due else None}

    def theme(t) -> dict:
        # The support proposed for the theme too: a participant validates what the guide will offer.
        entry = {"id": t.id, "name": t.name, "items": [item(i) for i in t.items], "proposals": proposals.get(t.id, [])}
        if t.id in written:
            entry.update(synthesis=written[t.id].synthesis, decision=decision(written[t.id].decision))
        if results_revealed and t.result is not None:
            entry.update(rank=t.result.rank, tied=t.result.tied, score=t.result.score, voters=t.result.voters)
        return entry

    return {
        "question": guide.title.question,
        "language": guide.title.language,
        "participants": guide.title.participants,
        "voters": guide.votes.voters if results_revealed and guide.votes else None,
        "themes": [theme(t) for t in guide.themes],
        "contributions": len(guide.appendix),
        "advice": list(guide.advice),
        "conclusion": editorial.conclusion if editorial else "",
        "next_steps": editorial.next_steps if editorial else "",
    }
