"""The one path every change takes: validate, authorise, run the service, publish after commit.

The socket namespace and the JSON API both call ``perform``; neither holds a business rule.
"""
from __future__ import annotations

import functools
import time
from dataclasses import dataclass, replace

from flask import current_app, has_app_context, has_request_context, request
from flask_babel import gettext
from marshmallow import Schema, ValidationError

from . import authz, jobs, metrics, schemas
from .catalogue import OPERATIONS
from .services import audit, views
from .services import participation as par
from .services import submissions as sub
from .services.outcome import Outcome, audience
from .services.unit import unit_of_work
from .services.workshops import Identity
from .domain.errors import DomainError, Invalid
from .extensions import db
from .group_commit import GroupCommit
from .realtime import suggestions_live
from .realtime.publish import publish, publish_all


def _sender() -> str | None:
    """The sending connection, when the command came over a socket: its ack already says it, so
    the personal updates that echo it skip that connection (``Personal.skip_sender``)."""
    return getattr(request, "sid", None) if has_request_context() else None


def perform(name: str, identity: Identity, payload) -> Outcome:
    """Run one operation for ``identity``; raises DomainError or ValidationError, changing nothing."""
    operation = OPERATIONS[name]
    authz.require_event(identity, name)
    data = _schema(operation.schema).load(payload if payload is not None else {})
    sender = _sender()
    if operation.many is not None:  # committed and published with the others of its group
        _release_session()  # hold no connection while the command waits for its batch
        return _group_commit.run((operation.many, identity.workshop_id),
                                 Queued(sub.Command(identity, data), sender, name))
    with unit_of_work():  # the one commit: the change and its audit entry together
        outcome = operation.run(identity, data)
        _audit(name, identity, data, outcome)
    outcome.sender = sender
    _publish_after_commit(outcome)
    _prepare_final_guide(name, outcome)
    return outcome


@dataclass(frozen=True)
class Queued:
    """A command waiting for its batch, with what the batch needs beside the service's input: the
    connection that sent it (its ack already says it) and the operation, for the audit trail."""

    command: sub.Command
    sender: str | None
    name: str


def _audit(name: str, identity: Identity, data: dict, outcome: Outcome) -> None:
    """What a runner changed goes in the audit trail, in the change's own transaction; a resend
    (no stamp) changed nothing and is not recorded. A moderation or set-up entry also rides on
    the change to the console, as stored, so its panel shows what a fresh snapshot would."""
    if authz.role_of(identity) in authz.RUNNERS and outcome.stamp is not None:
        entry = audit.record(identity, outcome.workshop_id, name, {**data, **outcome.audit})
        if name in views.MODERATION_ACTIONS:
            _with_trail(outcome, views.trail_entries([entry])[0])


def _with_trail(outcome: Outcome, trail: dict) -> None:
    for n, change in enumerate(outcome.changes):
        if "facilitator" in audience(change.type):
            outcome.changes[n] = replace(change, facilitator_data={**change.for_role("facilitator"), "trail": trail})
            return


def _prepare_final_guide(name: str, outcome: Outcome) -> None:
    """Closing a workshop (or finalising its guide, which closes it) makes the organiser's files
    in the background, so that the download is ready when asked for."""
    if name in ("phase.set", "review.finalise") and outcome.stamp is not None \
            and outcome.reply.get("phase") == "closed" and current_app.config.get("GUIDE_PREPARE"):
        jobs.prepare_guide(current_app._get_current_object(), outcome.workshop_id)


@functools.cache
def _schema(schema: type[Schema]) -> Schema:
    """One instance per schema: building one per event costs more than the validation itself
    (loading keeps no state on the instance)."""
    return schema()


def _apply_group(key, queued: list[Queued]) -> list:
    """One group of queued commands in one transaction, with their audit entries; its outcomes are
    published in order by ``_publish_group`` as soon as their callers have them."""
    many, workshop_id = key
    started = time.perf_counter()
    try:
        with unit_of_work():
            results = many(workshop_id, [entry.command for entry in queued])
            for result, entry in zip(results, queued):
                if isinstance(result, Outcome):
                    result.sender = entry.sender
                    if entry.command.identity is not None:  # a join has no one to audit yet
                        _audit(entry.name, entry.command.identity, entry.command.data, result)
    finally:
        db.session.close()
    metrics.batch_applied(many.__name__, len(queued), time.perf_counter() - started)
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
    outcome = _group_commit.run((sub.join_many, workshop_id), Queued(command, None, "join"))
    return outcome.reply["participant"], token


def _release_session() -> None:
    """Close this event's session if it opened one. Most commands of a burst never touch it
    before their batch, and making a session only to close it was a cost every one of them paid."""
    if db.session.registry.has():
        db.session.close()


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
    if isinstance(exc, Invalid):  # bad input as the rules see it: the same envelope as a schema's
        detail = gettext(exc.message, **exc.params)
        return {"code": exc.code, "message": gettext("Please check what you entered: %(detail)s", detail=detail),
                "fields": {exc.field: [detail]}}
    if isinstance(exc, DomainError):
        return {"code": exc.code, "message": gettext(exc.message, **exc.params)}
    return {"code": "server_error", "message": gettext("Something went wrong on the server. Nothing was changed.")}


def status_of(exc: Exception) -> int:
    if isinstance(exc, ValidationError):
        return 400
    if isinstance(exc, DomainError):
        return exc.status
    return 500
