"""The organiser's schedule and e-mail invitations (routes on the organiser's blueprint), and the
page where an invited person removes their own address.

Views only translate forms into service calls and errors into the page; who may call each one is
decided by ``authz`` (the addresses are for the organiser and administrators only).
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, render_template, request
from flask_babel import gettext, ngettext
from marshmallow import ValidationError

from .. import authz, jobs, mailer, schemas
from ..domain.errors import DomainError
from ..operations import error_body
from ..services import invitations
from ..services import schedule as schedule_service
from ..services import workshops as ws
from .links import absolute
from .organiser import _back, _workshop_page, bp
from .schedule_forms import schedule_from_form

mail_bp = Blueprint("mail", __name__, url_prefix="/mail")
def _message(exc: Exception) -> str:
    body = error_body(exc)
    fields = body.get("fields")
    if fields:  # the first field's own message says what to fix
        first = next(iter(fields.values()))
        return first[0] if isinstance(first, list) and first else body["message"]
    return body["message"]


@bp.post("/workshops/<code>/schedule")
def schedule(code: str):
    identity = authz.current_identity()
    try:
        schedule_service.set_schedule(identity, identity.workshop_id, schedule_from_form(request.form))
    except (ValidationError, DomainError) as exc:
        return _workshop_page(code, 400, _message(exc))
    flash(gettext("The schedule was saved."))
    return _back(code)


@bp.post("/workshops/<code>/recipients")
def add_recipients(code: str):
    identity = authz.current_identity()
    try:
        data = schemas.AddRecipients().load({"addresses": request.form.get("addresses", "")})
        added = invitations.add_recipients(identity, identity.workshop_id, data["addresses"])
    except (ValidationError, DomainError) as exc:
        return _workshop_page(code, 400, _message(exc))
    flash(ngettext("%(num)s address added.", "%(num)s addresses added.", added))
    return _back(code)


@bp.post("/workshops/<code>/recipients/remove")
def remove_recipient(code: str):
    identity = authz.current_identity()
    try:
        invitations.remove_recipient(identity, identity.workshop_id, int(request.form.get("recipient_id", "")))
    except ValueError:
        return _workshop_page(code, 400, gettext("This address is no longer on the list."))
    except DomainError as exc:
        return _workshop_page(code, 400, _message(exc))
    flash(gettext("The address was removed."))
    return _back(code)


@bp.post("/workshops/<code>/mailings")
def send_mailing(code: str):
    """Record the send and answer at once; the mail goes after this request, off its path."""
    identity = authz.current_identity()
    try:
        kind = schemas.SendMailing().load({"kind": request.form.get("kind", "")})["kind"]
        mailing = invitations.request_mailing(identity, identity.workshop_id, kind)
    except (ValidationError, DomainError) as exc:
        return _workshop_page(code, 400, _message(exc))
    workshop = ws.find_by_code(code)
    links = {"join_url": absolute("pages.participant", code=workshop.code),
             "forget_url": absolute("mail.forget", token="TOKEN").replace("TOKEN", "{token}")}
    jobs.deliver_mailing(current_app._get_current_object(), mailing.id, links)
    flash(ngettext("Sending to %(num)s address. Reload this page to see how it went.",
                   "Sending to %(num)s addresses. Reload this page to see how it went.", mailing.recipients))
    return _back(code)


@mail_bp.route("/forget/<token>", methods=["GET", "POST"])
def forget(token: str):
    """GET asks (mail scanners open links; they must not remove anyone), POST removes."""
    try:
        row = invitations.recipient_for_token(token)
    except DomainError as exc:
        return render_template("mail_forget.html", done=False, error=_message(exc)), 404
    if request.method == "POST":
        question = invitations.forget(token)
        return render_template("mail_forget.html", done=True, question=question, error=None)
    return render_template("mail_forget.html", done=False, error=None, email=row.email,
                           question=invitations.question_of(row.workshop_id), token=token)


def init_app(app) -> None:
    app.register_blueprint(mail_bp)
    mailer.init_app(app)
