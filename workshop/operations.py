"""The one path every change takes: validate, authorise, run the service, publish after commit.

The socket namespace and the JSON API both call ``perform``; neither holds a business rule.
"""
from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from typing import Callable

from flask import current_app, has_app_context, has_request_context, request
from flask_babel import gettext
from marshmallow import Schema, ValidationError

from . import authz, editorial_schemas, metrics, schemas
from .domain.errors import DomainError
from .extensions import db
from .group_commit import GroupCommit
from .realtime import suggestions_live
from .realtime.publish import publish, publish_all
from .services import aggregation as agg
from .services import facilitation as fac
from .services import editorial
from .services import guide_files
from .services import audit
from .services import participation as par
from .services import privacy
from .services import review
from .services import proposals as prop
from .services import spotlight as spot
from .services import timers
from .services import moderation, setup
from .services import rounds
from .services import similar
from .services import submissions as sub
from .services import suggesting
from .services.outcome import Outcome
from .services.workshops import Identity


@dataclass(frozen=True)
class Operation:
    """An operation runs alone (``run``), or with every command of its kind queued for the same
    workshop in one transaction (``many``, see ``group_commit``): what a whole room sends at once."""

    schema: type[Schema]
    roles: tuple[str, ...]  # the screens that send it; who may is authz.EVENTS
    run: Callable[[Identity, dict], Outcome] | None = None
    many: Callable[[int, list[sub.Command]], list] | None = None
    # The newest command replaces the older ones: one connection's apply in the order sent
    # (realtime/ordering.py), so the last ballot sent is the one that stands.
    ordered: bool = False


PARTICIPANT = ("participant",)
FACILITATOR = ("facilitator",)

OPERATIONS: dict[str, Operation] = {
    "item.submit": Operation(schemas.SubmitItem, PARTICIPANT, many=sub.add_items),
    "item.add": Operation(schemas.SubmitItem, FACILITATOR, many=sub.add_items),
    "ballot.set": Operation(schemas.SetBallot, PARTICIPANT, many=sub.set_ballots, ordered=True),
    "advice.set": Operation(schemas.SetAdvice, PARTICIPANT, lambda who, d: par.set_advice(who, d["client_id"], d["text"]),
                           ordered=True),
    "phase.set": Operation(schemas.SetPhase, FACILITATOR, lambda who, d: fac.set_phase(who, d["phase"])),
    "theme.create": Operation(schemas.ThemeName, FACILITATOR, lambda who, d: fac.create_theme(who, d["name"], d["starter_key"])),
    "theme.rename": Operation(schemas.RenameTheme, FACILITATOR,
                              lambda who, d: fac.rename_theme(who, d["theme_id"], d["name"])),
    "theme.delete": Operation(schemas.ThemeRef, FACILITATOR, lambda who, d: fac.delete_theme(who, d["theme_id"])),
    "item.assign": Operation(schemas.AssignItem, FACILITATOR,
                             lambda who, d: fac.assign_item(who, d["item_id"], d["theme_id"])),
    "results.reveal": Operation(schemas.Reveal, FACILITATOR,
                                lambda who, d: fac.reveal_results(who, d["revealed"], d["round_id"])),
    "contributions.withdraw": Operation(privacy.Withdraw, PARTICIPANT, lambda who, d: privacy.withdraw(who)),
    "review.open": Operation(schemas.OpenReview, FACILITATOR, lambda who, d: review.set_open(who, d["open"])),
    "review.finalise": Operation(schemas.Finalise, FACILITATOR, lambda who, d: review.finalise(who)),
    "comment.submit": Operation(schemas.SubmitComment, PARTICIPANT,
                                lambda who, d: review.add_comment(who, d["client_id"], d["text"], d["theme_id"])),
    "review.respond": Operation(schemas.RespondToTheme, PARTICIPANT,
                                lambda who, d: review.respond(who, d["theme_id"], d["stance"])),
    "comment.handle": Operation(schemas.HandleComment, FACILITATOR,
                                lambda who, d: review.handle_comment(who, d["comment_id"], d["handling"])),
    "spotlight.set": Operation(schemas.SetSpotlight, FACILITATOR,
                               lambda who, d: spot.set_spotlight(who, d["mode"], d["lane"], d["ordinal"])),
    "spotlight.step": Operation(schemas.StepSpotlight, FACILITATOR, lambda who, d: spot.step_spotlight(who, d["delta"])),
    "spotlight.clear": Operation(schemas.NoFields, FACILITATOR, lambda who, d: spot.clear_spotlight(who)),
    "timer.start": Operation(schemas.StartTimer, FACILITATOR,
                             lambda who, d: timers.start_timer(who, d["seconds"], d["lock"])),
    "timer.extend": Operation(schemas.ExtendTimer, FACILITATOR, lambda who, d: timers.extend_timer(who, d["seconds"])),
    "timer.stop": Operation(schemas.NoFields, FACILITATOR, lambda who, d: timers.stop_timer(who)),
    "proposal.submit": Operation(schemas.SubmitProposal, PARTICIPANT, lambda who, d: prop.submit(who, d, _origin())),
    "proposal.edit": Operation(schemas.EditProposal, PARTICIPANT, lambda who, d: prop.edit(who, d, _origin())),
    # Moderation and set-up (services/moderation.py, services/setup.py)
    "item.hide": Operation(schemas.ItemRef, FACILITATOR, lambda who, d: moderation.hide(who, d["item_id"])),
    "item.restore": Operation(schemas.ItemRef, FACILITATOR, lambda who, d: moderation.restore(who, d["item_id"])),
    "item.edit": Operation(schemas.EditItem, ("facilitator", "participant"), lambda who, d: moderation.edit(who, d)),
    "item.withdraw": Operation(schemas.ItemRef, PARTICIPANT,
                               lambda who, d: moderation.withdraw_own(who, d["item_id"])),
    "setup.anonymity": Operation(schemas.SetAnonymity, FACILITATOR,
                                 lambda who, d: setup.set_anonymity(who, d["anonymity"])),
    "option.add": Operation(schemas.AddOption, FACILITATOR, lambda who, d: setup.add_option(who, d["kind"], d["name"])),
    "option.rename": Operation(schemas.RenameOption, FACILITATOR,
                               lambda who, d: setup.rename_option(who, d["kind"], d["key"], d["name"])),
    "option.remove": Operation(schemas.OptionRef, FACILITATOR,
                               lambda who, d: setup.remove_option(who, d["kind"], d["key"])),
    "template.save": Operation(schemas.SaveTemplate, FACILITATOR, lambda who, d: setup.save_template(who, d["name"])),
    # Aggregation (services/aggregation.py): each one undoable step, one themes.changed change.
    "theme.merge": Operation(schemas.MergeThemes, FACILITATOR,
                             lambda who, d: agg.merge_themes(who, d["theme_id"], d["into_id"])),
    "theme.unmerge": Operation(schemas.ThemeId, FACILITATOR, lambda who, d: agg.unmerge_theme(who, d["theme_id"])),
    "item.merge": Operation(schemas.MergeItems, FACILITATOR,
                            lambda who, d: agg.merge_items(who, d["item_id"], d["into_id"])),
    "item.unmerge": Operation(schemas.ItemRef, FACILITATOR, lambda who, d: agg.unmerge_item(who, d["item_id"])),
    "theme.split": Operation(schemas.SplitTheme, FACILITATOR,
                             lambda who, d: agg.split_theme(who, d["name"], d["item_ids"], d["theme_id"])),
    "items.move": Operation(schemas.MoveItems, FACILITATOR,
                            lambda who, d: agg.move_items(who, d["item_ids"], d["theme_id"])),
    "aggregation.undo": Operation(schemas.Undo, FACILITATOR, lambda who, d: agg.undo(who, d["step_id"])),
    # Grouping suggestions: the console's alone, nothing versioned, nothing grouped.
    "suggestions.list": Operation(schemas.NoInput, FACILITATOR, lambda who, d: suggesting.list_suggestions(who)),
    "suggestion.reject": Operation(schemas.SuggestionRef, FACILITATOR, lambda who, d: suggesting.reject(who, d["key"])),
    "round.create": Operation(schemas.CreateRound, FACILITATOR, rounds.create_round),
    "round.current": Operation(schemas.RoundRef, FACILITATOR, lambda who, d: rounds.set_current(who, d["round_id"])),
    "ballot.paper": Operation(schemas.PaperBallot, FACILITATOR, rounds.paper_ballot),
    # "Something similar is already here" (services/similar.py)
    "setup.similar_hint": Operation(schemas.SetSimilarHint, FACILITATOR, lambda who, d: similar.set_hint(who, d["on"])),
    "item.similar": Operation(schemas.SimilarQuery, PARTICIPANT, lambda who, d: similar.similar(who, d["text"], d["lane"])),
    "item.support": Operation(schemas.SupportItem, PARTICIPANT,
                              lambda who, d: similar.support(who, d["item_id"], d["client_id"])),
    "joining.set": Operation(schemas.SetJoining, FACILITATOR, lambda who, d: par.set_joining(who, d["open"])),
    # The editorial layer (services/editorial.py): each save a new version, refused once the guide is final.
    "editorial.get": Operation(schemas.NoInput, FACILITATOR, lambda who, d: editorial.read(who)),
    "editorial.set": Operation(editorial_schemas.SetEditorial, FACILITATOR, editorial.set_workshop),
    "theme.editorial.set": Operation(editorial_schemas.SetThemeEditorial, FACILITATOR, editorial.set_theme),
}


def _origin() -> str | None:
    """The sending connection, when the command came over a socket: its ack already says it."""
    return getattr(request, "sid", None) if has_request_context() else None


def perform(name: str, identity: Identity, payload) -> Outcome:
    """Run one operation for ``identity``; raises DomainError or ValidationError, changing nothing."""
    operation = OPERATIONS[name]
    authz.require_event(identity, name)
    data = _schema(operation.schema).load(payload if payload is not None else {})
    if operation.many is not None:  # committed and published with the others of its group
        command = sub.Command(identity, data, getattr(request, "sid", None) if has_request_context() else None)
        _release_session()  # hold no connection while the command waits for its batch
        outcome = _group_commit.run((operation.many, identity.workshop_id), command)
    else:
        outcome = _rolled_back_on_error(operation.run, identity, data)
    if authz.role_of(identity) in authz.RUNNERS and outcome.stamp is not None:  # a change, not a resend
        audit.record(identity, outcome.workshop_id, name, {**data, **outcome.audit})
    if operation.many is None:
        _publish_after_commit(outcome)
        _prepare_final_guide(name, outcome)
    return outcome


def _prepare_final_guide(name: str, outcome: Outcome) -> None:
    """Closing a workshop (or finalising its guide, which closes it) makes the organiser's files
    in the background, so that the download is ready when asked for."""
    if name in ("phase.set", "review.finalise") and outcome.stamp is not None \
            and outcome.reply.get("phase") == "closed" and current_app.config.get("GUIDE_PREPARE"):
        guide_files.prepare_soon(current_app._get_current_object(), outcome.workshop_id)


@functools.cache
def _schema(schema: type[Schema]) -> Schema:
    """One instance per schema: building one per event costs more than the validation itself
    (loading keeps no state on the instance)."""
    return schema()


def _apply_group(key, commands: list[sub.Command]) -> list:
    """One group of queued commands in one transaction; its outcomes are published in order by
    ``_publish_group`` as soon as their callers have them."""
    many, workshop_id = key
    started = time.perf_counter()
    try:
        results = many(workshop_id, commands)
    except Exception:
        db.session.rollback()
        raise
    finally:
        db.session.close()
    metrics.batch_applied(many.__name__, len(commands), time.perf_counter() - started)
    return results


def _publish_group(results: list) -> None:
    outcomes = [result for result in results if isinstance(result, Outcome)]
    publish_all(outcomes)
    _refresh_suggestions(outcomes)


def _refresh_suggestions(outcomes: list[Outcome]) -> None:
    """The console's suggestions follow every change that can alter them (realtime/suggestions_live.py)."""
    if has_app_context():
        suggestions_live.after(current_app._get_current_object(), outcomes)


_group_commit = GroupCommit(_apply_group, after=_publish_group)


def join(code: str, payload, address: str | None = None) -> tuple[dict, str]:
    """Join a workshop: validate, admit (joining open, not full, not too fast from ``address``),
    register, commit, publish. Returns the participant and token."""
    data = _schema(schemas.Join).load(payload if payload is not None else {})
    workshop_id = par.admit(code, address)
    command, token = sub.joining(data["perspective"], data["name"])
    db.session.close()
    outcome = _group_commit.run((sub.join_many, workshop_id), command)
    return outcome.reply["participant"], token


def _release_session() -> None:
    """Close this event's session if it opened one. Most commands of a burst never touch it
    before their batch, and making a session only to close it was a cost every one of them paid."""
    if db.session.registry.has():
        db.session.close()


def _rolled_back_on_error(run, *args):
    try:
        return run(*args)
    except Exception:
        db.session.rollback()
        raise


def _publish_after_commit(outcome: Outcome) -> None:
    # The outcome is plain data by now: give the connection back before the (slower) fan-out.
    db.session.close()
    publish(outcome)
    _refresh_suggestions([outcome])


def _stringify(messages):
    if isinstance(messages, dict):
        return {str(k): _stringify(v) for k, v in messages.items()}
    if isinstance(messages, (list, tuple)):
        return [_stringify(m) for m in messages]
    return str(messages)


def error_body(exc: Exception) -> dict:
    """The error envelope sent to clients, translated into the current locale."""
    if isinstance(exc, ValidationError):
        fields = _stringify(exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages})
        first = next(iter(fields.values()), None)
        detail = first[0] if isinstance(first, list) and first and isinstance(first[0], str) else None
        message = gettext("Please check what you entered: %(detail)s", detail=detail) if detail \
            else gettext("Please check what you entered.")
        return {"code": "invalid", "message": message, "fields": fields}
    if isinstance(exc, DomainError):
        return {"code": exc.code, "message": gettext(exc.message, **exc.params)}
    return {"code": "server_error", "message": gettext("Something went wrong on the server. Nothing was changed.")}


def status_of(exc: Exception) -> int:
    if isinstance(exc, ValidationError):
        return 400
    if isinstance(exc, DomainError):
        return exc.status
    return 500
