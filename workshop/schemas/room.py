"""The room's inputs: creating and joining a workshop, items, ballots and rounds, advice, phases,
themes and their grouping, the review round, and a screen's connection."""
from __future__ import annotations

import re

from flask_babel import gettext
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, post_load, pre_load, validate

from ..domain.phases import ALL_PHASES
from ..domain.setup import ANONYMITY_MODES, ASSESSMENTS, OPTION_KINDS
from ..domain.starter_themes import STARTER_THEME_KEYS

from .fields import *  # noqa: F401,F403 - the field types every schema here is made of
from .fields import _as_list, _l, _length, _UNSTORABLE  # noqa: F401


class CreateWorkshop(Strict):
    question = Text(300, 3)
    organiser = Str(load_default=None, allow_none=True, validate=_length(0, 120))
    language = Str(required=True, error_messages=REQUIRED,
                             validate=validate.OneOf(("sv", "en"), error=_l("Choose Swedish or English.")))
    template = Str(load_default="think-tank", validate=_length(1, 40))
    anonymity = Str(load_default=None, allow_none=True, validate=validate.OneOf(
        ANONYMITY_MODES, error=_l("Choose anonymous, names for the facilitator only, or named.")))


    @post_load
    def _empty_organiser_is_none(self, data, **kwargs):
        data["organiser"] = data.get("organiser") or None
        data["anonymity"] = data.get("anonymity") or None
        return data


class Join(Strict):
    perspective = Str(required=True, error_messages=REQUIRED, validate=_length(1, 40))
    name = Str(load_default=None, allow_none=True, validate=_length(0, 60))

    @post_load
    def _empty_name_is_none(self, data, **kwargs):
        data["name"] = data.get("name") or None
        return data


class ClientId(Str):
    def __init__(self, **kwargs):
        super().__init__(required=True, error_messages=REQUIRED, validate=validate.Regexp(
            r"^[A-Za-z0-9_-]{8,64}$", error=_l("The id is not valid.")), **kwargs)


def _assessment():
    return Str(load_default=None, allow_none=True, validate=validate.OneOf(
        ASSESSMENTS, error=_l("Mark the item as works well or needs development.")))


def _tag():
    return Str(load_default=None, allow_none=True, validate=_length(1, 40))


class SubmitItem(Strict):
    client_id = ClientId()
    lane = Str(required=True, error_messages=REQUIRED, validate=_length(1, 40))
    text = Text()
    tag = _tag()
    assessment = _assessment()

    @pre_load
    def _empty_is_none(self, data, **kwargs):
        if isinstance(data, dict):
            data = {**data, **{k: None for k in ("tag", "assessment") if data.get(k) == ""}}
        return data


def Id(**kwargs):
    """A row id: a whole number a database column can hold (a larger one is simply not valid)."""
    kwargs.setdefault("error_messages", REQUIRED)
    return Int(strict=True, validate=validate.Range(min=1, max=DB_INT_MAX, error=_l("The id is not valid.")),
               **kwargs)


ENTRY_KEY = Str(validate=validate.Regexp(r"^[0-9]{1,12}$", error=_l("The item id is not valid.")))
TOO_MANY = validate.Length(max=200, error=_l("Too many entries."))


class Rating(Strict):
    impact = Int(required=True, strict=True, error_messages=REQUIRED, validate=validate.Range(
        min=1, max=5, error=_l("Rate impact and feasibility from %(min)s to %(max)s.")))
    feasibility = Int(required=True, strict=True, error_messages=REQUIRED, validate=validate.Range(
        min=1, max=5, error=_l("Rate impact and feasibility from %(min)s to %(max)s.")))


class List(fields.List):
    default_error_messages = {**REQUIRED, "invalid": _l("This value has the wrong type."),
                              "validator_failed": _l("This value is not valid.")}


class Nested(fields.Nested):
    default_error_messages = {**REQUIRED, "type": _l("This value has the wrong type."),
                              "validator_failed": _l("This value is not valid.")}


class SetBallot(Strict):
    """A whole ballot in the current round, in its method's field: ``allocation`` (dots),
    ``ratings`` (matrix) or ``ranking``; the service checks it is the round's."""

    client_id = ClientId()
    round_id = Id(load_default=None, allow_none=True)
    allocation = Mapping(
        keys=ENTRY_KEY,
        values=Int(strict=True, validate=validate.Range(
            min=0, max=100, error=_l("Enter a number of dots between %(min)s and %(max)s."))),
        load_default=None, allow_none=True, validate=TOO_MANY)
    ratings = Mapping(keys=ENTRY_KEY, values=Nested(Rating), load_default=None, allow_none=True, validate=TOO_MANY)
    ranking = List(Int(strict=True, validate=validate.Range(min=0, max=DB_INT_MAX,
                                                            error=_l("The item id is not valid."))),
                   load_default=None, allow_none=True, validate=TOO_MANY)

    @post_load
    def _int_keys(self, data, **kwargs):
        if sum(data.get(f) is not None for f in ("allocation", "ratings", "ranking")) != 1:
            raise ValidationError(str(_l("Send one ballot: allocation, ratings or ranking.")), "_schema")
        if data["allocation"] is not None:
            data["allocation"] = {int(k): v for k, v in data["allocation"].items()}
        if data["ratings"] is not None:
            data["ratings"] = {int(k): (v["impact"], v["feasibility"]) for k, v in data["ratings"].items()}
        return data


class PaperBallot(SetBallot):
    """A paper ballot the facilitator enters for someone without a phone."""

    label = Str(required=True, error_messages=REQUIRED, validate=_length(1, 60))
    perspective = Str(load_default=None, allow_none=True, validate=_length(1, 40))


class CreateRound(Strict):
    title = Str(load_default=None, allow_none=True, validate=_length(0, 120))
    method = Str(required=True, error_messages=REQUIRED, validate=validate.OneOf(
        ("dots", "matrix", "ranking"), error=_l("Choose dot voting, the matrix or ranking.")))
    target = Str(load_default="themes", validate=validate.OneOf(("themes", "proposals"),
                                                                error=_l("A round cannot vote on this.")))
    dots = Int(load_default=5, strict=True, validate=validate.Range(
        min=1, max=50, error=_l("Enter a number of dots between %(min)s and %(max)s.")))
    max_per_entry = Int(load_default=3, strict=True, validate=validate.Range(
        min=1, max=50, error=_l("Enter a number of dots between %(min)s and %(max)s.")))
    current = Bool(load_default=True)

    @post_load
    def _empty_title_is_none(self, data, **kwargs):
        data["title"] = data.get("title") or None
        return data


class RoundRef(Strict):
    round_id = Id(required=True)


class SetAdvice(Strict):
    client_id = ClientId()
    text = Text()


class SetPhase(Strict):
    phase = Str(required=True, error_messages=REQUIRED,
                          validate=validate.OneOf(ALL_PHASES, error=_l("This is not a phase of a workshop.")))


class ThemeName(Strict):
    name = Text(120)
    # The template's starter theme it comes from (services/starters.py): helps the suggestions.
    starter_key = Str(load_default=None, allow_none=True, validate=validate.OneOf(
        STARTER_THEME_KEYS, error=_l("This is not a starter theme.")))


def _db_id(message: str):
    """Bounded like the database's integer ids: a huge number is a wrong id, not a server error."""
    return validate.Range(min=1, max=DB_INT_MAX, error=_l(message))


class ThemeRef(Strict):
    theme_id = Int(required=True, strict=True, error_messages=REQUIRED, validate=_db_id("This theme no longer exists."))


class RenameTheme(ThemeRef):
    name = Text(120)


class AssignItem(Strict):
    item_id = Int(required=True, strict=True, error_messages=REQUIRED, validate=_db_id("The item id is not valid."))
    theme_id = Int(required=True, strict=True, allow_none=True, error_messages=REQUIRED,
                   validate=_db_id("This theme no longer exists."))


class ThemeId(Strict):
    theme_id = Id(required=True)


class MergeThemes(ThemeId):
    into_id = Id(required=True)


class MergeItems(Strict):
    item_id = Int(required=True, strict=True, error_messages=REQUIRED, validate=_db_id("The item id is not valid."))
    into_id = Int(required=True, strict=True, error_messages=REQUIRED, validate=_db_id("The item id is not valid."))


def ItemIds():
    return fields.List(Id(), required=True, error_messages=REQUIRED,
                       validate=validate.Length(min=1, max=500, error=_l("Choose between %(min)s and %(max)s items.")))


class SplitTheme(Strict):
    name = Text(120)
    item_ids = ItemIds()
    theme_id = Id(load_default=None, allow_none=True)


class MoveItems(Strict):
    item_ids = ItemIds()
    theme_id = Id(required=True, allow_none=True)


class Undo(Strict):
    step_id = Id(load_default=None, allow_none=True)


class NoInput(Strict):
    pass


class SuggestionRef(Strict):
    key = Str(required=True, error_messages=REQUIRED, validate=validate.Regexp(
        r"^[0-9a-f]{32}$", error=_l("The suggestion is not valid.")))


class Reveal(Strict):
    revealed = Bool(load_default=True)
    round_id = Id(load_default=None, allow_none=True)


class OpenReview(Strict):
    open = Bool(load_default=True)


class SetJoining(Strict):
    """``joining.set``: open or close the workshop to new participants."""

    open = Bool(required=True, error_messages=REQUIRED)


class Finalise(Strict):
    pass


class SubmitComment(Strict):
    client_id = ClientId()
    text = Text(500)
    theme_id = Id(load_default=None, allow_none=True)


class RespondToTheme(Strict):
    """``review.respond``: agree or disagree with one theme of the draft guide."""

    theme_id = Int(required=True, strict=True, error_messages=REQUIRED, validate=_db_id("This theme no longer exists."))
    stance = Str(required=True, error_messages=REQUIRED, validate=validate.OneOf(
        ("agree", "disagree"), error=_l("Choose agree or disagree.")))


class HandleComment(Strict):
    """``comment.handle``: what the facilitator did with a participant's comment."""

    comment_id = Int(required=True, strict=True, error_messages=REQUIRED,
                     validate=_db_id("This comment no longer exists."))
    handling = Str(required=True, error_messages=REQUIRED, allow_none=True, validate=validate.OneOf(
        ("accepted", "changed", "noted"), error=_l("Choose accepted, changed or noted.")))


class ConnectAuth(Schema):
    """The ``auth`` object a screen presents when it opens its Socket.IO connection."""

    class Meta:
        unknown = EXCLUDE

    role = Str(required=True, error_messages=REQUIRED,
                         validate=validate.OneOf(("participant", "facilitator", "projector")))
    token = Str(required=True, error_messages=REQUIRED, validate=validate.Length(min=1, max=200))
    lang = Str(load_default=None, allow_none=True, validate=validate.OneOf(("sv", "en")))
    # The sequence number of the last change this screen holds (its snapshot's ``seq`` or a later
    # change's): when nothing it may see changed since, the server spares it a whole snapshot.
    since = Int(load_default=None, allow_none=True, strict=True, validate=validate.Range(min=0, max=2**62))


class Sync(Schema):
    class Meta:
        unknown = EXCLUDE

    version = Int(load_default=None, allow_none=True)
