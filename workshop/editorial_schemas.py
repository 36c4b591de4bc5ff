"""The shapes of the editorial layer's commands (``editorial.set``, ``theme.editorial.set``).

Beside ``schemas.py`` (its field types and messages), in a module of its own so that file does not
grow another feature. Each command carries ``version``, the part's version the editor started
from (0 for a part never saved), and the fields it changes: a field left out keeps its saved value
(services/editorial.py), so a client sending only what it changed never blanks the rest; each save
is a new version of the whole part.
"""
from __future__ import annotations

from marshmallow import fields, validate

from .domain import editorial as rules
from .domain.support import SUPPORT_TYPES
from .schemas import DB_INT_MAX, REQUIRED, Id, Int, Str, Strict, _l, _length


def _version():
    return Int(required=True, strict=True, error_messages=REQUIRED, validate=validate.Range(
        min=0, max=DB_INT_MAX, error=_l("The version is not valid.")))


def _text(max_: int):
    return Str(validate=_length(0, max_))  # left out: the saved text stays


class SetEditorial(Strict):
    """``editorial.set``: the workshop's conclusion and next steps."""

    version = _version()
    conclusion = _text(rules.CONCLUSION_MAX)
    next_steps = _text(rules.NEXT_STEPS_MAX)


class SetThemeEditorial(Strict):
    """``theme.editorial.set``: one theme's synthesis, quotes (contribution ids) and support decision."""

    theme_id = Id(required=True)
    version = _version()
    synthesis = _text(rules.SYNTHESIS_MAX)
    quotes = fields.List(Id(), error_messages=REQUIRED, validate=validate.Length(
        max=rules.QUOTES_MAX, error=_l("Choose at most %(max)s quotes per theme.")))
    support_kind = Str(allow_none=True, validate=validate.OneOf(
        SUPPORT_TYPES, error=_l("Choose one of the listed kinds of support.")))
    support_description = _text(rules.DECISION_MAX)
    support_owner = _text(rules.OWNER_MAX)
    support_due = Str(allow_none=True, validate=validate.Regexp(
        r"^\d{4}-\d{2}-\d{2}$", error=_l("Enter the due date as a date, for example 2027-03-31.")))
    proposal_id = Id(allow_none=True)
