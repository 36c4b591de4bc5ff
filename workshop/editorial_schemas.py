"""The shapes of the editorial layer's commands (``editorial.set``, ``theme.editorial.set``).

Beside ``schemas.py`` (its field types and messages), in a module of its own so that file does not
grow another feature. Each command carries ``version``, the part's version the editor started
from (0 for a part never saved), and the fields it changes: a field left out keeps its saved value
(services/editorial.py), so a client sending only what it changed never blanks the rest; each save
is a new version of the whole part.
"""
from __future__ import annotations

from flask_babel import gettext
from marshmallow import ValidationError, fields, pre_load, validate

from .domain import editorial as rules
from .domain.errors import N_, Invalid
from .domain.support import SUPPORT_TYPES
from .schemas import DB_INT_MAX, REQUIRED, Id, Int, Str, Strict, _l


class _Named:
    """A message that names its field in the reader's language (the label the console shows),
    so "Please check what you entered: ..." says which field, over the API as on the screen."""

    def __init__(self, label: str, msgid: str):
        self.label, self.msgid = label, msgid

    def format(self, **params) -> str:
        return gettext(self.msgid) % {**params, "field": gettext(self.label)}

    def __str__(self) -> str:
        return self.format()


TEXT_ONLY = N_("%(field)s: enter text (an empty text clears it).")
TOO_LONG = N_("%(field)s: enter at most %(max)s characters.")


def _version():
    return Int(required=True, strict=True, error_messages=REQUIRED, validate=validate.Range(
        min=0, max=DB_INT_MAX, error=_l("The version is not valid.")))


def _text(label: str, max_: int):
    """Left out: the saved text stays; empty (or null): the text is cleared."""
    return Str(error_messages={"invalid": _Named(label, TEXT_ONLY)},
               validate=validate.Length(max=max_, error=_Named(label, TOO_LONG)))


def _real_day(text: str | None) -> None:
    """A due date is a real day written YYYY-MM-DD (2027-02-30 is none); an empty one is no date."""
    if text is not None:
        try:
            rules.parse_due(text)
        except Invalid:
            raise ValidationError(gettext(rules.DUE_DATE)) from None


class _Editorial(Strict):
    # What a form sends for a field it cleared: an empty string (or null) means "none", the same
    # as the console's empty choice, never an error nor a different one per field.
    EMPTY_IS_NONE: tuple[str, ...] = ()
    NULL_IS_EMPTY: dict[str, object] = {}

    @pre_load
    def _cleared(self, data, **kwargs):
        if not isinstance(data, dict):
            return data
        data = {k: None if k in self.EMPTY_IS_NONE and isinstance(v, str) and not v.strip() else v
                for k, v in data.items()}
        return {k: self.NULL_IS_EMPTY[k] if v is None and k in self.NULL_IS_EMPTY else v for k, v in data.items()}


class SetEditorial(_Editorial):
    """``editorial.set``: the workshop's conclusion and next steps."""

    NULL_IS_EMPTY = {"conclusion": "", "next_steps": ""}

    version = _version()
    conclusion = _text(N_("Overall conclusion"), rules.CONCLUSION_MAX)
    next_steps = _text(N_("Next steps"), rules.NEXT_STEPS_MAX)


class SetThemeEditorial(_Editorial):
    """``theme.editorial.set``: one theme's synthesis, quotes (contribution ids) and support decision.
    An empty ``support_kind``, ``support_due`` or ``proposal_id`` means none (a cleared field)."""

    EMPTY_IS_NONE = ("support_kind", "support_due", "proposal_id")
    NULL_IS_EMPTY = {"synthesis": "", "support_description": "", "support_owner": "", "quotes": []}

    theme_id = Id(required=True)
    version = _version()
    synthesis = _text(N_("Synthesis in your own words"), rules.SYNTHESIS_MAX)
    quotes = fields.List(Id(), error_messages=REQUIRED, validate=validate.Length(
        max=rules.QUOTES_MAX, error=_l("Choose at most %(max)s quotes per theme.")))
    support_kind = Str(allow_none=True, validate=validate.OneOf(
        SUPPORT_TYPES, error=_l("Choose one of the listed kinds of support.")))
    support_description = _text(N_("What was decided"), rules.DECISION_MAX)
    support_owner = _text(N_("Owner"), rules.OWNER_MAX)
    support_due = Str(allow_none=True, validate=_real_day)
    proposal_id = Id(allow_none=True)
