"""What each role may see, as JSON-ready dicts.

This is the one place that decides what leaves the server: participants and the projector never
receive an item's author or perspective, and no tally reaches anyone before the facilitator
reveals the results.
"""
from __future__ import annotations

from collections import OrderedDict

from flask import current_app
from flask_babel import get_locale, gettext
from sqlalchemy import func, or_, select

from ..domain.phases import PHASE_TITLES
from ..extensions import db
from ..domain import ballots as bal
from ..domain import setup as setup_rules
from ..domain.support import TOP_THEMES
from ..models import (Advice, AuditEntry, Item, ItemRevision, Participant, Theme, Vote, VotingRound, Workshop,
                      utcnow)
from . import review, rounds, statements
from .audit import view as audit_view
from .outcome import Change
from .state import iso, themes_of


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


def author_perspective(item: Item) -> str | None:
    if item.participant_id is None:
        return None
    return db.session.scalar(select(Participant.perspective).where(Participant.id == item.participant_id))


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
    round_ = round_ or rounds.current_round(workshop)
    if round_ is None or not round_.revealed:
        return None
    results, names = rounds.tally_round(round_)
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
        view["voted"] = rounds.voted(round_.id)
    return view


def rounds_view(workshop: Workshop, role: str) -> list[dict]:
    return [round_view(r, workshop, role) for r in rounds.rounds_of(workshop.id)]


def round_results(workshop: Workshop, role: str) -> dict[str, dict]:
    """The results of every revealed round, by round id (the current round's are ``results``)."""
    return {str(r.id): results_view(workshop, role, r) for r in rounds.rounds_of(workshop.id) if r.revealed}


def with_results(type_: str, workshop: Workshop, data: dict) -> Change:
    """A change that also carries the current turnout and results, shaped for each role, for
    every change that can move them (a ballot, a theme renamed or deleted, a reveal)."""
    counts = turnout(workshop.id)
    if not workshop.results_revealed:  # the common case while voting: nothing to tally
        return Change(type_, {**data, "turnout": counts, "results": None})
    return Change(type_, {**data, "turnout": counts, "results": results_view(workshop, "participant")},
                  {**data, "turnout": counts, "results": results_view(workshop, "facilitator")})


def rounds_change(workshop: Workshop, data: dict, type_: str = "rounds.changed") -> Change:
    """A change to the rounds (one added, another made current, one revealed or hidden): the
    rounds, the current rules, turnout and every revealed result, shaped for each role."""
    db.session.refresh(workshop)
    counts = turnout(workshop.id)
    common = {**data, "turnout": counts, "voting": voting_view(workshop)}
    return Change(type_, {**common, "rounds": rounds_view(workshop, "projector"),
                          "results": results_view(workshop, "participant"),
                          "round_results": round_results(workshop, "participant")},
                  {**common, "rounds": rounds_view(workshop, "facilitator"),
                   "results": results_view(workshop, "facilitator"),
                   "round_results": round_results(workshop, "facilitator")})


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
    round_ = rounds.current_round(workshop)
    return {"method": workshop.voting_method, "dots": workshop.dots, "max_per_entry": workshop.max_per_entry,
            "round_id": workshop.current_round_id, "title": round_.title if round_ else None}


def seq_of(workshop: Workshop, role: str) -> int:
    """The sequence number a role's screens count changes by (see ``outcome.Stamp``)."""
    return workshop.participant_seq if role == "participant" else workshop.version


def snapshot(workshop: Workshop, role: str, participant: Participant | None, links: dict) -> dict:
    """The whole state one role may see, with the version and sequence it corresponds to.

    A phone's snapshot is kept to what a phone shows and is kept current: its own items and the
    items already grouped into themes, but not the room's raw items, counts or advice, which
    only the console and projector follow live.
    """
    if role == "participant" and participant is not None:
        return _phone_snapshot(workshop, participant, links)
    wid = workshop.id
    own = participant.id if participant else None
    # An item merged into another (a duplicate) shows as part of that one, never twice.
    query = select(Item).where(Item.workshop_id == wid, Item.merged_into_id.is_(None))
    if role != "facilitator":  # the console keeps hidden items, to restore them
        query = query.where(Item.hidden.is_(False))
    if role == "participant":
        query = query.where(or_(Item.participant_id == own, Item.theme_id.is_not(None)))
    items = list(db.session.scalars(query.order_by(Item.created_at, Item.id)))
    said = statements.of_workshop(wid)  # each shown item with the items merged into it
    anonymity = workshop.anonymity or setup_rules.ANONYMOUS
    authors = {row.id: (row.name, row.perspective) for row in db.session.execute(
        select(Participant.id, Participant.name, Participant.perspective).where(Participant.workshop_id == wid))} \
        if role == "facilitator" or anonymity != setup_rules.ANONYMOUS else {}
    view = {
        "version": workshop.version, "seq": seq_of(workshop, role), "role": role,
        "workshop": workshop_view(workshop, links),
        "lanes": [{"key": lane.key, "name": lane.name} for lane in workshop.lanes],
        "perspectives": [{"key": p.key, "name": p.name} for p in workshop.perspectives],
        "tags": options_view(workshop.tags),
        "themes": [theme_view(t) for t in themes_of(wid)],
        "items": [item_for(i, role, anonymity, authors,
                           mine=(i.participant_id == own) if role == "participant" else None,
                           statement=said.get(i.id))
                  for i in items],
        "results": results_view(workshop, role),
        "rounds": rounds_view(workshop, role),
        "round_results": round_results(workshop, role),
    }
    if role == "participant" and participant is not None:
        view["me"] = me_view(participant)
    else:
        view["participants"] = participants_summary(wid)
        view["turnout"] = turnout(wid)
        view["advice"] = [advice_view(a) for a in db.session.scalars(
            select(Advice).where(Advice.workshop_id == wid).order_by(Advice.created_at, Advice.id))]
    view["review"] = review.for_role(wid, role)
    if role == "facilitator":
        view["links"] = {k: links[k] for k in ("join_url", "projector_url", "guide") if k in links}
        view["moderation"] = moderation_trail(wid)
        from .participation import joining_view  # open or closed, refused joins: the console's alone
        view["joining"] = joining_view(workshop)
        from .aggregation import annotate_console  # provenance and undo: the console's alone
        annotate_console(wid, view)
    view.update(method_extra(workshop, role, own))
    return view


def method_extra(workshop: Workshop, role: str, participant_id: int | None) -> dict:
    """The full method's state: the timer (with the server's clock), the spotlight, the support
    proposals (never with authors outside the console) and, for the console, who contributed."""
    from . import proposals, spotlight

    extra = {"now": iso(utcnow()), "timer": workshop.timer, "spotlight": spotlight.spotlight_view(workshop),
             "proposals": proposals.views_for(workshop.id, role, participant_id), "support_top": TOP_THEMES}
    if role == "facilitator":
        extra["prework"] = spotlight.prework_summary(workshop.id)
    return extra


def options_view(options) -> list[dict]:
    return [{"key": o.key, "name": o.name} for o in options]


MODERATION_ACTIONS = ("item.hide", "item.restore", "item.edit", "item.add", "setup.anonymity",
                      "option.add", "option.rename", "option.remove", "template.save")


def moderation_trail(workshop_id: int, limit: int = 50) -> list[dict]:
    """The console's moderation panel: the latest moderation and set-up entries of the audit trail,
    newest first, with the text an edit replaced (kept with the item, never in the trail)."""

    rows = list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.workshop_id == workshop_id, AuditEntry.action.in_(MODERATION_ACTIONS))
        .order_by(AuditEntry.id.desc()).limit(limit)))
    revisions = {r.id: r.text for r in db.session.scalars(select(ItemRevision).where(ItemRevision.id.in_(
        [(row.detail or {}).get("revision_id") for row in rows if (row.detail or {}).get("revision_id")])))}
    entries = []
    for row in rows:
        entry = audit_view(row)
        revision = entry["detail"].get("revision_id")
        if revision in revisions:
            entry["previous_text"] = revisions[revision]
        entries.append(entry)
    return entries


# What every phone of a workshop sees alike, by (workshop, participant_seq, locale), kept on the
# app: a thousand phones joining or reconnecting (or all asking for a fresh snapshot once the
# results are shown) would otherwise each read the same themes and tally the same ballots.
# participant_seq moves with every change phones are sent, so an entry can never be stale; while
# results are revealed a ballot moves the tally without it, so such an entry also holds only for
# the workshop version it was read at.
PHONE_SHARED_KEPT = 32


def _phone_shared() -> OrderedDict:
    return current_app.extensions.setdefault("phone_snapshots", OrderedDict())


def forget_phone_snapshots(workshop_id: int) -> None:
    """Drop this process's shared phone views of a workshop: after a withdrawal or anonymisation
    no copy of what went is kept in memory either. (Other processes' copies are under an older
    sequence, so never served again, and make way for newer ones.)"""
    kept = _phone_shared()
    for key in [key for key in kept if key[0] == workshop_id]:
        kept.pop(key, None)


def _phone_snapshot(workshop: Workshop, participant: Participant, links: dict) -> dict:
    shared = _shared_for_phones(workshop, links)
    from .own_items import phone_extra  # own items, merged ones with what they belong to

    own = participant.id
    items = [{**view, "mine": author == own} for author, view in shared["items"]]
    items += phone_extra(workshop, participant)
    items.sort(key=lambda view: (view["created_at"] or "", view["id"]))
    return {"version": workshop.version, "seq": workshop.participant_seq, "role": "participant",
            "workshop": shared["workshop"], "lanes": shared["lanes"], "perspectives": shared["perspectives"],
            "tags": shared["tags"], "themes": shared["themes"], "items": items, "results": shared["results"],
            "rounds": shared["rounds"], "round_results": shared["round_results"], "me": me_view(participant),
            "review": review.for_role(workshop.id, "participant", own),
            **method_extra(workshop, "participant", own)}


def _shared_for_phones(workshop: Workshop, links: dict) -> dict:
    kept = _phone_shared()
    key = (workshop.id, workshop.code, workshop.participant_seq, str(get_locale()))
    if key in kept:
        shared, version = kept[key]
        if version is None or version == workshop.version:
            return shared
    themed = list(db.session.scalars(select(Item).where(
        Item.workshop_id == workshop.id, Item.hidden.is_(False), Item.theme_id.is_not(None),
        Item.merged_into_id.is_(None))))
    anonymity = workshop.anonymity or setup_rules.ANONYMOUS
    authors = authors_of({i.participant_id for i in themed}) if anonymity == setup_rules.NAMED else {}
    said = statements.of_workshop(workshop.id)
    shared = {
        "workshop": workshop_view(workshop, links),
        "lanes": [{"key": lane.key, "name": lane.name} for lane in workshop.lanes],
        "perspectives": [{"key": p.key, "name": p.name} for p in workshop.perspectives],
        "tags": options_view(workshop.tags),
        "themes": [theme_view(t) for t in themes_of(workshop.id)],
        "items": [(i.participant_id, item_for(i, "participant", anonymity, authors, statement=said.get(i.id)))
                  for i in themed],
        "results": results_view(workshop, "participant"),
        "rounds": rounds_view(workshop, "participant"),
        "round_results": round_results(workshop, "participant"),
    }
    # Kept only if nothing changed while it was read (it would be newer than its key).
    seq_now, version_now = db.session.execute(select(Workshop.participant_seq, Workshop.version)
                                              .where(Workshop.id == workshop.id)).one()
    tallied = bool(shared["round_results"])
    if seq_now == workshop.participant_seq and (not tallied or version_now == workshop.version):
        kept[key] = (shared, workshop.version if tallied else None)
        while len(kept) > PHONE_SHARED_KEPT:
            kept.popitem(last=False)
    return shared


def current(workshop: Workshop, role: str, participant: Participant | None) -> dict:
    """What a reconnecting screen that already holds the latest sequence needs: the numbers, and
    for a phone its personal state, which can change from its other tabs without a sequence."""
    view = {"version": workshop.version, "seq": seq_of(workshop, role), "role": role}
    if role == "participant" and participant is not None:
        from .own_items import own_views

        view["me"] = me_view(participant)
        view["review"] = review.for_role(workshop.id, role, participant.id)
        view["items"] = own_views(workshop, participant, list(db.session.scalars(
            select(Item).where(Item.participant_id == participant.id, Item.hidden.is_(False))
            .order_by(Item.created_at, Item.id))))
    return view
