"""Joins, items and ballots, many at a time: what a whole room sends in the same minute.

A thousand phones join as the session opens, submit within seconds and vote within one. Handling each command in its own
transaction costs a disk flush and a dozen statements per command, so the room waits on the
disk. These use cases take every command queued for one workshop (see ``group_commit``) and
apply them in one transaction with a handful of set-wise statements, whatever their number.

Each command still succeeds or fails on its own: the rules (phase, lane, budget, ownership of a
client id) are checked per command and a rejected one becomes that command's error, changing
nothing. Each accepted item is still its own change with its own version, so screens see the
same protocol as before; the turnout a batch of ballots or joins moves is one change for the batch.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, delete, insert, literal_column, select, update

from ..domain import ballots as bal
from ..domain import phases
from ..domain import setup as setup_rules
from ..domain.errors import N_, DomainError
from ..domain.model import VotingRules
from ..extensions import db
from ..models import Item, Lane, Participant, Perspective, Receipt, Tag, Vote, VotingRound, Workshop, utcnow
from . import state, tokens, views
from .outcome import Change, Outcome, Personal, Stamp
from .spotlight import prework_summary
from .timers import input_open
from .workshops import Identity
from . import unit
from .. import schemas
from ..declarations import Http, declare
from ..roles import PHONE, RUNNERS

CLIENT_ID_TAKEN = N_("This id is already in use; please send it again.")
ITEM_ID_TAKEN = N_("This item id is already in use; please send it again.")
ROUND_MOVED = N_("Voting has moved on to another round. Please vote in the current round.")


@dataclass(frozen=True)
class Command:
    """One person's command as validated by its schema; ``identity`` comes from the server."""

    identity: Identity | None  # None for a join: the identity is being made
    data: dict


Result = Outcome | DomainError
_WORKSHOPS = Workshop.__table__


def _sql(statement, parameters=None):
    """Run a Core statement on the session's connection, in its transaction: these statements
    name tables and columns only, so the ORM's per-statement machinery would be pure cost."""
    return db.session.connection().execute(statement, parameters)


# The item path's statements, built once: a burst runs them a few hundred times a second, and
# building a statement (and its cache key) costs as much as running it on SQLite.
_W = _WORKSHOPS.c
_LOCK = (update(_WORKSHOPS).where(_W.id == bindparam("workshop_id")).values(version=_W.version + bindparam("expected"))
         .returning((_W.version - bindparam("expected")).label("version"), _W.participant_seq, _W.phase,
                    _W.results_revealed, _W.voting_method, _W.dots, _W.max_per_entry, _W.timer, _W.anonymity,
                    _W.assess_items, _W.current_round_id))
_ITEM_OPTIONS = select(Lane.key, literal_column("'lane'")).where(Lane.workshop_id == bindparam("workshop_id")).union_all(
    select(Tag.key, literal_column("'tag'")).where(Tag.workshop_id == bindparam("workshop_id")))
_STORED_ITEMS = select(Item.__table__).where(Item.workshop_id == bindparam("workshop_id"),
                                             Item.client_id.in_(bindparam("client_ids", expanding=True)))
_INSERT_ITEMS = insert(Item.__table__).returning(Item.__table__.c.id, sort_by_parameter_order=True)


def _lock(workshop_id: int, expected: int = 0):
    """Take the workshop's write lock before reading anything the commands depend on.

    The UPDATE is a no-op on the values but takes the row lock on PostgreSQL and the write lock
    on SQLite, so two processes' batches for one workshop queue behind each other and each reads
    what the other committed (which keeps budgets and client ids honest across processes).
    ``expected`` changes are counted at once (the common case: every command is accepted), and
    the returned version is the one before them.
    """
    # The table, not the entity: no ORM bookkeeping for a statement per batch.
    return _sql(_LOCK, {"workshop_id": workshop_id, "expected": expected}).one()


def _advance(workshop_id: int, changes: int, to_phones: bool = False) -> None:
    w = _WORKSHOPS.c
    values = {"version": w.version + changes}
    if to_phones:
        values["participant_seq"] = w.participant_seq + changes
    _sql(update(_WORKSHOPS).where(w.id == workshop_id).values(**values))


def _perspectives(participant_ids: set[int]) -> dict[int, str | None]:
    if not participant_ids:
        return {}
    return dict(_sql(select(Participant.id, Participant.perspective)
                                   .where(Participant.id.in_(participant_ids))).all())


# --- joins ------------------------------------------------------------------------------------

def joining(perspective: str, name: str | None) -> tuple[Command, str]:
    """A join command and the new participant's token; only the token's hash is ever stored."""
    token = tokens.new_token()
    return Command(None, {"perspective": perspective, "name": name, "token_hash": tokens.token_hash(token)}), token


def join_many(workshop_id: int, commands: list[Command]) -> list[Result]:
    """Register participants; each result's reply holds the participant as they will see themselves."""
    ws = _lock(workshop_id)
    known = set(_sql(select(Perspective.key).where(Perspective.workshop_id == workshop_id)).scalars())
    results: list[Result | None] = [None] * len(commands)
    rows, index = [], []
    for i, command in enumerate(commands):
        try:
            phases.check_open(ws.phase)
            if command.data["perspective"] not in known:
                raise DomainError("perspective_unknown", N_("Please choose one of the listed perspectives."))
        except DomainError as exc:
            results[i] = exc
            continue
        rows.append({"workshop_id": workshop_id, "token_hash": command.data["token_hash"],
                     "name": command.data["name"] or None, "perspective": command.data["perspective"],
                     "created_at": utcnow()})
        index.append(i)
    if not rows:
        db.session.rollback()
        return results
    ids = _sql(insert(Participant.__table__).returning(Participant.__table__.c.id,
                                                                    sort_by_parameter_order=True), rows).scalars().all()
    _advance(workshop_id, 1)
    summary = views.participants_summary(workshop_id)
    # Turnout counts the participants too: joins move it as much as ballots do.
    change = Change("participants.changed", {"participants": summary, "turnout": {
        "voted": views.voters(workshop_id), "participants": summary["count"]}})
    unit.done()
    stamp = Stamp(ws.version + 1)
    for n, (row, id_, i) in enumerate(zip(rows, ids, index)):
        view = {"id": id_, "name": row["name"], "perspective": row["perspective"]}
        results[i] = Outcome(workshop_id, stamp if n == 0 else None, [change] if n == 0 else [],
                             {"participant": view, "version": stamp.version})
    return results


# --- items ------------------------------------------------------------------------------------

class _Row(dict):
    """A row dict readable like a result row (``row.client_id``), so batch-new and stored rows
    answer a resend the same way."""

    __getattr__ = dict.__getitem__


def add_items(workshop_id: int, commands: list[Command]) -> list[Result]:
    """Store each item once per client id; a resend answers with the stored item, changing nothing.

    Participants add items while the workshop collects them; the facilitator may add them (from
    paper notes in the room) in any open phase, marked as added on someone's behalf.
    """
    ws = _lock(workshop_id, expected=len(commands))
    options = _sql(_ITEM_OPTIONS, {"workshop_id": workshop_id}).all()
    lanes = {key for key, kind in options if kind == "lane"}
    tags = {key for key, kind in options if kind == "tag"}
    wanted = sorted({c.data["client_id"] for c in commands})
    stored = {row.client_id: row for row in _sql(_STORED_ITEMS, {"workshop_id": workshop_id, "client_ids": wanted})}
    now = utcnow()
    results: list[Result | None] = [None] * len(commands)
    new_rows: list[_Row] = []
    new_index: list[int] = []  # which command each new row belongs to
    for i, command in enumerate(commands):
        who, data = command.identity, command.data
        client_id = data["client_id"]
        try:
            if client_id in stored:
                if stored[client_id].participant_id != who.participant_id:
                    raise DomainError("client_id_taken", ITEM_ID_TAKEN)
                continue  # a resend: answered below, once the final version is known
            if who.role == "participant":
                phases.check_allowed(ws.phase, phases.SUBMIT_ITEMS)
                input_open(ws.timer, ws.phase)
            else:
                phases.check_open(ws.phase)
            if data["lane"] not in lanes:
                raise DomainError("lane_unknown", N_("Please choose one of the listed kinds of item."))
            setup_rules.check_item_fields(assess_items=bool(ws.assess_items), assessment=data.get("assessment"),
                                          tag=data.get("tag"), tags=tags)
        except DomainError as exc:
            results[i] = exc
            continue
        row = _Row(workshop_id=workshop_id, client_id=client_id, participant_id=who.participant_id,
                   lane=data["lane"], text=data["text"], theme_id=None, hidden=False,
                   on_behalf=who.role == "facilitator", created_at=now,
                   tag=data.get("tag"), assessment=data.get("assessment"))
        stored[client_id] = row  # a second copy in this batch is a resend of this one
        new_rows.append(row)
        new_index.append(i)
    if new_rows:
        ids = _sql(_INSERT_ITEMS, new_rows).scalars().all()
        for row, id_ in zip(new_rows, ids):
            row["id"] = id_
    if len(new_rows) != len(commands):  # resends and refusals are no change: give their versions back
        _advance(workshop_id, len(new_rows) - len(commands))
    unit.done()

    final = ws.version + len(new_rows)
    perspective_of = {c.identity.participant_id: c.identity.perspective for c in commands if c.identity.perspective}
    perspective_of |= _perspectives({r["participant_id"] for r in new_rows
                                     if r["participant_id"] and r["participant_id"] not in perspective_of})
    # During pre-work the console follows who has contributed (counts only): one read per batch.
    prework = prework_summary(workshop_id) if new_rows and ws.phase == phases.PREWORK else None
    anonymity = ws.anonymity or setup_rules.ANONYMOUS
    # Names are read only where the setting lets some screen show them.
    authors = views.authors_of({r["participant_id"] for r in new_rows}) \
        if anonymity != setup_rules.ANONYMOUS else {}
    for n, (row, i) in enumerate(zip(new_rows, new_index)):
        results[i] = _item_added(commands[i], row, Stamp(ws.version + n + 1),
                                 perspective_of.get(row["participant_id"]), prework, anonymity, authors)
    for i, command in enumerate(commands):
        if results[i] is None:
            results[i] = _item_resent(command.identity, stored[command.data["client_id"]], workshop_id, final)
    return results


def _item_added(command: Command, row: _Row, stamp: Stamp, perspective: str | None,
                prework: dict | None = None, anonymity: str = setup_rules.ANONYMOUS,
                authors: dict | None = None) -> Outcome:
    who = command.identity
    authors = authors or {}
    change = Change("item.added", {"item": views.item_for(row, "participant", anonymity, authors)},
                    # A new item has nothing merged into it yet (the console's snapshot lists merges).
                    {"item": {**views.item_for(row, "facilitator", anonymity, authors, perspective=perspective),
                              "merged": []},
                     **({"prework": prework} if prework else {})})
    own = change.for_role(who.role)["item"]
    personal = []
    if who.role == "participant":
        own = {**own, "mine": True}
        # Phones are not sent everyone's items; the author's other tabs get theirs personally.
        personal.append(Personal(who.participant_id, "item", {"item": own}, skip_sender=True))
    return Outcome(row["workshop_id"], stamp, [change], {"item": own, "version": stamp.version}, personal)


def _item_resent(who: Identity, row, workshop_id: int, version: int) -> Outcome:
    mine = True if who.role == "participant" else None
    perspective = _perspectives({row.participant_id}).get(row.participant_id) if row.participant_id else None
    anonymity = views.anonymity_of(workshop_id)
    authors = views.authors_of({row.participant_id}) if anonymity != setup_rules.ANONYMOUS else {}
    view = views.item_for(row, who.role, anonymity, authors, mine=mine, perspective=perspective) \
        if who.role == "facilitator" else views.item_for(row, who.role, anonymity, authors, mine=mine)
    return Outcome(workshop_id, None, [], {"item": view,
                                           "version": version, "duplicate": True})


# --- ballots ----------------------------------------------------------------------------------

def set_ballots(workshop_id: int, commands: list[Command]) -> list[Result]:
    """Replace each participant's whole ballot in the current round, in the shape of its method
    (dots, matrix or ranking); the budget holds for the ballot as a whole.

    Each ballot's client id is stored as a receipt in the same transaction, so a resent or
    duplicated ballot (even one arriving after a newer ballot) is applied at most once. Two
    ballots of one participant in one batch (two tabs) apply in order: the later one stands.
    """
    ws = _lock(workshop_id)
    wanted = {c.data["client_id"] for c in commands}
    receipts = dict(_sql(select(Receipt.client_id, Receipt.participant_id).where(
        Receipt.workshop_id == workshop_id, Receipt.client_id.in_(wanted))).all())
    round_ = _sql(select(VotingRound.id, VotingRound.method, VotingRound.dots, VotingRound.max_per_entry,
                         VotingRound.target).where(VotingRound.id == ws.current_round_id)).first()
    rules = VotingRules(round_.method, round_.dots, round_.max_per_entry) if round_ else None
    entry_ids = {e for e, _ in state.entries_of(round_.target, workshop_id)} if round_ else set()
    results: list[Result | None] = [None] * len(commands)
    ballots: dict[int, object] = {}  # participant -> the ballot that stands
    applied: list[int] = []
    for i, command in enumerate(commands):
        who, client_id = command.identity, command.data["client_id"]
        try:
            if client_id in receipts:
                if receipts[client_id] != who.participant_id:
                    raise DomainError("client_id_taken", CLIENT_ID_TAKEN)
                continue  # a resend: answered with the participant's current state
            phases.check_allowed(ws.phase, phases.VOTE)
            input_open(ws.timer, ws.phase)
            if round_ is None or command.data.get("round_id") not in (None, round_.id):
                raise DomainError("round_not_current", ROUND_MOVED)
            ballots[who.participant_id] = bal.validate(rules, command.data, entry_ids)
        except DomainError as exc:
            results[i] = exc
            continue
        receipts[client_id] = who.participant_id
        applied.append(i)
    stamp = None
    change = None
    if applied:
        _sql(insert(Receipt.__table__), [
            {"workshop_id": workshop_id, "participant_id": commands[i].identity.participant_id,
             "client_id": commands[i].data["client_id"], "event": "ballot.set", "created_at": utcnow()}
            for i in applied])
        _sql(delete(Vote).where(Vote.round_id == round_.id, Vote.participant_id.in_(ballots)))
        votes = [{"workshop_id": workshop_id, "round_id": round_.id, "participant_id": pid, "entry_id": entry_id,
                  "value": value, "value2": value2}
                 for pid, ballot in ballots.items() for entry_id, value, value2 in bal.to_rows(round_.method, ballot)]
        if votes:
            _sql(insert(Vote.__table__), votes)
        _advance(workshop_id, 1)
        stamp = Stamp(ws.version + 1)
        # One turnout change for the batch: the console counts voters, not messages.
        change = views.with_results("turnout.changed", db.session.get(Workshop, workshop_id), {})
    unit.done()

    version = stamp.version if stamp else ws.version
    me_of = views.me_views({c.identity.participant_id for i, c in enumerate(commands) if results[i] is None})
    carried = False
    for i, command in enumerate(commands):
        if results[i] is not None:
            continue
        me = me_of[command.identity.participant_id]
        if i in applied:
            outcome = Outcome(workshop_id, None, [], {"me": me, "version": version},
                              [Personal(command.identity.participant_id, "me", {"me": me}, skip_sender=True)])
            if not carried:  # the batch's one versioned change rides on its first ballot
                outcome.stamp, outcome.changes, carried = stamp, [change], True
        else:
            outcome = Outcome(workshop_id, None, [], {"me": me, "version": version, "duplicate": True})
        results[i] = outcome
    return results


# --- Operations: each declared once (workshop/declarations.py) ---------------------------------

declare("item.submit", schemas.SubmitItem, PHONE, many=add_items,
        http=Http("POST", "/workshops/<code>/items", "add_item", 201),
        summary="Submit an item (participant) or add one on someone's behalf (facilitator); idempotent by client_id")
declare("item.add", schemas.SubmitItem, RUNNERS, many=add_items,
        http=Http("POST", "/workshops/<code>/items", "add_item", 201),
        summary="Submit an item (participant) or add one on someone's behalf (facilitator); idempotent by client_id")
declare("ballot.set", schemas.SetBallot, PHONE, many=set_ballots, ordered=True,
        http=Http("PUT", "/workshops/<code>/ballot", "set_ballot"),
        summary="Replace the caller's whole ballot in the current round; idempotent by client_id")
