"""Server-rendered pages: home (create), join, the phone, the console and the projector.

Pages carry only what the first paint needs; the live state arrives over Socket.IO.
"""
from __future__ import annotations

import io

import segno
from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from marshmallow import ValidationError

from .. import schemas
from ..domain.errors import DomainError
from ..extensions import db
from ..models import Workshop
from ..operations import error_body
from ..services import setup, tokens
from ..services import workshops as ws
from ..services import founding
from .downloads import guide_response
from .links import console_links, workshop_links
from ..services.schedule import described

bp = Blueprint("pages", __name__)

# How the console names each guide format it links to; formats not listed show their extension.
GUIDE_FORMATS = {"pdf": "PDF", "docx": "Word (DOCX)", "html": "HTML", "md": "Markdown", "csv": "CSV",
                 "rounds.csv": lazy_gettext("CSV (voting rounds)"),
                 "editorial.csv": lazy_gettext("CSV (conclusions and decisions)"), "xlsx": "Excel (XLSX)", "json": "JSON"}


def _template_choices() -> list[dict]:
    return setup.list_templates()


@bp.route("/", methods=["GET", "POST"])
def home():
    values = {"question": "", "organiser": "", "language": None, "template": "think-tank", "anonymity": ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values.update({k: request.form.get(k, "") for k in values})
        try:
            data = schemas.CreateWorkshop().load({**values, "anonymity": values["anonymity"] or None})
            created = founding.create_workshop(data["question"], data["language"], data["template"], data["organiser"],
                                         data["anonymity"])
            return redirect(url_for("pages.console", token=created.facilitator_token), code=303)
        except ValidationError as exc:
            errors = {field: " ".join(messages) for field, messages in error_body(exc)["fields"].items()}
        except DomainError as exc:
            errors = {"template": error_body(exc)["message"]}
    return render_template("home.html", templates=_template_choices(), errors=errors, values=values), \
        400 if errors else 200


@bp.get("/join")
def join_code():
    code = tokens.normalise_code(request.args.get("code", ""))
    error = None
    if code:
        try:
            workshop = ws.find_by_code(code)
            return redirect(url_for("pages.participant", code=workshop.code))
        except DomainError as exc:
            error = error_body(exc)["message"]
    return render_template("join_code.html", code=code, error=error), 404 if error else 200


@bp.get("/join/<code>")
def participant(code: str):
    """The phone's page. An unknown code shows the code form here, at once: a redirect to
    /join?code= would count the same look-up twice against the address's allowance."""
    try:
        workshop = ws.find_by_code(code)
    except DomainError as exc:
        return render_template("join_code.html", code=tokens.normalise_code(code),
                               error=error_body(exc)["message"]), 404
    return render_template("participant.html", code=workshop.code, question=workshop.question,
                           language=workshop.language, when=described(workshop))


def _workshop_for(role: str, token: str) -> Workshop:
    try:
        identity = ws.identify(role, token)
    except DomainError as exc:
        abort(Response(render_template("error.html", title=gettext("This link does not work"),
                                       message=error_body(exc)["message"]), status=403))
    return db.session.get(Workshop, identity.workshop_id)


@bp.get("/facilitator/<token>")
def console(token: str):
    workshop = _workshop_for("facilitator", token)
    links = console_links(workshop, token)  # a co-facilitator's own link, or the workshop's
    return render_template("console.html", token=token, code=workshop.code, question=workshop.question,
                           join_url=links["join_url"], projector_url=links.get("projector_url"),
                           qr_url=links["qr_url"], guide_urls=links["guide"], guide_formats=GUIDE_FORMATS)


@bp.get("/projector/<token>")
def projector(token: str):
    workshop = _workshop_for("projector", token)
    links = workshop_links(workshop)
    return render_template("projector.html", token=token, code=workshop.code, question=workshop.question,
                           join_url=links["join_url"], qr_url=links["qr_url"])


@bp.get("/facilitator/<token>/guide.<fmt>")
def guide_download(token: str, fmt: str):
    workshop = _workshop_for("facilitator", token)
    return guide_response(workshop, fmt)


@bp.get("/w/<code>/qr.svg")
def join_qr(code: str):
    """The join link as a QR code, made here so no page depends on another origin."""
    workshop = ws.find_by_code(code)
    qr = segno.make(workshop_links(workshop)["join_url"], error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=8, border=2, dark="#000000", light="#ffffff", title=gettext("Join code"))
    response = Response(buffer.getvalue(), mimetype="image/svg+xml")
    # Never in a shared cache: the image is made per request (its link's host is the request's
    # when PUBLIC_URL is unset), so a cache must not hand one request's image to another.
    response.headers["Cache-Control"] = "private, no-store"
    return response
