"""What each role may see, as JSON-ready dicts: the presenters of items, themes, rounds and results.

This is the one place that decides what leaves the server: participants and the projector never
receive an item's author or perspective, and no tally reaches anyone before the facilitator
reveals the results. Writes send these views in their changes; services/snapshots.py assembles
them into the whole state a screen starts from.
"""
from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import func, select

from ..domain.phases import PHASE_TITLES
from ..extensions import db
from ..domain import ballots as bal
from ..domain import setup as setup_rules
from ..models import Advice, AuditEntry, Item, ItemRevision, Participant, Theme, Vote, VotingRound, Workshop
from . import state, statements
from .audit import view as audit_view
from .outcome import Change
from .state import iso


NOT_SHOWN = object()  # an item view without an ``author`` key: the setting hides it from this role


def item_view(item: Item, role: str, *, perspective: str | None = None, mine: bool | None = None,
              author=NOT_SHOWN, named: bool = False, statement=None) -> dict:
    """One item as ``role`` sees it. The author's name comes only when the caller passes it (see
    ``item_for``, which asks the workshop's anonymity setting); their perspective only for the
    console, or for everyone in a named workshop. A participant id never leaves the server.
    ``mentions`` and ``perspectives`` are its statement's (the items merged into it counted with
    it); a caller showing many items passes each one's ``statement``, read once for all."""
    view = {"id": item.id, "client_id": item.client_id, "lane": item.lane, "text": item.text,
            "theme_id": item.theme_id, "on_behalf": item.on_behalf, "created_at": iso(item.created_at),
            "tag": item.tag, "assessment": item.assessment}
    if role == "facilitator" or named:
        view["perspective"] = perspective
    view.update(statements.fields(statement or statements.of_item(item, perspective), role == "facilitator" or named))
    if role == "facilitator":
        view["hidden"] = bool(item.hidden)
        origin = item.get("origin_theme_id") if isinstance(item, dict) else item.origin_theme_id
        view["origin_theme_id"] = origin  # the merged theme it came with, if any
    if author is not NOT_SHOWN:
        view["author"] = author
    if mine is not None:
        view["mine"] = mine
    return view


def anonymity_of(workshop_id: int) -> str:
    return db.session.scalar(select(Workshop.anonymity).where(Workshop.id == workshop_id)) or setup_rules.ANONYMOUS


def authors_of(participant_ids) -> dict[int, tuple[str | None, str | None]]:
    """participant id -> (name, perspective), for the items' authors a role may be shown."""
    ids = {pid for pid in participant_ids if pid}
    if not ids:
        return {}
    return {row.id: (row.name, row.perspective) for row in db.session.execute(
        select(Participant.id, Participant.name, Participant.perspective).where(Participant.id.in_(ids)))}


def item_for(item, role: str, anonymity: str, authors: dict, *, mine: bool | None = None,
             perspective: str | None = None, statement=None) -> dict:
    """``item_view`` with the author shaped by the workshop's anonymity setting for this role."""
    name, known = authors.get(item.participant_id, (None, None)) if item.participant_id else (None, None)
    shown = setup_rules.shows_author(anonymity, role)
    return item_view(item, role, perspective=perspective if perspective is not None else known, mine=mine,
                     author=name if shown else NOT_SHOWN, named=anonymity == setup_rules.NAMED,
                     statement=statement)


def item_change(type_: str, item: Item) -> Change:
    """An item change: the console sees the author's perspective, phones and the projector do not
    (and the author's name only as the workshop's anonymity setting allows)."""
    anonymity = anonymity_of(item.workshop_id)
    authors = authors_of({item.participant_id})
    return Change(type_, {"item": item_for(item, "participant", anonymity, authors)},
                  {"item": item_for(item, "facilitator", anonymity, authors)})


def theme_view(theme: Theme) -> dict:
    return {"id": theme.id, "name": theme.name, "position": theme.position}


def advice_view(advice: Advice) -> dict:
    return {"id": advice.id, "text": advice.text, "created_at": iso(advice.created_at)}


def participants_summary(workshop_id: int) -> dict:
    rows = db.session.execute(
        select(Participant.perspective, func.count()).where(Participant.workshop_id == workshop_id)
        .group_by(Participant.perspective)).all()
    by_perspective = {key or "": count for key, count in rows}
    return {"count": sum(by_perspective.values()), "by_perspective": by_perspective}


def voters(workshop_id: int) -> int:
    """How many have voted in the workshop's current round (an empty ballot stores no rows)."""
    current = select(Workshop.current_round_id).where(Workshop.id == workshop_id).scalar_subquery()
    return db.session.scalar(select(func.count(func.distinct(Vote.participant_id)))
                             .where(Vote.round_id == current)) or 0


def turnout(workshop_id: int) -> dict:
    voted = voters(workshop_id)
    total = db.session.scalar(select(func.count()).select_from(Participant)
                              .where(Participant.workshop_id == workshop_id))
    return {"voted": voted or 0, "participants": total or 0}  # in the current round


def results_view(workshop: Workshop, role: str, round_: VotingRound | None = None) -> dict | None:
    """A round's tally (the current round's unless named) once revealed, and nothing before.
    Only the console gets the split by perspective: in a small room the dots of the one
    supplier present would otherwise be that person's ballot."""
    round_ = round_ or state.current_round(workshop)
    if round_ is None or not round_.revealed:
        return None
    results, names = state.tally_round(round_)
    entries = []
    for e in results.entries:
        entry = {"entry_id": e.entry_id, "theme_id": e.entry_id, "name": names.get(e.entry_id, ""), "score": e.score,
                 "rank": e.rank, "tied": e.tied, "voters": e.voters, "share": round(e.share, 4),
                 "spread": e.spread, "consensus": e.consensus, "consensus_label": e.consensus_label,
                 "paper": e.paper}
        if results.method == bal.MATRIX:
            entry |= {"impact": e.impact, "feasibility": e.feasibility, "quadrant": e.quadrant}
        if role == "facilitator":
            entry["by_perspective"] = e.by_perspective
        entries.append(entry)
    return {"round_id": round_.id, "method": round_.method, "title": round_.title, "voters": results.voters,
            "dots_cast": results.dots_cast, "paper_voters": results.paper_voters, "entries": entries}


def round_view(round_: VotingRound, workshop: Workshop, role: str) -> dict:
    """A round's method and rules (never its tally); the console and projector see its turnout."""
    view = {"id": round_.id, "position": round_.position, "title": round_.title, "method": round_.method,
            "target": round_.target, "dots": round_.dots, "max_per_entry": round_.max_per_entry,
            "revealed": round_.revealed, "current": round_.id == workshop.current_round_id}
    if role != "participant":
        view["voted"] = state.voted(round_.id)
    return view


def rounds_view(workshop: Workshop, role: str) -> list[dict]:
    return [round_view(r, workshop, role) for r in state.rounds_of(workshop.id)]


def round_results(workshop: Workshop, role: str) -> dict[str, dict]:
    """The results of every revealed round, by round id (the current round's are ``results``)."""
    return {str(r.id): results_view(workshop, role, r) for r in state.rounds_of(workshop.id) if r.revealed}


def with_results(type_: str, workshop: Workshop, data: dict, every_round: bool = False) -> Change:
    """A change that also carries the current turnout and results, shaped for each role, for
    every change that can move them (a ballot, a theme renamed or deleted, a reveal).
    ``every_round``: also every revealed round's results (``round_results``), for a change to
    the themes, which are a theme round's entries (a ballot moves only the current round's)."""
    counts = turnout(workshop.id)
    public = {**data, "turnout": counts, "results": None}
    console = None
    if workshop.results_revealed:  # not the common case while voting: nothing to tally then
        public["results"] = results_view(workshop, "participant")
        console = {**data, "turnout": counts, "results": results_view(workshop, "facilitator")}
    if every_round:
        public["round_results"] = round_results(workshop, "participant")
        console = {**(console or public), "round_results": round_results(workshop, "facilitator")}
    return Change(type_, public, console)


def rounds_change(workshop: Workshop, data: dict, type_: str = "rounds.changed") -> Change:
    """A change to the rounds (one added, another made current, one revealed or hidden): the
    rounds, the current rules, turnout and every revealed result, shaped for each role."""
    db.session.refresh(workshop)
    counts = turnout(workshop.id)
    common = {**data, "turnout": counts, "voting": voting_view(workshop)}
    public = {**common, "rounds": rounds_view(workshop, "projector"),
              "results": results_view(workshop, "participant"),
              "round_results": round_results(workshop, "participant")}
    return Change(type_, public,
                  {**common, "rounds": rounds_view(workshop, "facilitator"),
                   "results": results_view(workshop, "facilitator"),
                   "round_results": round_results(workshop, "facilitator")},
                  {**public, "rounds": rounds_view(workshop, "participant")})  # a phone's rounds, as its snapshot


def me_view(participant: Participant) -> dict:
    return _me(participant, *_ballots_and_advice({participant.id}))


def me_views(participant_ids: set[int]) -> dict[int, dict]:
    """``me_view`` for many participants at once: a batch of ballots answers every voter."""
    if not participant_ids:
        return {}
    personal = _ballots_and_advice(participant_ids)
    return {p.id: _me(p, *personal) for p in db.session.execute(
        select(Participant.id, Participant.name, Participant.perspective).where(Participant.id.in_(participant_ids)))}


def _ballots_and_advice(participant_ids: set[int]) -> tuple[dict, dict[int, str], int | None, str | None]:
    """Each participant's own ballots by round, in each round's method's shape, and their advice."""
    rows: dict[int, dict[int, list]] = {pid: {} for pid in participant_ids}
    method_of: dict[int, str] = {}
    current = None
    for pid, round_id, entry_id, value, value2, method, current_id in db.session.execute(
            select(Vote.participant_id, Vote.round_id, Vote.entry_id, Vote.value, Vote.value2, VotingRound.method,
                   Workshop.current_round_id)
            .join(VotingRound, VotingRound.id == Vote.round_id).join(Workshop, Workshop.id == Vote.workshop_id)
            .where(Vote.participant_id.in_(participant_ids))):
        rows[pid].setdefault(round_id, []).append((entry_id, value, value2))
        method_of[round_id] = method
        current = current_id
    if current is None:
        current = db.session.scalar(select(Workshop.current_round_id).join(
            Participant, Participant.workshop_id == Workshop.id).where(Participant.id.in_(participant_ids)).limit(1))
    if current is not None and current not in method_of:
        method_of[current] = db.session.scalar(select(VotingRound.method).where(VotingRound.id == current))
    ballots = {pid: {rid: bal.view(method_of[rid], r) for rid, r in by_round.items()}
               for pid, by_round in rows.items()}
    advice = dict(db.session.execute(select(Advice.participant_id, Advice.text)
                                     .where(Advice.participant_id.in_(participant_ids))).all())
    return ballots, advice, current, method_of.get(current)


def _me(participant, ballots: dict, advice: dict, current: int | None, method: str | None) -> dict:
    """A participant as they see themselves: ``ballot`` is theirs in the current round (in its
    method's shape), ``ballots`` theirs in every round they voted in."""
    own = ballots[participant.id]
    empty = [] if method == bal.RANKING else {}
    return {"id": participant.id, "name": participant.name, "perspective": participant.perspective,
            "round_id": current, "ballot": own.get(current, empty),
            "ballots": {str(rid): b for rid, b in own.items()}, "advice": advice.get(participant.id)}


def workshop_view(workshop: Workshop, links: dict) -> dict:
    return {
        "code": workshop.code, "question": workshop.question, "language": workshop.language,
        "template": workshop.template, "phase": workshop.phase, "phases": list(workshop.phases),
        "phase_titles": {p: gettext(PHASE_TITLES[p]) for p in workshop.phases},
        "results_revealed": workshop.results_revealed,
        "voting": voting_view(workshop),
        "join_url": links.get("join_url"), "qr_url": links.get("qr_url"),
        "anonymity": workshop.anonymity or setup_rules.ANONYMOUS, "assess_items": bool(workshop.assess_items),
        "similar_hint": bool(workshop.similar_hint),  # phones: "something similar is already here"
        "joining_open": bool(workshop.joining_open),  # the projector drops its join panel when closed
    }


def voting_view(workshop: Workshop) -> dict:
    """The current round's method and rules."""
    round_ = state.current_round(workshop)
    return {"method": workshop.voting_method, "dots": workshop.dots, "max_per_entry": workshop.max_per_entry,
            "round_id": workshop.current_round_id, "title": round_.title if round_ else None}


def seq_of(workshop: Workshop, role: str) -> int:
    """The sequence number a role's screens count changes by (see ``outcome.Stamp``)."""
    return workshop.participant_seq if role == "participant" else workshop.version


def options_view(options) -> list[dict]:
    return [{"key": o.key, "name": o.name} for o in options]


MODERATION_ACTIONS = ("item.hide", "item.restore", "item.edit", "item.add", "setup.anonymity",
                      "option.add", "option.rename", "option.remove", "template.save")
MODERATION_KEPT = 50  # the console's snapshot holds this many (static/js/live-state.js keeps as many)


def moderation_trail(workshop_id: int, limit: int = MODERATION_KEPT) -> list[dict]:
    """The console's moderation panel: the latest moderation and set-up entries of the audit trail,
    newest first, with the text an edit replaced (kept with the item, never in the trail)."""
    return trail_entries(list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.workshop_id == workshop_id, AuditEntry.action.in_(MODERATION_ACTIONS))
        .order_by(AuditEntry.id.desc()).limit(limit))))


def trail_entries(rows: list[AuditEntry]) -> list[dict]:
    """Audit entries as the console's moderation panel shows them: the snapshot's, and the one a
    moderation change pushes (``operations``), built alike from the stored entry."""
    revisions = {r.id: r.text for r in db.session.scalars(select(ItemRevision).where(ItemRevision.id.in_(
        [(row.detail or {}).get("revision_id") for row in rows if (row.detail or {}).get("revision_id")])))}
    entries = []
    for row in rows:
        entry = audit_view(row)
        revision = entry["detail"].get("revision_id")
        if revision in revisions and "text" in entry["detail"].get("fields", ()):  # the words an edit replaced
            entry["previous_text"] = revisions[revision]
        entries.append(entry)
    return entries
