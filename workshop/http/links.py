"""Absolute links to a workshop's screens, for the console, the API and the CLI.

``PUBLIC_URL`` wins when set (behind a proxy, or to print links from the CLI); otherwise the
address the request came in on.
"""
from __future__ import annotations

from flask import current_app, has_request_context, request, url_for

from ..services.tokens import projector_token_for
from .downloads import GUIDE_FORMATS


def base_url() -> str:
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return "http://127.0.0.1:5000"


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
