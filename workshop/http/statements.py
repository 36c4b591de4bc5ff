"""The statements a public body publishes for any web service: the accessibility statement
(the structure of the Swedish model statement under the act on accessibility of digital public
services, lag (2018:1937), supervised by Myndigheten för digital förvaltning, DIGG) and the
privacy notice for participants (GDPR articles 13 and 14).

The host organisation's details come from the configuration (ORGANISATION_*, ACCESSIBILITY_*,
PRIVACY_LEGAL_BASIS), so each deployment publishes its own; the text around them is the
product's and is translated like every page.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, render_template
from flask_babel import format_date

bp = Blueprint("statements", __name__)


def host() -> dict:
    """The organisation behind this deployment, as the statements name it."""
    config = current_app.config
    try:
        assessed = format_date(date.fromisoformat(config["ACCESSIBILITY_ASSESSED"]), "long")
    except ValueError:
        assessed = config["ACCESSIBILITY_ASSESSED"]
    return {"name": config.get("ORGANISATION_NAME"), "email": config.get("ORGANISATION_EMAIL"),
            "phone": config.get("ORGANISATION_PHONE"), "address": config.get("ORGANISATION_ADDRESS"),
            "dpo_email": config.get("ORGANISATION_DPO_EMAIL"),
            "accessibility_email": config.get("ACCESSIBILITY_EMAIL") or config.get("ORGANISATION_EMAIL"),
            "status": config["ACCESSIBILITY_STATUS"], "assessed": assessed,
            "response_days": config["ACCESSIBILITY_RESPONSE_DAYS"], "legal_basis": config["PRIVACY_LEGAL_BASIS"],
            "retention_days": config["PRIVACY_RETENTION_DAYS"], "mail": bool(config.get("MAIL_SERVER"))}


@bp.get("/accessibility")
def accessibility():
    return render_template("statements/accessibility.html", host=host())


@bp.get("/privacy")
def privacy():
    return render_template("statements/privacy.html", host=host())
