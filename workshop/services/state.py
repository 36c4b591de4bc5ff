"""Loading a workshop's rows into the domain core's immutable state."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import func, select

from ..domain import model
from ..extensions import db
from ..models import Advice, Item, Participant, Proposal, Theme, Workshop
from ..models import EditorialVersion, GuideComment, ReviewResponse
from . import provenance, statements
from . import rounds


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


def _rounds(workshop: Workshop) -> tuple[model.VotingRound, ...]:
    return tuple(model.VotingRound(r.id, r.position, r.title, rounds.rules_of(r), r.target, r.revealed,
                                   tuple(rounds.ballots_of(r))) for r in rounds.rounds_of(workshop.id))


def tally(workshop_id: int):
    """The current round's results, merged themes counted as the themes they went into."""
    round_ = rounds.current_round(db.session.get(Workshop, workshop_id))
    return rounds.tally_round(round_)[0]


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
