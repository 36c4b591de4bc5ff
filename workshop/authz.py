"""Who may do what: every role against every HTTP route and every socket event, in one table.

A request is checked here before its view runs (``check_request``, a ``before_request`` hook)
and every operation is checked here inside ``operations.perform``; a route or event missing
from the table is refused, and tests/security walks the whole table. docs/security.md is this
file in prose.

Roles come from the server side only: a capability link in the path (facilitator, projector,
a co-facilitator's own console link), a bearer token (the same links, or a participant's token)
or the signed-in account in the session cookie (organiser of this workshop, co-facilitator
invited to it, administrator).

The workshop's facilitator link runs the workshop; it answers for it (delete, retention, links,
audit trail) only while no account owns the workshop (``link-steward``): once an organiser owns
it, those need the organiser's own sign-in, whatever link is presented. A co-facilitator acts
with a right of their own (their session or their own link), which removal takes away at once.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from flask import current_app, g, redirect, request, url_for

from .domain.errors import N_, DomainError, Forbidden
from .catalogue import OPERATIONS
from .roles import (ACCOUNTS, ADMIN, ANONYMOUS, CO_FACILITATOR, CONSOLE_LINKS, EVERYONE,  # noqa: F401
                    FACILITATOR, LINK_STEWARD, NOBODY, ORGANISER, PARTICIPANT, PROJECTOR, ROLES, RUNNERS,
                    SCREENS, STEWARDS)
from .services import accounts
from .services.workshops import BAD_LINK, Actor, Identity, find_by_code, identify, identify_bearer
from .extensions import csrf


def _only(*roles: str) -> frozenset[str]:
    return frozenset(roles)


# Socket events: who may send each is its declaration's (workshop/declarations.py), beside its
# service. The JSON API routes that run an operation take the same rule. Account roles act on a
# workshop over the JSON API with their session; a socket connection is opened with a link or a
# participant token, so over a socket they hold the facilitator link's rights.
EVENTS: dict[str, frozenset[str]] = {name: op.roles for name, op in OPERATIONS.items()}
EVENTS["sync"] = SCREENS  # not an operation: a resync of one's own snapshot

# How a route finds out who is asking.
PUBLIC = "public"              # nobody needs to be anyone
LINK = "link"                  # a capability token in the path (/facilitator/<token>)
WORKSHOP = "workshop"          # the workshop in the path: bearer token or signed-in account
ACCOUNT = "account"            # a signed-in account, no workshop


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    credential: str = PUBLIC
    note: str = ""


ROUTES: dict[str, Rule] = {
    "static": Rule(EVERYONE),
    # Pages
    "pages.home": Rule(EVERYONE, note="GET the form, POST creates a workshop (signed in: the account owns it)"),
    "pages.join_code": Rule(EVERYONE, note="join-code look-ups are rate limited"),
    "pages.participant": Rule(EVERYONE),
    "pages.join_qr": Rule(EVERYONE),
    "pages.console": Rule(CONSOLE_LINKS, LINK, "the workshop's facilitator link, or a co-facilitator's own"),
    "pages.projector": Rule(_only(PROJECTOR), LINK, "the console shows the projector link"),
    "pages.guide_download": Rule(CONSOLE_LINKS, LINK, "audited as an export"),
    # Operations (a scraper's token, not a person's role: see docs/deployment.md)
    "ops.healthz": Rule(EVERYONE),
    "ops.readyz": Rule(EVERYONE),
    "ops.metrics_endpoint": Rule(EVERYONE, note="METRICS_TOKEN or loopback only, checked by the route"),
    "socketio": Rule(EVERYONE, note="never served: the Socket.IO server answers this path; events are checked by EVENTS"),
    # JSON API
    "api.openapi": Rule(EVERYONE),
    "api.list_templates": Rule(EVERYONE),
    "api.create_workshop": Rule(EVERYONE, note="signed in: the account owns the new workshop"),
    "api.public_info": Rule(EVERYONE),
    "api.join": Rule(EVERYONE, note="rate limited per address"),
    "api.snapshot": Rule(_only(PARTICIPANT, PROJECTOR) | RUNNERS, WORKSHOP),
    "api.guide": Rule(RUNNERS, WORKSHOP, "audited as an export"),
    "api.review_draft": Rule(_only(PARTICIPANT) | RUNNERS, WORKSHOP, "phones only while the draft is open for comments"),
    "api.audit_trail": Rule(STEWARDS, WORKSHOP),
    "api.rotate_links": Rule(STEWARDS, WORKSHOP, "audited; the old links stop working at once"),
    "api.revoke_projector": Rule(RUNNERS, WORKSHOP, "audited"),
    "api.set_retention": Rule(STEWARDS, WORKSHOP, "audited"),
    "api.delete_workshop": Rule(STEWARDS, WORKSHOP, "audited; deletes every row of the workshop"),
    # Accounts
    "auth.sign_in": Rule(EVERYONE, note="rate limited per address"),
    "auth.sign_up": Rule(EVERYONE, note="only when ACCOUNT_SIGNUP is on"),
    "auth.sign_out": Rule(EVERYONE),
    "oidc.start": Rule(EVERYONE, note="only when the OpenID provider is configured; to the provider with a fresh state"),
    "oidc.callback": Rule(EVERYONE, note="the state is used once; the account is the provider's subject"),
    "oidc.link": Rule(ACCOUNTS, ACCOUNT, "links the signed-in account to its subject at the provider"),
    "statements.accessibility": Rule(EVERYONE, note="the host organisation's details from the configuration"),
    "statements.privacy": Rule(EVERYONE, note="the host organisation's details from the configuration"),
    # The organiser's pages
    "organiser.index": Rule(ACCOUNTS, ACCOUNT, "one's own workshops (an administrator sees all)"),
    "organiser.create": Rule(ACCOUNTS, ACCOUNT),
    "organiser.series": Rule(ACCOUNTS, ACCOUNT, "one's own workshops only; audited as an export of each"),
    "organiser.workshop": Rule(ACCOUNTS, WORKSHOP, "the console link, the audit trail"),
    "organiser.guide": Rule(ACCOUNTS, WORKSHOP, "whoever may open the console; audited as an export"),
    "organiser.invite": Rule(_only(ORGANISER, ADMIN), WORKSHOP, "audited"),
    "organiser.uninvite": Rule(_only(ORGANISER, ADMIN), WORKSHOP, "audited"),
    "organiser.rotate": Rule(_only(ORGANISER, ADMIN), WORKSHOP, "audited"),
    "organiser.revoke_projector": Rule(ACCOUNTS, WORKSHOP, "audited"),
    "organiser.retention": Rule(_only(ORGANISER, ADMIN), WORKSHOP, "audited"),
    "organiser.delete": Rule(_only(ORGANISER, ADMIN), WORKSHOP, "audited"),
    "organiser.schedule": Rule(ACCOUNTS, WORKSHOP, "date, time, place, pre-work dates; audited (which parts)"),
    "organiser.add_recipients": Rule(_only(ORGANISER, ADMIN), WORKSHOP, "e-mail addresses: personal data; audited as a count"),
    "organiser.remove_recipient": Rule(_only(ORGANISER, ADMIN), WORKSHOP, "audited as a count"),
    "organiser.send_mailing": Rule(_only(ORGANISER, ADMIN), WORKSHOP, "sent after the request; audited as a count"),
    # An invited person's own link (in every mail) to remove their address; GET asks, POST removes.
    "mail.forget": Rule(EVERYONE, note="the link's HMAC is the right; audited as a count"),
}

def _operation_routes() -> dict[str, Rule]:
    """The JSON API route of each declared operation: whoever may run the operation (or any of
    the operations sharing the route, each caller running the one their role may)."""
    routes: dict[str, Rule] = {}
    for operation in OPERATIONS.values():
        http = operation.http
        if http is None:
            continue
        endpoint = f"api.{http.endpoint}"
        before = routes.get(endpoint)
        roles = operation.roles | (before.roles if before else frozenset())
        routes[endpoint] = Rule(roles, WORKSHOP, http.note or (before.note if before else ""))
    return routes


ROUTES.update(_operation_routes())

NOT_ALLOWED = N_("You are not allowed to do this.")
SIGN_IN = N_("Please sign in first.")


def role_of(identity: Identity) -> str:
    return getattr(identity, "actor_role", None) or identity.role


def credential_role(identity: Identity) -> str:
    """The role a presented link or token holds on its workshop (HTTP only: a workshop's
    ownership is looked up now, so a link never outlasts the moment an account claims it)."""
    role = role_of(identity)
    if role == FACILITATOR and not accounts.owned(identity.workshop_id):
        return LINK_STEWARD
    return role


def can(role: str, target: str) -> bool:
    """``target`` is an event name or an endpoint; anything not in the table is refused."""
    if target in EVENTS:
        return role in EVENTS[target]
    rule = ROUTES.get(target)
    return rule is not None and role in rule.roles


def require_event(identity: Identity, name: str) -> None:
    if not can(role_of(identity), name):
        raise Forbidden("not_allowed", NOT_ALLOWED)


# --- HTTP ---------------------------------------------------------------------------------------

@dataclass
class Access:
    """What the current request holds: its roles and the identity it acts with."""

    roles: set[str]
    identity: Identity | None = None
    account: object | None = None
    refusal: DomainError | None = None  # why a presented credential did not count
    held: str | None = None  # the role the presented link or token holds
    actor: Actor | None = None  # the signed-in account, acting on this workshop
    by_session: bool = False  # acting with the session cookie: state changes need CSRF


def check_request():
    """Refuse a request whose caller holds no role its route allows; returns a redirect to the
    sign-in page for the organiser's pages, or None to let the view run."""
    endpoint = request.endpoint
    if endpoint is None:  # 404 and 405: no route, nothing to protect
        return None
    rule = ROUTES.get(endpoint)
    if rule is None:
        raise Forbidden("not_allowed", NOT_ALLOWED)  # fail closed: a route nobody classified
    if ANONYMOUS in rule.roles:
        return None
    access = _resolve(rule)
    g.access = access
    if access.roles & rule.roles:
        _choose_identity(access, rule)
        if access.by_session and request.method not in ("GET", "HEAD", "OPTIONS"):
            check_csrf()
        return None
    if access.account is None and (rule.credential == ACCOUNT or request.blueprint == "organiser"):
        return redirect(url_for("auth.sign_in", next=request.path))
    if access.refusal is not None and not (access.roles - {ANONYMOUS}):
        raise access.refusal
    raise Forbidden("not_allowed", NOT_ALLOWED)


def _choose_identity(access: Access, rule: Rule) -> None:
    """A bearer token says who is asking, unless only the signed-in account has the right."""
    if access.identity is not None and access.held in rule.roles:
        return
    if access.actor is not None and access.actor.actor_role in rule.roles:
        access.identity, access.by_session = access.actor, True
    elif access.identity is None:
        access.by_session = access.account is not None


def current_identity() -> Identity:
    """The identity the current request acts with, as ``check_request`` found it."""
    access: Access | None = g.get("access")
    if access is None or access.identity is None:
        raise Forbidden("bad_token", BAD_LINK)
    return access.identity


def current_access() -> Access:
    return g.get("access") or Access({ANONYMOUS})


def check_csrf() -> None:
    """A session cookie is ambient authority: a state change made with it needs the CSRF token
    (a form field, or the X-CSRFToken header for JSON)."""

    if current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()


def _hold(access: Access, identity: Identity) -> None:
    access.identity, access.held = identity, credential_role(identity)
    access.roles.add(access.held)


def _resolve(rule: Rule) -> Access:
    access = Access({ANONYMOUS})
    args = request.view_args or {}
    if rule.credential == LINK:
        for role in (FACILITATOR, PROJECTOR):
            if role not in rule.roles:  # a console link also reads as the facilitator's here
                continue
            try:
                _hold(access, identify(role, args.get("token")))
                break
            except DomainError as exc:
                access.refusal = exc
        return access
    account = accounts.signed_in()
    code = args.get("code")
    workshop_id = None
    if code is not None:
        workshop_id = find_by_code(code).id  # an unknown workshop is a 404 for everyone
        bearer = _bearer() if request.blueprint != "organiser" else None  # account pages: the session only
        if bearer is not None:
            try:
                _hold(access, identify_bearer(bearer, code))
            except DomainError as exc:
                access.refusal = exc
        elif account is None:
            access.refusal = Forbidden("bad_token", BAD_LINK)
    if account is not None:
        access.account = account
        held = accounts.roles_on(account, workshop_id)
        access.roles |= held
        if held and workshop_id is not None:
            access.actor = account_actor(account, workshop_id, held)
    return access


def account_actor(account, workshop_id: int, held: set[str] | None = None) -> Actor:
    """The signed-in account acting on one workshop, under its strongest role there."""
    held = held if held is not None else accounts.roles_on(account, workshop_id)
    role = next(r for r in (ADMIN, ORGANISER, CO_FACILITATOR) if r in held)
    return Actor(FACILITATOR, workshop_id, None, actor_role=role, account_id=account.id, email=account.email)


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None


def guarded(view):
    """The view, run only after ``check_request``. A wrapper rather than a before_request hook,
    so that a rate limit wrapped around it also counts what this check refuses (a join code
    that does not exist is a 404 here, and guessing codes must cost attempts)."""
    @wraps(view)
    def check_then_run(*args, **kwargs):
        refusal = check_request()
        return refusal if refusal is not None else view(*args, **kwargs)
    return check_then_run


def _start_request():
    # Nothing a previous request found out carries over (an app context can outlive a request).
    g.pop("access", None)
    g.pop("account", None)
    if request.endpoint is not None and request.endpoint not in ROUTES:
        raise Forbidden("not_allowed", NOT_ALLOWED)


def init_app(app) -> None:
    """Call after every blueprint is registered: each view is wrapped in the check, and a route
    added later without an entry in ``ROUTES`` is refused."""
    for endpoint, view in list(app.view_functions.items()):
        app.view_functions[endpoint] = guarded(view)
    app.before_request(_start_request)
