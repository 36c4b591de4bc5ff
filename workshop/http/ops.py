"""Operations endpoints and per-request bookkeeping: liveness, readiness, metrics, access log.

* ``/healthz``: the process answers. No database, so a slow database never gets a live process
  restarted.
* ``/readyz``: this process can serve: the database answers ``SELECT 1`` and, when
  ``SOCKETIO_MESSAGE_QUEUE`` is set, Redis answers PING. Balancers route only to ready processes.
* ``/metrics``: Prometheus text format; ``_metrics_refusal`` says who may read it.

None of them reads or writes the session or needs CSRF: balancers and scrapers have no cookies.
Every request gets a request id (the balancer's ``X-Request-ID`` when it looks sane), returned
in the response and added to its log lines; in JSON mode each request also writes one access
line naming the route pattern (``/facilitator/<token>``), never the path, which may hold a token.
"""
from __future__ import annotations

import hmac
import ipaddress
import logging
import re
import time
import uuid

import redis
from flask import Blueprint, Flask, Response, current_app, g, jsonify, request, request_finished, request_started
from prometheus_client.exposition import choose_encoder
from sqlalchemy import text

from .. import metrics
from ..extensions import csrf, db

bp = Blueprint("ops", __name__)
csrf.exempt(bp)

log = logging.getLogger(__name__)
access_log = logging.getLogger("workshop.access")

QUEUE_TIMEOUT = 1.0  # seconds for the Redis PING; balancers check every few seconds
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
QUIET = {"ops.healthz", "ops.readyz"}  # balancer checks, every few seconds: no access line when fine


@bp.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():
    checks = {"database": _database_ready(), "message_queue": _queue_ready()}
    failed = [name for name, ok in checks.items() if ok is False]
    if failed:
        return jsonify({"status": "unavailable", **checks, "failed": failed}), 503
    return jsonify({"status": "ready", **checks})


def _database_ready() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception as exc:
        # The class only: a driver's message may name the server, never needed to act on this.
        log.warning("readiness: database unreachable (%s)", exc.__class__.__name__)
        return False
    finally:
        db.session.remove()


def _queue_ready() -> bool | None:
    url = current_app.config.get("SOCKETIO_MESSAGE_QUEUE")
    if not url:
        return None
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=QUEUE_TIMEOUT, socket_timeout=QUEUE_TIMEOUT)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception as exc:
        log.warning("readiness: message queue unreachable (%s)", exc.__class__.__name__)
        return False


@bp.get("/metrics")
def metrics_endpoint():
    if not current_app.config.get("METRICS_ENABLED", True):
        return _plain("Not found\n", 404)
    refusal = _metrics_refusal()
    if refusal:
        return refusal
    # Text format 0.0.4 unless the scraper asks for another (as prometheus_client's own server does).
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))
    return Response(encode(metrics.registry), content_type=content_type)


def _metrics_refusal() -> Response | None:
    """With ``METRICS_TOKEN`` set, the bearer token is required (anywhere). Without it,
    production answers only direct loopback requests: a request relayed by a proxy on this host
    also comes from loopback, so one that carries forwarding headers does not count. Development
    and tests answer anyone (the development server listens on loopback by default)."""
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        header = request.headers.get("Authorization", "")
        given = header[7:].strip() if header.lower().startswith("bearer ") else ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            response = _plain("A valid bearer token is required\n", 401)
            response.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
        return None
    if current_app.config.get("ENV_NAME") == "production" and not _direct_loopback():
        return _plain("Metrics are served to loopback only; set METRICS_TOKEN to scrape remotely\n", 403)
    return None


def _direct_loopback() -> bool:
    if any(h in request.headers for h in ("X-Forwarded-For", "Forwarded", "X-Real-IP")):
        return False
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


def _plain(body: str, status: int) -> Response:
    return Response(body, status=status, mimetype="text/plain")


# --- every request -------------------------------------------------------------------------
# Signals, not before/after_request hooks: they fire around all other hooks (CSRF refusals and
# error handlers included), so timings and status codes are the ones the client saw.

def _started(sender, **_):
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finished(sender, response, **_):
    seconds = time.perf_counter() - g.get("request_started", time.perf_counter())
    endpoint = request.endpoint or "unmatched"
    method = request.method if request.method in METHODS else "other"
    metrics.request_handled(endpoint, method, response.status_code, seconds)
    response.headers.setdefault("X-Request-ID", g.get("request_id", ""))
    if sender.config.get("LOG_FORMAT") == "json" and not (endpoint in QUIET and response.status_code < 400):
        access_log.info("%s %s %s", method, _route(), response.status_code,
                        extra={"method": method, "route": _route(), "endpoint": endpoint,
                               "status": response.status_code, "duration_ms": round(seconds * 1000, 2)})


def _route() -> str:
    """The URL rule that matched (``/api/workshops/<code>/participants``): never the path or query."""
    return request.url_rule.rule if request.url_rule is not None else "-"


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    request_started.connect(_started, app)
    request_finished.connect(_finished, app)
