"""The full method's inputs: spotlight, timer, support proposals, and the set-up and moderation
of a workshop (items hidden, edited or withdrawn; lanes, tags and perspectives; templates)."""
from __future__ import annotations

import re

from flask_babel import gettext
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, post_load, pre_load, validate

from ..domain.phases import ALL_PHASES
from ..domain.setup import ANONYMITY_MODES, ASSESSMENTS, OPTION_KINDS
from ..domain.starter_themes import STARTER_THEME_KEYS

from .fields import *  # noqa: F401,F403 - the field types every schema here is made of
from .fields import _as_list, _l, _length, _UNSTORABLE  # noqa: F401
from .room import *  # noqa: F401,F403
from .room import _assessment, _db_id, _tag  # noqa: F401


# --- The full method: spotlight, timer, support proposals ----------------------------------------

class NoFields(Strict):
    """An event that takes no fields."""


class SetSpotlight(Strict):
    mode = Str(required=True, error_messages=REQUIRED, validate=validate.OneOf(
        ("participant", "lane"), error=_l("Choose a participant or a kind of item.")))
    lane = Str(load_default=None, allow_none=True, validate=_length(1, 40))
    ordinal = Int(load_default=None, allow_none=True, strict=True)


class StepSpotlight(Strict):
    delta = Int(required=True, strict=True, error_messages=REQUIRED, validate=validate.OneOf(
        (-1, 1), error=_l("Step forward or back by one.")))


class StartTimer(Strict):
    seconds = Int(required=True, strict=True, error_messages=REQUIRED)
    lock = Bool(load_default=False)


class ExtendTimer(Strict):
    seconds = Int(required=True, strict=True, error_messages=REQUIRED)


_SUPPORT_TYPES = ("checklist", "template", "guide", "training", "network", "examples", "other")


class _ProposalFields(Strict):
    type = Str(required=True, error_messages=REQUIRED, validate=validate.OneOf(
        _SUPPORT_TYPES, error=_l("Choose one of the listed kinds of support.")))
    description = Text(280)
    who_needs = Str(load_default="", validate=_length(0, 120))


class SubmitProposal(_ProposalFields):
    client_id = ClientId()
    theme_id = Id(required=True)


class EditProposal(_ProposalFields):
    proposal_id = Id(required=True)
# --- Set-up and moderation ----------------------------------------------------------------------

class ItemRef(Strict):
    # Bounded like the database's integer ids: a huge number is a wrong id, not a server error.
    item_id = Int(required=True, strict=True, error_messages=REQUIRED, validate=validate.Range(
        min=1, max=DB_INT_MAX, error=_l("The item id is not valid.")))


class EditItem(ItemRef):
    """Change an item: any of its text, lane, tag (null: none) and assessment."""

    OPENAPI_EXTRA = {"minProperties": 1}  # the body (item_id is in the path) changes something

    text = Str(validate=_length(1, TEXT_MAX))
    lane = Str(validate=_length(1, 40))
    tag = Str(allow_none=True, validate=_length(1, 40))
    assessment = Str(validate=validate.OneOf(ASSESSMENTS, error=_l("Mark the item as works well or needs development.")))

    @post_load
    def _something(self, data, **kwargs):
        if len(data) < 2:
            raise ValidationError(str(_l("Change the text, the kind, the tag or the assessment.")), "_schema")
        if data.get("tag") == "":
            data["tag"] = None
        return data


class SetSimilarHint(Strict):
    """``setup.similar_hint``: phones show similar contributions before sending, or not."""

    on = Bool(required=True, error_messages=REQUIRED)


class SimilarQuery(Strict):
    """``item.similar``: what a participant is about to send, asked about before sending."""

    text = Text()
    lane = Str(required=True, error_messages=REQUIRED, validate=_length(1, 40))


class SupportItem(ItemRef):
    """``item.support``: add one's support to a contribution already in the room."""

    client_id = ClientId()


class SetAnonymity(Strict):
    anonymity = Str(required=True, error_messages=REQUIRED, validate=validate.OneOf(
        ANONYMITY_MODES, error=_l("Choose anonymous, names for the facilitator only, or named.")))


class _OptionKind(Strict):
    kind = Str(required=True, error_messages=REQUIRED, validate=validate.OneOf(
        OPTION_KINDS, error=_l("Choose a lane, a tag or a perspective.")))


class AddOption(_OptionKind):
    name = Text(80)


class OptionRef(_OptionKind):
    key = Str(required=True, error_messages=REQUIRED, validate=_length(1, 40))


class RenameOption(OptionRef):
    name = Text(80)


class SaveTemplate(Strict):
    name = Text(80, 2)
