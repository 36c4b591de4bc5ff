"""Cross-cutting HTTP concerns: the user's language, security headers, rate limits, and errors as
JSON or pages."""
from __future__ import annotations

import logging

from flask import current_app, g, jsonify, render_template, request, session
from flask_babel import get_locale, gettext
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from ..domain.errors import DomainError
from ..extensions import db, make_limiter
from ..operations import error_body, status_of
from . import capacity, hosts
from .headers import security_headers
from . import limits
from .socket_edge import SocketIOEdge

log = logging.getLogger(__name__)

LANGUAGE_NAMES = (("sv", "Svenska"), ("en", "English"))


def select_locale() -> str:
    """?lang= first (and remembered in a cookie), then the cookie, then the browser's preference."""
    supported = current_app.config["LANGUAGES"]
    if not request:
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    for candidate in (request.args.get("lang"), request.cookies.get("lang"), session.get("lang")):
        if candidate in supported:
            return candidate
    return request.accept_languages.best_match(supported) or current_app.config["BABEL_DEFAULT_LOCALE"]


# Pages whose address or content is a credential: never kept in a cache.
PRIVATE = ("pages.console", "pages.projector", "pages.guide_download")
PRIVATE_BLUEPRINTS = ("auth", "organiser")
# A phone's join is its last plain HTTP request for a while: its socket comes next, on a connection of
# its own. Kept alive, the join's connection would hold one of the server's descriptors per phone
# until the browser let it go (http/capacity.py).
CLOSE_AFTER = {"api.join"}
NOT_LIMITED = {"static", "ops.healthz", "ops.readyz", "ops.metrics_endpoint"}  # balancers and scrapers


def client_address() -> str:
    """The address a rate limit counts: the client's, also behind a trusted balancer."""
    remote = request.remote_addr or ""
    if remote in current_app.config["RATE_LIMIT_TRUSTED_PROXIES"]:
        hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return remote


def init_rate_limits(app) -> None:
    """Every route gets RATE_LIMIT_HTTP per address; sign-in counts only failures. Routes that
    take a join code count look-ups of codes that do not exist, and never refuse one that does
    (see limits.py): a 404 of a stale id on a valid code is not a guess."""
    limiter = make_limiter(app, client_address)
    app.extensions["http_limiter"] = limiter
    limiter.request_filter(lambda: request.endpoint in NOT_LIMITED)
    sign_in_failures = limiter.limit(lambda: current_app.config["RATE_LIMIT_SIGN_IN"], methods=["POST"],
                                     deduct_when=lambda response: response.status_code >= 400,
                                     override_defaults=False)
    app.view_functions["auth.sign_in"] = sign_in_failures(app.view_functions["auth.sign_in"])
    limits.init_app(app, client_address)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.is_json


# A credential that is missing, unknown or revoked is 401 on the JSON API (the caller must
# authenticate again); a valid one that lacks the right stays 403. Pages keep 403: their
# credential is a link in the path, and there is no challenge a browser could answer.
UNAUTHENTICATED = frozenset({"bad_token"})
REALM = 'Bearer realm="workshop"'


def _api_status(exc: Exception) -> tuple[int, dict]:
    """The status and extra headers of a refused JSON API request (RFC 9110, RFC 6750)."""
    if isinstance(exc, DomainError) and exc.code in UNAUTHENTICATED:
        presented = request.headers.get("Authorization", "").lower().startswith("bearer ")
        return 401, {"WWW-Authenticate": REALM + (', error="invalid_token"' if presented else "")}
    return status_of(exc), {}


def init_web(app) -> None:
    @app.context_processor
    def _language_context():
        return {"languages": LANGUAGE_NAMES, "current_language": str(get_locale() or "en")}

    # Socket.IO answers its own path before Flask sees it: its responses get the same headers and
    # host check there (this runs after socketio.init_app, whose middleware it wraps).
    app.wsgi_app = SocketIOEdge(app, app.wsgi_app)

    @app.before_request
    def _known_host():
        """Before anything runs, so a refused request changes nothing (see hosts.py). A Socket.IO
        request reaches Flask only when the edge found its host untrusted (socket_edge.py)."""
        if request.endpoint in hosts.ANY_HOST:
            return
        if (hosts.refuses_other_hosts(current_app.config) or request.blueprint in hosts.LINK_AREAS
                or request.endpoint == "socketio"):
            hosts.require_trusted(request.host, current_app.config)

    @app.after_request
    def _headers(response):
        """Registered before the HTTP limiter, so it runs after it (Flask runs these in reverse)."""
        for name, value in security_headers(request.is_secure):
            response.headers.setdefault(name, value)
        if g.get("retry_after"):  # one of the room's own limits refused: its wait, not the address window's
            response.headers["Retry-After"] = g.retry_after
        if request.endpoint in PRIVATE or request.blueprint in PRIVATE_BLUEPRINTS:
            response.headers["Cache-Control"] = "no-store"
        if request.endpoint in CLOSE_AFTER:
            response.headers["Connection"] = "close"
        lang = request.args.get("lang")
        if lang in current_app.config["LANGUAGES"] and request.cookies.get("lang") != lang:
            # Secure whenever the session cookie is (production), also behind a balancer that
            # ends TLS and does not say so: a browser then never sends it over plain HTTP.
            response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                                secure=request.is_secure or bool(current_app.config.get("SESSION_COOKIE_SECURE")))
        return response

    @app.errorhandler(DomainError)
    @app.errorhandler(ValidationError)
    def _domain_error(exc):
        db.session.rollback()
        body = error_body(exc)
        if _wants_json():
            status, headers = _api_status(exc)
            return jsonify({"error": body}), status, headers
        return render_template("error.html", title=gettext("Something is not right"),
                               message=body["message"]), status_of(exc)

    @app.errorhandler(HTTPException)
    def _http_error(exc):
        messages = {
            400: gettext("The request could not be understood."),
            403: gettext("You do not have access to this page."),
            404: gettext("This page does not exist."),
            405: gettext("This method is not allowed here."),
            413: gettext("What you sent is too large."),
            429: gettext("Too many requests; please wait a moment and try again."),
        }
        message = messages.get(exc.code, gettext("Something went wrong."))
        if exc.code == 400 and "CSRF" in (exc.description or ""):
            message = gettext("The form has expired. Please reload the page and try again.")
        # What the exception says beyond its body: Allow on a 405 (RFC 9110 requires it).
        # Retry-After on a 429 is added by the rate limiter after this.
        headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
        if _wants_json():
            return jsonify({"error": {"code": f"http_{exc.code}", "message": message}}), exc.code, headers
        return render_template("error.html", title=message, message=message), exc.code, headers

    @app.errorhandler(Exception)
    def _unexpected(exc):
        if capacity.out_of_descriptors(exc):  # a full process: busy, try again, not a bug (capacity.py)
            capacity.quiet.note("request", "request refused: no file descriptor left")
            db.session.rollback()
            return (capacity.busy_body(gettext(capacity.BUSY)), 503,
                    [header for header in capacity.BUSY_HEADERS if header[0] != "Connection"])
        # The route pattern, not the path: a path may hold a facilitator's or projector's token.
        log.exception("unhandled error on %s", request.url_rule.rule if request.url_rule else request.method)
        db.session.rollback()
        body = error_body(exc)
        if _wants_json():
            return jsonify({"error": body}), 500
        return render_template("error.html", title=body["message"], message=body["message"]), 500
