"""The one path every change takes: validate, authorise, run the service, publish after commit.

The socket namespace and the JSON API both call ``perform``; neither holds a business rule.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

from flask import has_request_context, request
from flask_babel import gettext
from marshmallow import Schema, ValidationError

from . import authz, schemas
from .domain.errors import DomainError
from .extensions import db
from .group_commit import GroupCommit
from .realtime.publish import publish
from .services import facilitation as fac
from .services import audit
from .services import participation as par
from .services import privacy
from .services import rounds
from .services import submissions as sub
from .services.outcome import Outcome
from .services.workshops import Identity, workshop_id_of


@dataclass(frozen=True)
class Operation:
    """An operation runs alone (``run``), or with every command of its kind queued for the same
    workshop in one transaction (``many``, see ``group_commit``): what a whole room sends at once."""

    schema: type[Schema]
    roles: tuple[str, ...]  # the screens that send it; who may is authz.EVENTS
    run: Callable[[Identity, dict], Outcome] | None = None
    many: Callable[[int, list[sub.Command]], list] | None = None


PARTICIPANT = ("participant",)
FACILITATOR = ("facilitator",)

OPERATIONS: dict[str, Operation] = {
    "item.submit": Operation(schemas.SubmitItem, PARTICIPANT, many=sub.add_items),
    "item.add": Operation(schemas.SubmitItem, FACILITATOR, many=sub.add_items),
    "ballot.set": Operation(schemas.SetBallot, PARTICIPANT, many=sub.set_ballots),
    "advice.set": Operation(schemas.SetAdvice, PARTICIPANT, lambda who, d: par.set_advice(who, d["client_id"], d["text"])),
    "phase.set": Operation(schemas.SetPhase, FACILITATOR, lambda who, d: fac.set_phase(who, d["phase"])),
    "theme.create": Operation(schemas.ThemeName, FACILITATOR, lambda who, d: fac.create_theme(who, d["name"])),
    "theme.rename": Operation(schemas.RenameTheme, FACILITATOR,
                              lambda who, d: fac.rename_theme(who, d["theme_id"], d["name"])),
    "theme.delete": Operation(schemas.ThemeRef, FACILITATOR, lambda who, d: fac.delete_theme(who, d["theme_id"])),
    "item.assign": Operation(schemas.AssignItem, FACILITATOR,
                             lambda who, d: fac.assign_item(who, d["item_id"], d["theme_id"])),
    "results.reveal": Operation(schemas.Reveal, FACILITATOR,
                                lambda who, d: fac.reveal_results(who, d["revealed"], d["round_id"])),
    "contributions.withdraw": Operation(privacy.Withdraw, PARTICIPANT, lambda who, d: privacy.withdraw(who)),
    "round.create": Operation(schemas.CreateRound, FACILITATOR, rounds.create_round),
    "round.current": Operation(schemas.RoundRef, FACILITATOR, lambda who, d: rounds.set_current(who, d["round_id"])),
    "ballot.paper": Operation(schemas.PaperBallot, FACILITATOR, rounds.paper_ballot),
}


def perform(name: str, identity: Identity, payload) -> Outcome:
    """Run one operation for ``identity``; raises DomainError or ValidationError, changing nothing."""
    operation = OPERATIONS[name]
    authz.require_event(identity, name)
    data = _schema(operation.schema).load(payload if payload is not None else {})
    if operation.many is not None:  # committed and published with the others of its group
        command = sub.Command(identity, data, getattr(request, "sid", None) if has_request_context() else None)
        db.session.close()  # hold no connection while the command waits for its batch
        outcome = _group_commit.run((operation.many, identity.workshop_id), command)
    else:
        outcome = _rolled_back_on_error(operation.run, identity, data)
    if authz.role_of(identity) in authz.RUNNERS and outcome.stamp is not None:  # a change, not a resend
        audit.record(identity, outcome.workshop_id, name, data)
    if operation.many is None:
        _publish_after_commit(outcome)
    return outcome


@functools.cache
def _schema(schema: type[Schema]) -> Schema:
    """One instance per schema: building one per event costs more than the validation itself
    (loading keeps no state on the instance)."""
    return schema()


def _apply_group(key, commands: list[sub.Command]) -> list:
    """One group of queued commands in one transaction; its outcomes are published in order by
    ``_publish_group`` as soon as their callers have them."""
    many, workshop_id = key
    try:
        results = many(workshop_id, commands)
    except Exception:
        db.session.rollback()
        raise
    finally:
        db.session.close()
    return results


def _publish_group(results: list) -> None:
    for result in results:
        if isinstance(result, Outcome):
            publish(result)


_group_commit = GroupCommit(_apply_group, after=_publish_group)


def join(code: str, payload) -> tuple[dict, str]:
    """Join a workshop: validate, register, commit, publish. Returns the participant and token."""
    data = schemas.Join().load(payload if payload is not None else {})
    workshop_id = workshop_id_of(code)
    command, token = sub.joining(data["perspective"], data["name"])
    db.session.close()
    outcome = _group_commit.run((sub.join_many, workshop_id), command)
    return outcome.reply["participant"], token


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
