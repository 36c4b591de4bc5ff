"""The field types and base schema every input schema is made of: every message ours and lazy
(in the language of whoever sent the input), nothing a database column cannot hold.

marshmallow schemas: the shape and types of everything that comes in.

Schemas never touch the database or the current user; whether a lane or a theme exists in this
workshop is for the service to decide. Error messages are lazy strings so they come out in the
language of whoever sent the input.
"""
from __future__ import annotations

import re

from flask_babel import gettext
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, post_load, pre_load, validate

from ..domain.phases import ALL_PHASES
from ..domain.setup import ANONYMITY_MODES, ASSESSMENTS, OPTION_KINDS
from ..domain.starter_themes import STARTER_THEME_KEYS



class Msg:
    """A message translated when it is used, in the language of whoever sent the input.

    marshmallow calls ``format(min=..., max=...)`` on validator messages; this fills in our
    %(name)s placeholders after translating, so the catalog holds whole sentences.
    """

    def __init__(self, msgid: str):
        self.msgid = msgid

    def format(self, **params) -> str:
        return gettext(self.msgid) % params

    def __str__(self) -> str:
        return gettext(self.msgid)


_l = Msg

REQUIRED = {"required": _l("This field is required."), "null": _l("This field is required."),
            "invalid": _l("This value has the wrong type.")}
TEXT_MAX = 280
# What no database column here can hold: NUL (PostgreSQL refuses it in text) and lone UTF-16
# surrogates (not UTF-8 at all: PostgreSQL refuses them, SQLite's driver cannot even encode them).
# JSON can carry both ("\u0000", "\ud800"); refused here, they never get as far as an INSERT.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Every integer column is a 32-bit INTEGER (PostgreSQL's range; SQLite's driver fails beyond 64 bits).
DB_INT_MAX = 2**31 - 1


# Field types whose every message is ours, so no English default ever reaches a Swedish user.
class Str(fields.String):
    """Text that can be stored: anything else is refused with a message, never a database error."""

    default_error_messages = {**REQUIRED, "invalid": _l("Enter text."),
                              "invalid_utf8": _l("Enter text."),
                              "unstorable": _l("This text contains characters that cannot be saved."),
                              "validator_failed": _l("This value is not valid.")}

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if _UNSTORABLE.search(text):
            raise self.make_error("unstorable")
        return text


class Int(fields.Integer):
    """A whole number an INTEGER column holds: a larger one is refused before it reaches a query
    (SQLite's driver raises OverflowError beyond 64 bits, PostgreSQL beyond 32), a timedelta or
    a comparison, whatever the field's own rule says."""

    default_error_messages = {**REQUIRED, "invalid": _l("Enter a whole number."),
                              "too_large": _l("This number is too large."),
                              "validator_failed": _l("This value is not valid.")}

    def _deserialize(self, value, attr, data, **kwargs):
        number = super()._deserialize(value, attr, data, **kwargs)
        if not -DB_INT_MAX - 1 <= number <= DB_INT_MAX:
            raise self.make_error("too_large")
        return number


class Bool(fields.Boolean):
    default_error_messages = {**REQUIRED, "invalid": _l("Enter true or false."),
                              "validator_failed": _l("This value is not valid.")}

    def _deserialize(self, value, attr, data, **kwargs):
        """JSON's true or false only, as the API document says: marshmallow would also take
        1, 0, "yes", "no" and "on" (an outside conformance test found them accepted)."""
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class Mapping(fields.Dict):
    default_error_messages = {**REQUIRED, "invalid": _l("This value has the wrong type."),
                              "validator_failed": _l("This value is not valid.")}


def _length(min_: int, max_: int):
    return validate.Length(min=min_, max=max_,
                           error=_l("Enter between %(min)s and %(max)s characters."))


class Strict(Schema):
    class Meta:
        unknown = RAISE

    @pre_load
    def _strip(self, data, **kwargs):
        if not isinstance(data, dict):
            raise ValidationError(str(_l("The request must be a JSON object.")), "_schema")
        return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}

    def handle_error(self, error, data, **kwargs):
        """Every field's errors become a list of translated strings, whatever marshmallow made."""
        messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        raise ValidationError({key: _as_list(value) for key, value in messages.items()})


def _as_list(value):
    if isinstance(value, dict):
        return {key: _as_list(inner) for key, inner in value.items()}
    values = value if isinstance(value, list) else [value]
    return [str(Msg("This field is not allowed.")) if str(v) == "Unknown field." else str(v) for v in values]


def Text(max_: int = TEXT_MAX, min_: int = 1, **kwargs):
    return Str(required=True, validate=_length(min_, max_), error_messages=REQUIRED, **kwargs)
