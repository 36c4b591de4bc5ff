"""Reads of a workshop's rows: the domain core's immutable state, and the queries the screens and
the writes share (themes, proposals, voting rounds with their ballots and tallies). Nothing here
changes a row, so every service may read through it without importing another's writes."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timezone

from sqlalchemy import func, select

from ..domain import ballots as bal
from ..domain import model
from ..domain.model import Ballot, VotingRules
from ..domain.tally import Results, tally as tally_entries
from ..extensions import db
from ..models import Advice, Item, Participant, Proposal, Theme, Vote, VotingRound, Workshop
from ..models import EditorialVersion, GuideComment, ReviewResponse
from . import provenance, statements


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


def iso(moment: datetime | None) -> str | None:
    moment = aware(moment)
    return moment.isoformat() if moment else None


def themes_of(workshop_id: int) -> list[Theme]:
    """The workshop's themes as every screen shows them: a theme merged into another is not one."""
    return list(db.session.scalars(
        select(Theme).where(Theme.workshop_id == workshop_id, Theme.merged_into_id.is_(None))
        .order_by(Theme.position, Theme.id)))


def proposals_of(workshop_id: int) -> list[Proposal]:
    """Every proposal of a workshop, by theme order then as they came."""
    order = {t.id: n for n, t in enumerate(themes_of(workshop_id))}
    rows = db.session.scalars(select(Proposal).where(Proposal.workshop_id == workshop_id).order_by(Proposal.id))
    return sorted(rows, key=lambda p: (order.get(p.theme_id, len(order)), p.id))



# --- voting rounds: what a round votes on, its ballots and tally (written in services/rounds.py) ---

THEMES = "themes"
PROPOSALS = "proposals"  # the support proposed in the Concretise phase: "themes first, then the support"
TARGETS = (THEMES, PROPOSALS)


def entries_of(target: str, workshop_id: int) -> list[tuple[int, str]]:
    """What a round of this target votes on, as (id, name) in display order (which also breaks
    ties). The one place a new target (e.g. support proposals) is added."""
    if target == THEMES:  # a theme merged into another is voted on as part of that one
        return [tuple(row) for row in db.session.execute(
            select(Theme.id, Theme.name).where(Theme.workshop_id == workshop_id, Theme.merged_into_id.is_(None))
            .order_by(Theme.position, Theme.id))]
    if target == PROPOSALS:
        return [(p.id, p.description) for p in proposals_of(workshop_id)]
    # Every stored round's target was checked when it was made (rounds.add_round refuses any
    # other); one this version does not know (written by a newer one) has nothing to vote on here.
    return []


def rules_of(round_: VotingRound) -> VotingRules:
    return VotingRules(round_.method, round_.dots, round_.max_per_entry)


def rounds_of(workshop_id: int) -> list[VotingRound]:
    return list(db.session.scalars(select(VotingRound).where(VotingRound.workshop_id == workshop_id)
                                   .order_by(VotingRound.position)))


def current_round(workshop: Workshop) -> VotingRound | None:
    return db.session.get(VotingRound, workshop.current_round_id) if workshop.current_round_id else None


def ballots_of(round_: VotingRound) -> list[Ballot]:
    rows = db.session.execute(
        select(Vote.participant_id, Vote.entry_id, Vote.value, Vote.value2, Participant.perspective, Participant.paper)
        .join(Participant, Participant.id == Vote.participant_id).where(Vote.round_id == round_.id)).all()
    grouped: dict[int, list] = defaultdict(list)
    about: dict[int, tuple] = {}
    for row in rows:
        grouped[row.participant_id].append((row.entry_id, row.value, row.value2))
        about[row.participant_id] = (row.perspective, bool(row.paper))
    ballots = [bal.from_rows(round_.method, pid, about[pid][0], grouped[pid], paper=about[pid][1])
               for pid in sorted(grouped)]
    if round_.target == THEMES:  # votes on a theme merged since count for the one it went into
        ballots = provenance.follow(round_.workshop_id, ballots)
    return ballots


def tally_round(round_: VotingRound) -> tuple[Results, dict[int, str]]:
    """The round's results and the names of its entries."""
    entries = entries_of(round_.target, round_.workshop_id)
    return tally_entries([e for e, _ in entries], ballots_of(round_), rules_of(round_)), dict(entries)


def theme_ranks(workshop: Workshop) -> dict[int, int] | None:
    """The themes' ranks from the latest revealed round on themes, or None if none is revealed:
    what "the top themes" means once the room has voted (see services/proposals.py)."""
    for round_ in reversed(rounds_of(workshop.id)):
        if round_.target == THEMES and round_.revealed:
            return {e.entry_id: e.rank for e in tally_round(round_)[0].entries}
    return None


def voted(round_id: int | None) -> int:
    if round_id is None:
        return 0
    return db.session.scalar(select(func.count(func.distinct(Vote.participant_id))).where(Vote.round_id == round_id)) or 0


def _rounds(workshop: Workshop) -> tuple[model.VotingRound, ...]:
    return tuple(model.VotingRound(r.id, r.position, r.title, rules_of(r), r.target, r.revealed,
                                   tuple(ballots_of(r))) for r in rounds_of(workshop.id))


def tally(workshop_id: int):
    """The current round's results, merged themes counted as the themes they went into."""
    round_ = current_round(db.session.get(Workshop, workshop_id))
    return tally_round(round_)[0]


def load_state(workshop: Workshop) -> model.WorkshopState:
    wid = workshop.id
    voting_rounds = _rounds(workshop)
    participants = list(db.session.scalars(select(Participant).where(Participant.workshop_id == wid)))
    perspective_of = {p.id: p.perspective for p in participants}
    items = list(db.session.scalars(select(Item).where(Item.workshop_id == wid).order_by(Item.created_at, Item.id)))
    # A merged duplicate stays in the state, with the item it belongs to (``merged_into``): the
    # guide counts and shows the two as one statement (domain/statements.py), the duplicate's text
    # kept under it.
    theme_of = {i.id: i.theme_id for i in items}
    item_survivor = provenance.surviving_items(wid)
    advice = db.session.scalars(select(Advice).where(Advice.workshop_id == wid).order_by(Advice.created_at, Advice.id))
    return model.WorkshopState(
        code=workshop.code, question=workshop.question, organiser=workshop.organiser, language=workshop.language,
        template=workshop.template, phase=workshop.phase, created_at=aware(workshop.created_at),
        closed_at=aware(workshop.closed_at),
        lanes=tuple(model.Lane(lane.key, lane.name) for lane in workshop.lanes),
        perspectives=tuple(model.Perspective(p.key, p.name) for p in workshop.perspectives),
        participants=tuple(model.Participant(p.id, p.perspective, p.name) for p in participants),
        items=tuple(model.Item(
            id=i.id, lane=i.lane, text=i.text, theme_id=theme_of.get(item_survivor.get(i.id, i.id), i.theme_id),
            participant_id=i.participant_id,
            perspective=perspective_of.get(i.participant_id), created_at=aware(i.created_at),
            hidden=i.hidden, on_behalf=i.on_behalf, tag=i.tag, assessment=i.assessment,
            merged_into=i.merged_into_id, client_id=i.client_id) for i in items),
        tags=tuple(model.Lane(t.key, t.name) for t in workshop.tags),
        themes=tuple(model.Theme(t.id, t.name, t.position) for t in themes_of(wid)),
        # The current round's ballots and rules: what the guide's prioritisation reports; every
        # round, with its ballots, in ``rounds``.
        ballots=next((r.ballots for r in voting_rounds if r.id == workshop.current_round_id), ()),
        proposals=tuple(model.SupportProposal(p.id, p.theme_id, p.type, p.description, p.who_needs or "",
                                              perspective_of.get(p.participant_id))
                        for p in db.session.scalars(select(Proposal).where(Proposal.workshop_id == wid)
                                                    .order_by(Proposal.id))),
        advice=tuple(model.Advice(a.id, a.participant_id, a.text, perspective_of.get(a.participant_id),
                                  aware(a.created_at)) for a in advice),
        voting=model.VotingRules(workshop.voting_method, workshop.dots, workshop.max_per_entry),
        results_revealed=workshop.results_revealed,
        rounds=voting_rounds, current_round_id=workshop.current_round_id,
        item_support=tuple((item_id, p) for item_id, keys in statements.supporters(wid).items() for p in keys),
        review_responses=tuple(tuple(row) for row in db.session.execute(
            select(ReviewResponse.participant_id, ReviewResponse.theme_id, ReviewResponse.stance)
            .where(ReviewResponse.workshop_id == wid).order_by(ReviewResponse.id)).all()),
        review_comments=tuple(model.ReviewComment(c.id, c.participant_id, c.theme_id, c.text, c.handling)
                              for c in db.session.scalars(select(GuideComment).where(GuideComment.workshop_id == wid)
                                                          .order_by(GuideComment.created_at, GuideComment.id))),
        editorial=_editorial(wid),
    )


def _editorial(workshop_id: int) -> tuple[tuple[str, dict], ...]:
    return tuple(sorted(editorial_in_force(workshop_id).items()))


def editorial_in_force(workshop_id: int) -> dict[str, dict]:
    """The facilitator's conclusions and decisions: each scope's content in force (its highest version).
    Read here, with the rest of the guide's state; services/editorial.py writes them."""
    latest = (select(EditorialVersion.scope, func.max(EditorialVersion.version).label("version"))
              .where(EditorialVersion.workshop_id == workshop_id).group_by(EditorialVersion.scope).subquery())
    rows = db.session.execute(select(EditorialVersion.scope, EditorialVersion.content).join(
        latest, (EditorialVersion.scope == latest.c.scope) & (EditorialVersion.version == latest.c.version))
        .where(EditorialVersion.workshop_id == workshop_id))
    return {scope: content or {} for scope, content in rows}
