"""A workshop's schedule: read it, change it (organiser pages), and say it in the workshop's
language for the join page and the invitations."""
from __future__ import annotations

from dataclasses import asdict
from zoneinfo import ZoneInfo

from flask import current_app

from ..domain import schedule as rules
from ..domain.schedule import Schedule
from ..extensions import db
from ..models import Workshop, utcnow
from ..models_invitations import WorkshopSchedule
from . import audit, unit

FIELDS = ("day", "start", "end", "timezone", "place", "meeting_url", "prework_opens", "prework_closes")


def default_timezone() -> str:
    return current_app.config["SCHEDULE_TIMEZONE"]


def schedule_of(workshop_id: int) -> Schedule:
    row = db.session.get(WorkshopSchedule, workshop_id)
    if row is None:
        return Schedule(timezone=default_timezone())
    return Schedule(**{name: getattr(row, name) for name in FIELDS})


@unit.atomic
def set_schedule(identity, workshop_id: int, schedule: Schedule) -> Schedule:
    """Check and save, with the audit entry in the same transaction; the entry says which parts changed, never the place itself
    (a room number is harmless, but a meeting link can be a key to the meeting)."""
    schedule = rules.checked(schedule)
    before = schedule_of(workshop_id)
    row = db.session.get(WorkshopSchedule, workshop_id)
    if row is None:
        row = WorkshopSchedule(workshop_id=workshop_id)
        db.session.add(row)
    for name in FIELDS:
        setattr(row, name, getattr(schedule, name))
    row.updated_at = utcnow()
    unit.done()
    changed = sorted(name for name in FIELDS if getattr(before, name) != getattr(schedule, name))
    if changed:
        audit.record(identity, workshop_id, "schedule.set", {"fields": changed})
    return schedule


def described(workshop: Workshop) -> dict:
    """What the join page and the invitations say: the dates and times in the workshop's
    language, the place and the meeting link, and whether pre-work is open today (by the
    calendar at the workshop's place)."""
    schedule = schedule_of(workshop.id)
    if schedule.is_empty:
        return {}
    today = utcnow().astimezone(ZoneInfo(schedule.timezone)).date()
    return {**rules.described(schedule, workshop.language), "place": schedule.place,
            "meeting_url": schedule.meeting_url, "prework": rules.prework_state(schedule, today),
            "has_prework_dates": bool(schedule.prework_opens or schedule.prework_closes)}


def form_values(workshop_id: int) -> dict[str, str]:
    """The schedule as the organiser's form shows it (ISO dates, HH:MM times)."""
    values = asdict(schedule_of(workshop_id))
    out = {}
    for name, value in values.items():
        if value is None:
            out[name] = ""
        elif hasattr(value, "strftime") and name in ("start", "end"):
            out[name] = value.strftime("%H:%M")
        else:
            out[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return out
