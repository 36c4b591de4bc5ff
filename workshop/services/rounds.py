"""Voting rounds: what the facilitator does with them (create one, make one current, reveal or
hide its results, enter a paper ballot). What a round votes on, its ballots and tally are read
in services/state.py, which the screens' views share.

A workshop holds one current round, the one phones vote in. The workshop row's
``voting_method``, ``dots``, ``max_per_entry`` and ``results_revealed`` mirror that round, so
code that reads the workshop's rules reads the current round's.
"""
from __future__ import annotations

from flask_babel import force_locale, gettext
from sqlalchemy import delete, func, insert, select

from ..domain import ballots as bal
from ..domain import phases
from ..domain.errors import N_, DomainError, NotFound
from ..extensions import db
from ..models import Participant, Receipt, Vote, VotingRound, Workshop, utcnow
from . import tokens
from .outcome import Outcome
from .workshops import Identity, lock, require_role
from . import unit
from .. import schemas
from ..declarations import Http, declare
from ..roles import RUNNERS
from . import views
from .state import PROPOSALS, TARGETS, THEMES, current_round, entries_of, rules_of

def default_title(language: str, position: int) -> str:
    with force_locale(language):
        return gettext("Round %(n)s", n=position)


def add_round(workshop: Workshop, method: str, dots: int, max_per_entry: int, title: str | None = None,
              target: str = THEMES) -> VotingRound:
    """A new round at the end of the workshop's rounds (not yet committed)."""
    bal.check_method(method)
    if target not in TARGETS:
        raise DomainError("target_unknown", N_("A round cannot vote on this."))
    if target == PROPOSALS and not entries_of(target, workshop.id):
        raise DomainError("round_no_entries", N_("There is nothing to vote on yet: propose support first."))
    if method == bal.DOTS and max_per_entry > dots:
        raise DomainError("round_rules", N_("The most dots on one entry cannot exceed the dots each person has."))
    position = (db.session.scalar(select(func.max(VotingRound.position))
                                  .where(VotingRound.workshop_id == workshop.id)) or 0) + 1
    round_ = VotingRound(workshop_id=workshop.id, position=position, method=method, target=target,
                         title=title or default_title(workshop.language, position), dots=dots,
                         max_per_entry=max_per_entry, revealed=False, created_at=utcnow())
    db.session.add(round_)
    db.session.flush()
    return round_


def make_current(workshop: Workshop, round_: VotingRound) -> None:
    workshop.current_round_id = round_.id
    mirror(workshop, round_)


def mirror(workshop: Workshop, round_: VotingRound) -> None:
    workshop.voting_method, workshop.dots, workshop.max_per_entry = round_.method, round_.dots, round_.max_per_entry
    workshop.results_revealed = round_.revealed


def _round(workshop_id: int, round_id: int) -> VotingRound:
    round_ = db.session.get(VotingRound, round_id)
    if round_ is None or round_.workshop_id != workshop_id:
        raise NotFound("round_not_found", N_("This voting round does not exist."))
    return round_


# --- what the facilitator does ----------------------------------------------------------------------

def create_round(identity: Identity, data: dict) -> Outcome:
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, "rounds.changed")
    phases.check_open(workshop.phase)
    round_ = add_round(workshop, data["method"], data["dots"], data["max_per_entry"], data.get("title"),
                       data.get("target", THEMES))
    if data.get("current", True):
        make_current(workshop, round_)
    unit.done()
    change = views.rounds_change(workshop, {"round_id": round_.id})
    return Outcome(workshop.id, stamp, [change], {**change.for_role("facilitator"), "version": stamp.version})


def set_current(identity: Identity, round_id: int) -> Outcome:
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, "rounds.changed")
    phases.check_open(workshop.phase)
    make_current(workshop, _round(workshop.id, round_id))
    unit.done()
    change = views.rounds_change(workshop, {"round_id": round_id})
    return Outcome(workshop.id, stamp, [change], {**change.for_role("facilitator"), "version": stamp.version})


def reveal(identity: Identity, revealed: bool, round_id: int | None = None) -> Outcome:
    """Reveal or hide a round's results: the current round's unless another is named."""
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, "results.changed")
    phases.check_open(workshop.phase)
    round_ = _round(workshop.id, round_id) if round_id is not None else current_round(workshop)
    if round_ is None:
        raise NotFound("round_not_found", N_("This voting round does not exist."))
    round_.revealed = revealed
    if round_.id == workshop.current_round_id:
        mirror(workshop, round_)
    unit.done()
    change = views.rounds_change(workshop, {"results_revealed": workshop.results_revealed, "round_id": round_.id},
                                 "results.changed")
    return Outcome(workshop.id, stamp, [change], {**change.for_role("facilitator"), "version": stamp.version})


def paper_ballot(identity: Identity, data: dict) -> Outcome:
    """The facilitator enters the ballot of someone without a phone, under a label ("Paper 3").

    The label names one paper participant of the workshop: entering it again replaces that
    person's ballot in the round. Resends with the same client id change nothing.
    """
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, "turnout.changed")
    phases.check_open(workshop.phase)
    round_ = _round(workshop.id, data["round_id"]) if data.get("round_id") else current_round(workshop)
    if round_ is None:
        raise NotFound("round_not_found", N_("This voting round does not exist."))
    if db.session.scalar(select(Receipt.id).where(Receipt.workshop_id == workshop.id,
                                                  Receipt.client_id == data["client_id"])):
        db.session.rollback()
        return Outcome(workshop.id, None, [], {"duplicate": True})
    entry_ids = {e for e, _ in entries_of(round_.target, workshop.id)}
    cleaned = bal.validate(rules_of(round_), data, entry_ids)
    perspective = data.get("perspective")
    if perspective is not None and perspective not in {p.key for p in workshop.perspectives}:
        raise DomainError("perspective_unknown", N_("Please choose one of the listed perspectives."))
    person = db.session.scalar(select(Participant).where(
        Participant.workshop_id == workshop.id, Participant.paper.is_(True), Participant.name == data["label"]))
    if person is None:
        person = Participant(workshop_id=workshop.id, token_hash=tokens.token_hash(tokens.new_token()),
                             name=data["label"], perspective=perspective, paper=True, created_at=utcnow())
        db.session.add(person)
        db.session.flush()
    elif perspective is not None:
        person.perspective = perspective
    db.session.execute(delete(Vote).where(Vote.round_id == round_.id, Vote.participant_id == person.id))
    rows = [{"workshop_id": workshop.id, "round_id": round_.id, "participant_id": person.id, "entry_id": e,
             "value": v, "value2": v2} for e, v, v2 in bal.to_rows(round_.method, cleaned)]
    if rows:
        db.session.execute(insert(Vote.__table__), rows)
    db.session.add(Receipt(workshop_id=workshop.id, participant_id=person.id, client_id=data["client_id"],
                           event="ballot.paper", created_at=utcnow()))
    unit.done()
    change = views.with_results("turnout.changed", workshop, {})
    paper = {"id": person.id, "label": person.name, "perspective": person.perspective, "round_id": round_.id,
             "ballot": bal.view(round_.method, bal.to_rows(round_.method, cleaned))}
    return Outcome(workshop.id, stamp, [change], {"paper": paper, "turnout": change.data["turnout"],
                                                  "version": stamp.version})


# --- Operations: each declared once (workshop/declarations.py) ---------------------------------

declare("round.create", schemas.CreateRound, RUNNERS, create_round,
        http=Http("POST", "/workshops/<code>/rounds", "create_round", 201),
        summary='Create a voting round: dots, matrix or ranking, and its rules')
declare("round.current", schemas.RoundRef, RUNNERS, lambda who, d: set_current(who, d["round_id"]),
        http=Http("PUT", "/workshops/<code>/rounds/current", "set_current_round"),
        summary='Make a voting round the current one')
declare("ballot.paper", schemas.PaperBallot, RUNNERS, paper_ballot,
        http=Http("POST", "/workshops/<code>/paper-ballots", "paper_ballot", 201),
        summary='Enter a paper ballot for someone without a phone; idempotent by client_id')
