"""Reads: the whole state a role sees when it connects (``snapshot``) or catches up (``current``).

Every screen starts from a snapshot and then folds the changes the writes publish; the two must
agree (tests/js/in-step.mjs replays recorded streams to prove it). The snapshot is assembled here
from the views each write also sends (services/views.py) and the reads of the method's parts
(proposals, spotlight, own items, joining, the console's grouping annotations), so no write
module imports this one and no import waits inside a function.
"""
from __future__ import annotations

from collections import OrderedDict

from flask import current_app
from flask_babel import get_locale
from sqlalchemy import or_, select

from ..domain import phases
from ..domain import setup as setup_rules
from ..domain.support import TOP_THEMES
from ..extensions import db
from ..models import Advice, Item, Participant, Workshop, utcnow
from . import proposals, review, spotlight, statements
from .grouping_views import annotate_console
from .own_items import own_views, phone_extra
from .participation import joining_view
from .state import iso, themes_of
from .views import (advice_view, authors_of, item_for, me_view, moderation_trail, options_view, participants_summary,
                    results_view, round_results, rounds_view, seq_of, theme_view, turnout, workshop_view)


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
        view["joining"] = joining_view(workshop)  # open or closed, refused joins: the console's alone
        annotate_console(wid, view)  # provenance and undo: the console's alone
    view.update(method_extra(workshop, role, own))
    return view


def method_extra(workshop: Workshop, role: str, participant_id: int | None) -> dict:
    """The full method's state: the timer (with the server's clock), the spotlight, the support
    proposals (never with authors outside the console) and, for the console during pre-work, who
    has contributed (its pre-work panel; every change that moves the counts then carries them)."""
    extra = {"now": iso(utcnow()), "timer": workshop.timer, "spotlight": spotlight.spotlight_view(workshop),
             "proposals": proposals.views_for(workshop.id, role, participant_id), "support_top": TOP_THEMES}
    if role == "facilitator" and workshop.phase == phases.PREWORK:
        extra["prework"] = spotlight.prework_summary(workshop.id)
    return extra


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
        view["me"] = me_view(participant)
        view["review"] = review.for_role(workshop.id, role, participant.id)
        view["items"] = own_views(workshop, participant, list(db.session.scalars(
            select(Item).where(Item.participant_id == participant.id, Item.hidden.is_(False))
            .order_by(Item.created_at, Item.id))))
    return view
