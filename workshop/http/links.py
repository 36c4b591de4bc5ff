"""Absolute links to a workshop's screens, for the console, the API and the CLI.

``PUBLIC_URL`` wins when set (behind a proxy, or to print links from the CLI); otherwise the
address the request came in on, if it is a trusted host (see hosts.py): a link never carries
whatever ``Host`` a request claims.
"""
from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for

from ..services import accounts
from ..services.tokens import projector_token_for, token_hash
from .downloads import GUIDE_FORMATS
from .hosts import require_trusted


def base_url() -> str:
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        require_trusted(request.host, current_app.config)
        return request.host_url.rstrip("/")
    return "http://127.0.0.1:5000"


def safe_next(target: str | None) -> str:
    """Where to go after signing in: only a path on this site (a sign-in link must not send anyone
    elsewhere), else the organiser's page."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("organiser.index")


def absolute(endpoint: str, **values) -> str:
    return base_url() + url_for(endpoint, **values)


def workshop_links(workshop, facilitator_token: str | None = None, projector_token: str | None = None) -> dict:
    links = {"join_url": absolute("pages.participant", code=workshop.code),
             "qr_url": url_for("pages.join_qr", code=workshop.code)}
    if facilitator_token:
        projector_token = projector_token or projector_token_for(facilitator_token)
        links["facilitator_url"] = absolute("pages.console", token=facilitator_token)
        links["guide"] = {fmt: absolute("pages.guide_download", token=facilitator_token, fmt=fmt)
                          for fmt in GUIDE_FORMATS}
    if projector_token:
        links["projector_url"] = absolute("pages.projector", token=projector_token)
    return links


def console_links(workshop, token: str | None) -> dict:
    """The links a console shows. A co-facilitator's console is opened with their own link; its
    projector link comes from the owner's sealed link (one-way), and is left out if none is kept."""
    if not token or hmac.compare_digest(token_hash(token), workshop.facilitator_token_hash):
        return workshop_links(workshop, facilitator_token=token)
    projector = accounts.projector_token(workshop)
    links = workshop_links(workshop, facilitator_token=token, projector_token=projector)
    if projector is None:
        links.pop("projector_url", None)
    return links
