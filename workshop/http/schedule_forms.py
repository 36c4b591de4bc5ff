"""The organiser's schedule form and what the workshop page shows of the schedule and invitations.

Shared by the organiser's pages (which create a workshop with its schedule and show it) and the
schedule and invitation routes (services/invitations.py does the work); kept apart from both so
neither imports the other's routes.
"""
from __future__ import annotations

from flask import request

from .. import mailer, schemas
from ..domain.schedule import Schedule
from ..services import invitations
from ..services import schedule as schedule_service

SCHEDULE_FIELDS = ("day", "start", "end", "place", "meeting_url", "prework_opens", "prework_closes")


def schedule_from_form(form) -> Schedule:
    """The schedule fields of a form, validated for shape (the rules are the domain's)."""
    data = schemas.SetSchedule().load({name: form.get(name, "") for name in SCHEDULE_FIELDS})
    return Schedule(timezone=schedule_service.default_timezone(), **data)


def page_context(workshop, manages: bool) -> dict:
    """What the organiser's workshop page shows of the schedule and the invitations."""
    values = schedule_service.form_values(workshop.id)
    if request.method == "POST" and request.endpoint == "organiser.schedule":  # refused: keep what was typed
        values = {name: request.form.get(name, "") for name in values}
    return {"schedule_values": values,
            "mail_enabled": mailer.enabled(),
            "recipients": invitations.recipients(workshop.id) if manages and mailer.enabled() else [],
            "mailings": invitations.mailings(workshop.id) if manages else []}
