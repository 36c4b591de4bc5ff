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
from ..models import Advice, Item, Participant, Theme, Vote, Workshop
from .outcome import Change
from .state import aware, tally, themes_of


def iso(moment) -> str | None:
    moment = aware(moment)
    return moment.isoformat() if moment else None


def item_view(item: Item, role: str, *, perspective: str | None = None, mine: bool | None = None) -> dict:
    view = {"id": item.id, "client_id": item.client_id, "lane": item.lane, "text": item.text,
            "theme_id": item.theme_id, "on_behalf": item.on_behalf, "created_at": iso(item.created_at)}
    if role == "facilitator":
        view["perspective"] = perspective
        origin = item.get("origin_theme_id") if isinstance(item, dict) else item.origin_theme_id
        view["origin_theme_id"] = origin  # the merged theme it came with, if any
    if mine is not None:
        view["mine"] = mine
    return view


def author_perspective(item: Item) -> str | None:
    if item.participant_id is None:
        return None
    return db.session.scalar(select(Participant.perspective).where(Participant.id == item.participant_id))


def item_change(type_: str, item: Item) -> Change:
    """An item change: the console sees the author's perspective, phones and the projector do not."""
    return Change(type_, {"item": item_view(item, "participant")},
                  {"item": item_view(item, "facilitator", perspective=author_perspective(item))})


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
    return db.session.scalar(select(func.count(func.distinct(Vote.participant_id)))
                             .where(Vote.workshop_id == workshop_id, Vote.dots > 0)) or 0


def turnout(workshop_id: int) -> dict:
    voted = voters(workshop_id)
    total = db.session.scalar(select(func.count()).select_from(Participant)
                              .where(Participant.workshop_id == workshop_id))
    return {"voted": voted or 0, "participants": total or 0}


def results_view(workshop: Workshop, role: str) -> dict | None:
    """The tally once revealed. Only the console gets the split by perspective: in a small room
    the dots of the one supplier present would otherwise be that person's ballot."""
    if not workshop.results_revealed:
        return None
    names = {t.id: t.name for t in themes_of(workshop.id)}
    results = tally(workshop.id)
    entries = []
    for e in results.entries:
        entry = {"theme_id": e.entry_id, "name": names.get(e.entry_id, ""), "score": e.score,
                 "rank": e.rank, "tied": e.tied, "voters": e.voters, "share": round(e.share, 4)}
        if role == "facilitator":
            entry["by_perspective"] = e.by_perspective
        entries.append(entry)
    return {"voters": results.voters, "dots_cast": results.dots_cast, "entries": entries}


def with_results(type_: str, workshop: Workshop, data: dict) -> Change:
    """A change that also carries the current turnout and results, shaped for each role, for
    every change that can move them (a ballot, a theme renamed or deleted, a reveal)."""
    counts = turnout(workshop.id)
    if not workshop.results_revealed:  # the common case while voting: nothing to tally
        return Change(type_, {**data, "turnout": counts, "results": None})
    return Change(type_, {**data, "turnout": counts, "results": results_view(workshop, "participant")},
                  {**data, "turnout": counts, "results": results_view(workshop, "facilitator")})


def me_view(participant: Participant) -> dict:
    return _me(participant, *_ballots_and_advice({participant.id}))


def me_views(participant_ids: set[int]) -> dict[int, dict]:
    """``me_view`` for many participants at once: a batch of ballots answers every voter."""
    if not participant_ids:
        return {}
    personal = _ballots_and_advice(participant_ids)
    return {p.id: _me(p, *personal) for p in db.session.execute(
        select(Participant.id, Participant.name, Participant.perspective).where(Participant.id.in_(participant_ids)))}


def _ballots_and_advice(participant_ids: set[int]) -> tuple[dict[int, dict[str, int]], dict[int, str]]:
    ballots: dict[int, dict[str, int]] = {pid: {} for pid in participant_ids}
    for pid, theme_id, dots in db.session.execute(select(Vote.participant_id, Vote.theme_id, Vote.dots)
                                                  .where(Vote.participant_id.in_(participant_ids))):
        ballots[pid][str(theme_id)] = dots
    advice = dict(db.session.execute(select(Advice.participant_id, Advice.text)
                                     .where(Advice.participant_id.in_(participant_ids))).all())
    return ballots, advice


def _me(participant, ballots: dict, advice: dict) -> dict:
    return {"id": participant.id, "name": participant.name, "perspective": participant.perspective,
            "ballot": ballots[participant.id], "advice": advice.get(participant.id)}


def workshop_view(workshop: Workshop, links: dict) -> dict:
    return {
        "code": workshop.code, "question": workshop.question, "language": workshop.language,
        "template": workshop.template, "phase": workshop.phase, "phases": list(workshop.phases),
        "phase_titles": {p: gettext(PHASE_TITLES[p]) for p in workshop.phases},
        "results_revealed": workshop.results_revealed,
        "voting": {"method": workshop.voting_method, "dots": workshop.dots,
                   "max_per_entry": workshop.max_per_entry},
        "join_url": links.get("join_url"), "qr_url": links.get("qr_url"),
    }


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
    query = select(Item).where(Item.workshop_id == wid, Item.hidden.is_(False), Item.merged_into_id.is_(None))
    if role == "participant":
        query = query.where(or_(Item.participant_id == own, Item.theme_id.is_not(None)))
    items = db.session.scalars(query.order_by(Item.created_at, Item.id))
    perspective_of = dict(db.session.execute(
        select(Participant.id, Participant.perspective).where(Participant.workshop_id == wid)).all()) \
        if role == "facilitator" else {}
    view = {
        "version": workshop.version, "seq": seq_of(workshop, role), "role": role,
        "workshop": workshop_view(workshop, links),
        "lanes": [{"key": lane.key, "name": lane.name} for lane in workshop.lanes],
        "perspectives": [{"key": p.key, "name": p.name} for p in workshop.perspectives],
        "themes": [theme_view(t) for t in themes_of(wid)],
        "items": [item_view(i, role, perspective=perspective_of.get(i.participant_id),
                            mine=(i.participant_id == own) if role == "participant" else None)
                  for i in items],
        "results": results_view(workshop, role),
    }
    if role == "participant" and participant is not None:
        view["me"] = me_view(participant)
    else:
        view["participants"] = participants_summary(wid)
        view["turnout"] = turnout(wid)
        view["advice"] = [advice_view(a) for a in db.session.scalars(
            select(Advice).where(Advice.workshop_id == wid).order_by(Advice.created_at, Advice.id))]
    if role == "facilitator":
        view["links"] = {k: links[k] for k in ("join_url", "projector_url", "guide") if k in links}
        from .aggregation import annotate_console  # provenance and undo: the console's alone
        annotate_console(wid, view)
    return view


# What every phone of a workshop sees alike, by (workshop, participant_seq, locale), kept on the
# app: a thousand phones joining or reconnecting would otherwise each read the same themes and
# grouped items. participant_seq moves with every change phones are sent, so an entry can never
# be stale; while results are revealed the tally moves without it, so nothing is kept then.
PHONE_SHARED_KEPT = 32


def _phone_shared() -> OrderedDict:
    return current_app.extensions.setdefault("phone_snapshots", OrderedDict())


def _phone_snapshot(workshop: Workshop, participant: Participant, links: dict) -> dict:
    shared = _shared_for_phones(workshop, links)
    own = participant.id
    items = [{**view, "mine": author == own} for author, view in shared["items"]]
    items += [item_view(i, "participant", mine=True) for i in db.session.scalars(
        select(Item).where(Item.participant_id == own, Item.theme_id.is_(None), Item.hidden.is_(False)))]
    items.sort(key=lambda view: (view["created_at"] or "", view["id"]))
    return {"version": workshop.version, "seq": workshop.participant_seq, "role": "participant",
            "workshop": shared["workshop"], "lanes": shared["lanes"], "perspectives": shared["perspectives"],
            "themes": shared["themes"], "items": items, "results": shared["results"],
            "me": me_view(participant)}


def _shared_for_phones(workshop: Workshop, links: dict) -> dict:
    kept = _phone_shared()
    key = (workshop.id, workshop.code, workshop.participant_seq, str(get_locale()))
    if key in kept:
        return kept[key]
    themed = db.session.scalars(select(Item).where(
        Item.workshop_id == workshop.id, Item.hidden.is_(False), Item.theme_id.is_not(None),
        Item.merged_into_id.is_(None)))
    shared = {
        "workshop": workshop_view(workshop, links),
        "lanes": [{"key": lane.key, "name": lane.name} for lane in workshop.lanes],
        "perspectives": [{"key": p.key, "name": p.name} for p in workshop.perspectives],
        "themes": [theme_view(t) for t in themes_of(workshop.id)],
        "items": [(i.participant_id, item_view(i, "participant")) for i in themed],
        "results": results_view(workshop, "participant"),
    }
    # Kept only if nothing phones see changed while it was read (it would be newer than its key).
    seq_now = db.session.scalar(select(Workshop.participant_seq).where(Workshop.id == workshop.id))
    if not workshop.results_revealed and seq_now == workshop.participant_seq:
        kept[key] = shared
        while len(kept) > PHONE_SHARED_KEPT:
            kept.popitem(last=False)
    return shared


def current(workshop: Workshop, role: str, participant: Participant | None) -> dict:
    """What a reconnecting screen that already holds the latest sequence needs: the numbers, and
    for a phone its personal state, which can change from its other tabs without a sequence."""
    view = {"version": workshop.version, "seq": seq_of(workshop, role), "role": role}
    if role == "participant" and participant is not None:
        view["me"] = me_view(participant)
        view["items"] = [item_view(i, role, mine=True) for i in db.session.scalars(
            select(Item).where(Item.participant_id == participant.id, Item.hidden.is_(False))
            .order_by(Item.created_at, Item.id))]
    return view
