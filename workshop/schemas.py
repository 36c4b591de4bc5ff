"""marshmallow schemas: the shape and types of everything that comes in.

Schemas never touch the database or the current user; whether a lane or a theme exists in this
workshop is for the service to decide. Error messages are lazy strings so they come out in the
language of whoever sent the input.
"""
from __future__ import annotations

import re

from flask_babel import gettext
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, post_load, pre_load, validate

from .domain.phases import ALL_PHASES
from .domain.setup import ANONYMITY_MODES, ASSESSMENTS, OPTION_KINDS
from .domain.starter_themes import STARTER_THEME_KEYS



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
