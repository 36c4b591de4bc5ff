"""Organiser accounts: sign-in, sign-up and sign-out, and the organiser's pages for the workshops
they own or co-facilitate (console link, co-facilitators, links, retention, audit, deletion).

Who may open which page is decided by ``authz`` before a view runs; views only do the work.
Every form carries the CSRF token (Flask-WTF checks it on every POST here).
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from marshmallow import ValidationError

from .. import authz, schemas
from ..domain.errors import DomainError
from ..operations import error_body
from ..services import series as series_service
from ..export.series import SERIES_FORMATS
from ..services import accounts, audit, privacy, setup
from ..services import workshops as ws
from ..services import founding
from ..services.unit import unit_of_work
from .downloads import GUIDE_CSP, GUIDE_FORMATS as FORMAT_ORDER, guide_response
from ..realtime.closing import close_room
from ..realtime.rooms import co_facilitator_room
from .links import console_links, safe_next
from .oidc import SIGNED_IN_BY_PROVIDER, end_session_url
from .schedule_forms import page_context, schedule_from_form
from .pages import GUIDE_FORMATS
from ..domain.schedule import checked
from ..services.schedule import set_schedule

auth = Blueprint("auth", __name__, url_prefix="/account")
bp = Blueprint("organiser", __name__, url_prefix="/organiser")


def _message(exc: Exception) -> str:
    return error_body(exc)["message"]


@auth.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    error = None
    email = request.form.get("email", "")
    if request.method == "POST":
        try:
            accounts.sign_in(accounts.authenticate(email, request.form.get("password", "")))
            return redirect(safe_next(request.args.get("next")), code=303)
        except DomainError as exc:
            error = _message(exc)
    return render_template("auth/sign_in.html", error=error, email=email,
                           signup=current_app.config["ACCOUNT_SIGNUP"]), 400 if error else 200


@auth.route("/sign-up", methods=["GET", "POST"])
def sign_up():
    if not current_app.config["ACCOUNT_SIGNUP"]:
        abort(404)
    error = None
    email = request.form.get("email", "")
    if request.method == "POST":
        try:
            account = accounts.create_account(email, request.form.get("password", ""))
            accounts.sign_in(account)
            return redirect(url_for("organiser.index"), code=303)
        except DomainError as exc:
            error = _message(exc)
    return render_template("auth/sign_up.html", error=error, email=email,
                           min_password=accounts.MIN_PASSWORD), 400 if error else 200


@auth.post("/sign-out")
def sign_out():
    """Ends the session here, and, after an OpenID sign-in, at the provider too."""
    by_provider = bool(session.get(SIGNED_IN_BY_PROVIDER))
    accounts.sign_out()
    return redirect(end_session_url(by_provider) or url_for("pages.home"), code=303)


def _series_formats() -> list[tuple[str, str]]:
    return [(fmt, GUIDE_FORMATS[fmt]) for fmt in SERIES_FORMATS]


def _guide_formats() -> list[tuple[str, str]]:
    """The formats the console offers the guide in, in its order, with their names."""
    return [(fmt, GUIDE_FORMATS.get(fmt, fmt.upper())) for fmt in FORMAT_ORDER]


@bp.get("/workshops/<code>/guide.<fmt>")
def guide(code: str, fmt: str):
    """The guide of a workshop one owns or co-facilitates, in any format the console offers (whoever
    may open its console may download it; audited as an export, as the console's downloads are)."""
    return guide_response(ws.find_by_code(code), fmt)


@bp.get("/series")
def series():
    """Several of one's workshops compared in one guide (``?code=A&code=B&format=pdf[&title=...]``)."""
    fmt = request.args.get("format", "pdf")
    account = accounts.signed_in()
    if not any(code.strip() for code in request.args.getlist("code")):
        # Opened as a page (a bookmark, the address typed): the form that makes a series, or why
        # there is none to make yet, rather than an error about workshops nobody chose.
        return render_template("organiser/series.html", account=account, workshops=accounts.workshops_of(account),
                               series_formats=_series_formats())
    mine = {w.id for w in accounts.workshops_of(account)}
    try:
        result = series_service.export_series(request.args.getlist("code"), fmt,
                                              (request.args.get("title") or "").strip()[:200] or None,
                                              allowed=mine,
                                              actor_for=lambda wid: authz.account_actor(account, wid))
    except DomainError as exc:
        flash(_message(exc), "error")
        return redirect(url_for("organiser.index"), code=303)
    response = Response(result.content, content_type=result.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    response.headers["Content-Security-Policy"] = GUIDE_CSP
    return response


@bp.get("/")
def index():
    account = accounts.signed_in()
    templates = setup.list_templates()
    return render_template("organiser/index.html", account=account, workshops=accounts.workshops_of(account),
                           templates=templates, errors={}, series_formats=_series_formats(),
                           guide_formats=_guide_formats())


@bp.post("/workshops")
def create():
    """A workshop created here belongs to the signed-in account."""
    account = accounts.signed_in()
    values = {k: request.form.get(k, "") for k in ("question", "organiser", "language", "template")}
    try:
        data = schemas.CreateWorkshop().load({**values, "anonymity": request.form.get("anonymity") or None})
        when = checked(schedule_from_form(request.form))  # before creating: a wrong date creates nothing
        created = founding.create_workshop(data["question"], data["language"], data["template"], data["organiser"],
                                     data["anonymity"])
    except (ValidationError, DomainError) as exc:
        body = error_body(exc)
        errors = {k: " ".join(v) for k, v in body.get("fields", {"template": [body["message"]]}).items()}
        templates = setup.list_templates()
        return render_template("organiser/index.html", account=account, workshops=accounts.workshops_of(account),
                               templates=templates, errors=errors, series_formats=_series_formats(),
                               guide_formats=_guide_formats()), 400
    accounts.claim(created.workshop.id, account, created.facilitator_token)
    if not when.is_empty:
        set_schedule(authz.account_actor(account, created.workshop.id), created.workshop.id, when)
    return redirect(url_for("organiser.workshop", code=created.workshop.code), code=303)


def _workshop_page(code: str, status: int = 200, error: str | None = None):
    workshop = ws.find_by_code(code)
    access = authz.current_access()
    account = accounts.signed_in()
    # The owner's link for the owner and administrators; a co-facilitator sees only their own.
    token = accounts.console_token_for(workshop, access.roles, account)
    links = console_links(workshop, token)
    manages = bool(access.roles & {authz.ORGANISER, authz.ADMIN})
    return render_template(
        "organiser/workshop.html", account=account, workshop=workshop, links=links, has_console=bool(token),
        owner=accounts.owner_of(workshop.id), co_facilitators=accounts.co_facilitators(workshop.id),
        entries=audit.entries_for(workshop.id) if manages else [], retention_days=privacy.retention_days(workshop.id),
        due_at=privacy.due_at(workshop), error=error, guide_formats=_guide_formats(),
        manages=manages, **page_context(workshop, manages)), status


@bp.get("/workshops/<code>")
def workshop(code: str):
    return _workshop_page(code)


def _back(code: str):
    return redirect(url_for("organiser.workshop", code=code), code=303)


@bp.post("/workshops/<code>/co-facilitators")
def invite(code: str):
    identity = authz.current_identity()
    try:
        with unit_of_work():  # the invitation and its audit entry, committed together
            invited = accounts.invite(identity.workshop_id, request.form.get("email", ""))
            audit.record(identity, identity.workshop_id, "co_facilitator.invited", {"email": invited.email})
    except DomainError as exc:
        return _workshop_page(code, 400, _message(exc))
    return _back(code)


@bp.post("/workshops/<code>/co-facilitators/<int:account_id>/remove")
def uninvite(code: str, account_id: int):
    identity = authz.current_identity()
    with unit_of_work():  # the removal and its audit entry, committed together
        removed = accounts.uninvite(identity.workshop_id, account_id)
        if removed:
            audit.record(identity, identity.workshop_id, "co_facilitator.removed")
    if removed:
        close_room(co_facilitator_room(identity.workshop_id, account_id))  # their open consoles too
    return _back(code)


@bp.post("/workshops/<code>/links/rotate")
def rotate(code: str):
    identity = authz.current_identity()
    privacy.rotate_links(identity, identity.workshop_id)
    flash(gettext("New links made. The old facilitator and projector links no longer work."))
    return _back(code)


@bp.post("/workshops/<code>/links/projector/revoke")
def revoke_projector(code: str):
    identity = authz.current_identity()
    privacy.revoke_projector(identity, identity.workshop_id)
    flash(gettext("The projector link no longer works. Make new links to get a new one."))
    return _back(code)


@bp.post("/workshops/<code>/retention")
def retention(code: str):
    identity = authz.current_identity()
    try:
        privacy.set_retention(identity, identity.workshop_id, int(request.form.get("days", "")))
    except ValueError:
        return _workshop_page(code, 400, gettext("Enter a whole number."))
    except DomainError as exc:
        return _workshop_page(code, 400, _message(exc))
    return _back(code)


@bp.post("/workshops/<code>/delete")
def delete(code: str):
    identity = authz.current_identity()
    if request.form.get("confirm_code", "").strip().upper() != code.upper():
        return _workshop_page(code, 400, gettext("Type the workshop's code to confirm the deletion."))
    privacy.delete_workshop(identity, identity.workshop_id)
    flash(gettext("The workshop and all its data were deleted."))
    return redirect(url_for("organiser.index"), code=303)


def init_app(app) -> None:
    """Register the account and organiser pages; the app factory imports http/invitations.py
    first, whose schedule and invitation routes are on this blueprint."""
    app.register_blueprint(auth)
    app.register_blueprint(bp)

    @app.after_request
    def _owned_when_signed_in(response):
        """A workshop made on the home page while signed in belongs to that account, as one made
        from the organiser's page does (the home page's view knows nothing of accounts)."""
        if request.endpoint == "pages.home" and response.status_code == 303:
            account = accounts.signed_in()
            token = response.headers.get("Location", "").rstrip("/").rsplit("/", 1)[-1]
            if account is not None and token:
                try:
                    accounts.claim(ws.identify("facilitator", token).workshop_id, account, token)
                except DomainError:
                    pass
        return response
