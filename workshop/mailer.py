"""E-mail: Flask-Mailman's SMTP connection, the messages in the workshop's language with the
workshop's calendar file, and running a send where it cannot stall the room.

Why Flask-Mailman (docs/deployment.md): it carries Django's mail code, in use for many years,
with a connection timeout (MAIL_TIMEOUT), one connection for many messages, and attachments with
their own content type. A send runs in a greenlet in a server process, where the monkey-patched
socket makes every SMTP round trip yield to the screens, and in a thread elsewhere (tests, CLI):
never in the request that asked for it (``jobs.deliver_mailing``).
"""
from __future__ import annotations

from datetime import timedelta
from email.utils import make_msgid
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale, gettext
from flask_mailman import EmailMessage, Mail
from icalendar import Calendar, Event

from .domain import schedule as rules
from .domain.errors import N_
from .domain.schedule import Schedule
from .models import utcnow

mail = Mail()
SUBJECTS = {
    "prework": N_("Invitation: %(question)s"),
    "validation": N_("Please review the draft guide: %(question)s"),
    "guide": N_("The guide is ready: %(question)s"),
}


def init_app(app) -> None:
    mail.init_app(app)


def enabled() -> bool:
    """Mail is on only when an SMTP server is configured; nothing asks for addresses otherwise."""
    return bool(current_app.config.get("MAIL_SERVER"))


def sender() -> str:
    configured = current_app.config.get("MAIL_DEFAULT_SENDER")
    if configured:
        return configured
    return f"no-reply@{_host()}"


def _host() -> str:
    return urlsplit(current_app.config.get("PUBLIC_URL") or "http://localhost").hostname or "localhost"


def calendar_file(workshop, schedule: Schedule, join_url: str) -> bytes:
    """The workshop as one calendar event (RFC 5545), the same UID in every mail so that a later
    invitation updates the entry instead of adding another. With a day but no time it is an
    all-day event; the time zone travels with the times (a VTIMEZONE is included)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Behovsworkshop//Workshop//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"workshop-{workshop.code}@{_host()}")
    event.add("dtstamp", utcnow())
    event.add("summary", workshop.question)
    span = rules.instants(schedule)
    if span is not None:
        event.add("dtstart", span[0])
        event.add("dtend", span[1])
    else:
        event.add("dtstart", schedule.day)
        event.add("dtend", schedule.day + timedelta(days=1))
    if schedule.place or schedule.meeting_url:
        event.add("location", schedule.place or schedule.meeting_url)
    event.add("url", schedule.meeting_url or join_url)
    lines = [join_url]
    if schedule.meeting_url:
        lines.append(schedule.meeting_url)
    event.add("description", "\n".join(lines))
    calendar.add_component(event)
    if span is not None:
        calendar.add_missing_timezones()
    return calendar.to_ical()


def compose(workshop, kind: str, to: str, links: dict, schedule: Schedule) -> EmailMessage:
    """One message to one address: its own link to remove the address is in it, so each
    recipient gets their own copy and never sees anyone else's address."""
    with force_locale(workshop.language):
        when = rules.described(schedule, workshop.language)
        body = render_template(f"mail/{kind}.txt", workshop=workshop, when=when, schedule=schedule,
                               join_url=links["join_url"], forget_url=links["forget_url"])
        subject = gettext(SUBJECTS[kind], question=_one_line(workshop.question))
    message = EmailMessage(subject=subject, body=body, from_email=sender(), to=[to],
                           headers={"Message-ID": make_msgid(domain=_host()),
                                    "Content-Language": workshop.language,
                                    "Auto-Submitted": "auto-generated",
                                    # Mail clients offer it as "unsubscribe": it opens the page that asks.
                                    "List-Unsubscribe": f"<{links['forget_url']}>"})
    message.attach("workshop.ics", calendar_file(workshop, schedule, links["join_url"]).decode("utf-8"),
                   "text/calendar")
    return message


def _one_line(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def connection():
    return mail.get_connection(fail_silently=False)
