"""When and where a workshop happens, and when its pre-work is open: the rules, and how the
dates read in the workshop's language.

Dates are calendar dates and times are wall-clock times at the workshop's place (its time zone
is kept beside them), because that is what an invitation says and what people put in their
calendars; nothing here converts to UTC except the calendar file's instants.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time

from .errors import N_, DomainError

PLACE_MAX = 200
URL_MAX = 500
# An invitation for a workshop without an end time puts this long a block in people's calendars.
DEFAULT_LENGTH = timedelta(hours=3)


@dataclass(frozen=True)
class Schedule:
    day: date | None = None
    start: time | None = None
    end: time | None = None
    timezone: str = "Europe/Stockholm"
    place: str | None = None
    meeting_url: str | None = None
    prework_opens: date | None = None
    prework_closes: date | None = None

    @property
    def is_empty(self) -> bool:
        return self == Schedule(timezone=self.timezone)


def checked(schedule: Schedule) -> Schedule:
    """The schedule as it may be saved, or a DomainError naming the first thing wrong.

    A time needs a day; an end needs a start and comes after it; pre-work closes no earlier than
    it opens and no later than the workshop's day (it is the work done before the day); a meeting
    link is an http(s) address, because it is put in mails and calendars as a link.
    """
    place = (schedule.place or "").strip() or None
    url = (schedule.meeting_url or "").strip() or None
    schedule = replace(schedule, place=place, meeting_url=url)
    if (schedule.start or schedule.end) and schedule.day is None:
        raise DomainError("schedule_time_without_day", N_("Choose the day of the workshop before its time."))
    if schedule.end and not schedule.start:
        raise DomainError("schedule_end_without_start", N_("Choose when the workshop starts, or leave the end empty."))
    if schedule.start and schedule.end and schedule.end <= schedule.start:
        raise DomainError("schedule_end_before_start", N_("The workshop must end after it starts."))
    if schedule.prework_opens and schedule.prework_closes and schedule.prework_closes < schedule.prework_opens:
        raise DomainError("prework_closes_before_opening", N_("Pre-work cannot close before it opens."))
    if schedule.day:
        for when in (schedule.prework_opens, schedule.prework_closes):
            if when and when > schedule.day:
                raise DomainError("prework_after_workshop", N_("Pre-work must close no later than the day of the workshop."))
    if place and len(place) > PLACE_MAX:
        raise DomainError("place_too_long", N_("The place can be at most %(max)s characters."), max=PLACE_MAX)
    if url:
        parts = urlsplit(url)
        if len(url) > URL_MAX or parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
            raise DomainError("meeting_url_invalid", N_("Enter the meeting link as a full address starting with https://."))
    try:
        ZoneInfo(schedule.timezone)
    except Exception:  # ZoneInfoNotFoundError, ValueError for a malformed key
        raise DomainError("timezone_unknown", N_("This time zone is not known.")) from None
    return schedule


def prework_state(schedule: Schedule, today: date) -> str:
    """'not_yet', 'open' or 'closed' by the calendar; 'open' when no dates were set."""
    if schedule.prework_opens and today < schedule.prework_opens:
        return "not_yet"
    if schedule.prework_closes and today > schedule.prework_closes:
        return "closed"
    return "open"


def instants(schedule: Schedule) -> tuple[datetime, datetime] | None:
    """The workshop's start and end as aware datetimes, or None without a start time."""
    if schedule.day is None or schedule.start is None:
        return None
    zone = ZoneInfo(schedule.timezone)
    start = datetime.combine(schedule.day, schedule.start, tzinfo=zone)
    end = datetime.combine(schedule.day, schedule.end, tzinfo=zone) if schedule.end else start + DEFAULT_LENGTH
    return start, end


def described(schedule: Schedule, language: str) -> dict[str, str]:
    """The schedule's parts as the workshop's language writes them: ``day`` ('tisdag 15 december
    2026', 'Tuesday, December 15, 2026'), ``time`` ('09:00–12:00', '9:00 AM – 12:00 PM'),
    ``prework_opens``, ``prework_closes``; a part not set is left out."""
    parts: dict[str, str] = {}
    if schedule.day:
        parts["day"] = format_date(schedule.day, "full", locale=language)
    if schedule.start:
        start = format_time(schedule.start, "short", locale=language)
        parts["time"] = f"{start}–{format_time(schedule.end, 'short', locale=language)}" if schedule.end else start
    if schedule.prework_opens:
        parts["prework_opens"] = format_date(schedule.prework_opens, "long", locale=language)
    if schedule.prework_closes:
        parts["prework_closes"] = format_date(schedule.prework_closes, "long", locale=language)
    return parts
