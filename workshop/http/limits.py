"""The room's rate limits at the HTTP edge: join-code look-ups, and the per-participant bucket.

Look-ups of codes that do not exist are counted per address (RATE_LIMIT_JOIN_FAILURES), before
authorisation, so guessing codes costs attempts whichever route it uses. A code that exists is
never counted and never refused by that limit: a whole room behind one address (conference Wi-Fi,
a municipal office) must not be locked out of its workshop by other people's typos or guesses.

Operations over the JSON API take from the same bucket as the same participant's (or console's)
socket events, so switching paths gains nothing. Every refusal is a ``RateLimited``: a 429 with
``Retry-After`` and a translated message, as JSON or on the join page.
"""
from __future__ import annotations

import math
import time
from functools import wraps

from flask import current_app, g, jsonify, render_template, request
from flask_babel import gettext

from ..domain.errors import N_, NotFound
from ..domain.ratelimit import RateLimited
from ..extensions import db
from ..realtime.namespace import RATE_LIMITED
from ..services import tokens
from ..services import workshops as ws

UNKNOWN_CODES = N_("Too many codes that do not exist were tried from this network. Wait a minute, check the "
                   "code and try again.")
JOIN_PAGES = ("pages.join_code", "pages.participant")


def check_screen(identity) -> None:
    """Take one token from the bucket this participant's (or console's) socket events take from."""
    decision = current_app.extensions["rate_limiter"].check(identity)
    if not decision.allowed:
        raise RateLimited(RATE_LIMITED, decision.retry_after)


def count_unknown_codes(view, address):
    """``view``, after counting the look-up against the allowance of the caller's ``address()`` if
    its code does not exist (and refusing it when that allowance is spent). Known codes pass
    untouched."""
    @wraps(view)
    def counted(*args, **kwargs):
        code = tokens.normalise_code(kwargs["code"] if "code" in kwargs else request.args.get("code", ""))
        if code and not _exists(code):
            decision = current_app.extensions["rate_limiter"].take("unknown-code", address())
            if not decision.allowed:
                raise RateLimited(UNKNOWN_CODES, decision.retry_after)
        return view(*args, **kwargs)
    return counted


# Codes seen to exist, and when: a join storm asks about the same code thousands of times, and
# each answer was a database round trip before the join's own. A code seen within KNOWN_FOR
# seconds is taken as existing; a workshop deleted meanwhile only has its code go uncounted as a
# guess for that long, which gives a guesser nothing (they would have to know the code).
KNOWN_FOR = 60.0
_known: dict[str, float] = {}


def _exists(code: str) -> bool:
    now = time.monotonic()
    if now - _known.get(code, -KNOWN_FOR) < KNOWN_FOR:
        return True
    try:
        ws.workshop_id_of(code)
    except NotFound:
        return False
    if len(_known) > 10_000:  # a process serves a few rooms at once; never a growing table
        _known.clear()
    _known[code] = now
    return True


def refused(exc: RateLimited):
    """A 429 with Retry-After: JSON for the API, the join page (with its form) for join pages."""
    db.session.rollback()
    message = gettext(exc.message, **exc.params)
    headers = {"Retry-After": str(max(1, math.ceil(exc.retry_after)))}
    g.retry_after = headers["Retry-After"]  # Flask-Limiter would stretch it to its own window (web.py)
    if request.path.startswith("/api/") or request.is_json:
        body = {"code": exc.code, "message": message, "retry_after": round(exc.retry_after, 2)}
        return jsonify({"error": body}), 429, headers
    if request.endpoint in JOIN_PAGES:
        code = (request.view_args or {}).get("code") or request.args.get("code", "")
        return render_template("join_code.html", code=code, error=message), 429, headers
    return render_template("error.html", title=message, message=message), 429, headers


def init_app(app, address) -> None:
    """Wrap every route that takes a join code (after authz wrapped them: this count comes first);
    ``address()`` is the client's address as every HTTP limit counts it."""
    done = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in done:
            continue
        done.add(rule.endpoint)
        if "<code>" in rule.rule or rule.endpoint == "pages.join_code":
            app.view_functions[rule.endpoint] = count_unknown_codes(app.view_functions[rule.endpoint], address)
    app.register_error_handler(RateLimited, refused)
