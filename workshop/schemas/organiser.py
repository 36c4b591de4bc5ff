"""The organiser's inputs: the schedule and the e-mail invitations."""
from __future__ import annotations

from marshmallow import fields, pre_load, validate

from .fields import *  # noqa: F401,F403 - the field types every schema here is made of
from .fields import _l, _length  # noqa: F401
from .room import *  # noqa: F401,F403


# --- The schedule and e-mail invitations (organiser pages) -----------------------------------

_DATE = {**REQUIRED, "invalid": _l("Enter a date as YYYY-MM-DD.")}
_TIME = {**REQUIRED, "invalid": _l("Enter a time as HH:MM.")}


class SetSchedule(Strict):
    """When and where; every field may be left empty (a form sends empty strings)."""

    day = fields.Date(load_default=None, allow_none=True, error_messages=_DATE)
    start = fields.Time(load_default=None, allow_none=True, error_messages=_TIME)
    end = fields.Time(load_default=None, allow_none=True, error_messages=_TIME)
    place = Str(load_default=None, allow_none=True, validate=_length(0, 200))
    meeting_url = Str(load_default=None, allow_none=True, validate=_length(0, 500))
    prework_opens = fields.Date(load_default=None, allow_none=True, error_messages=_DATE)
    prework_closes = fields.Date(load_default=None, allow_none=True, error_messages=_DATE)

    @pre_load
    def _empty_is_none(self, data, **kwargs):
        return {k: (None if isinstance(v, str) and not v.strip() else v) for k, v in data.items()}


class AddRecipients(Strict):
    addresses = Str(required=True, error_messages=REQUIRED, validate=_length(3, 20000))


class SendMailing(Strict):
    kind = Str(required=True, error_messages=REQUIRED, validate=validate.OneOf(
        ("prework", "validation", "guide"), error=_l("Choose which mail to send.")))
