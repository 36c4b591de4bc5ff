"""Organisers sign in with their organisation's OpenID Connect provider (Authlib's Flask client),
beside local accounts with passwords.

The authorisation code flow with PKCE: ``start`` sends the browser to the provider with a fresh
state and nonce kept in the signed session cookie; ``callback`` takes the code back, exchanges
it over the back channel, and Authlib checks the ID token (signature from the provider's keys,
issuer, audience, expiry, nonce). The state is used once: Authlib forgets it before the code is
exchanged, so a replayed answer is refused here, and a code replayed with an older cookie is
refused by the provider. Who that person is here is decided by ``services.oidc_accounts``.

Off unless ``OIDC_ISSUER``, ``OIDC_CLIENT_ID`` and ``OIDC_CLIENT_SECRET`` are set: then these
routes answer 404 and the sign-in page shows no button.
"""
from __future__ import annotations

import logging
from urllib.parse import urlencode, urlsplit

from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext
from joserfc.errors import JoseError  # Authlib checks ID tokens with joserfc
from requests import RequestException

from ..domain.errors import N_, DomainError
from ..operations import error_body
from ..services import accounts, oidc_accounts
from .links import absolute, safe_next

bp = Blueprint("oidc", __name__, url_prefix="/account/oidc")
log = logging.getLogger(__name__)
CLIENT = "organisation"
INTENT = "oidc_intent"  # "link" while a signed-in account is linking its provider's subject
SIGNED_IN_BY_PROVIDER = "oidc"

STATE_REFUSED = N_("This sign-in answer was already used, has expired or was not started here. Start the "
                   "sign-in again.")
PROVIDER_REFUSED = N_("Your organisation's sign-in did not let you in. Start the sign-in again, or ask your "
                      "administrator.")
UNREACHABLE = N_("Your organisation's sign-in cannot be reached just now. Try again in a while, or sign in "
                 "with a password.")


def enabled(config) -> bool:
    return bool(config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID") and config.get("OIDC_CLIENT_SECRET"))


def _client():
    if not enabled(current_app.config):
        abort(404)
    return current_app.extensions["oidc"].create_client(CLIENT)


def _refused(message: str, status: int = 400, **params):
    """Back to the sign-in page with the reason; nothing was signed in or changed."""
    return render_template("auth/sign_in.html", error=gettext(message, **params), email="",
                           signup=current_app.config["ACCOUNT_SIGNUP"]), status


def _metadata(client) -> dict:
    """The provider's discovery document, which must name the configured issuer exactly."""
    metadata = client.load_server_metadata()
    if metadata.get("issuer") != current_app.config["OIDC_ISSUER"]:
        raise RuntimeError(f"the provider calls itself {metadata.get('issuer')!r}, not OIDC_ISSUER")
    return metadata


@bp.get("/start")
def start():
    """Send the browser to the provider; ``next`` (a path here) is where it lands afterwards."""
    client = _client()
    try:
        _metadata(client)
    except (RequestException, RuntimeError, ValueError) as exc:
        log.warning("OpenID provider not usable: %s", exc)
        return _refused(UNREACHABLE, 503)
    session["oidc_next"] = safe_next(request.args.get("next"))
    session.pop(INTENT, None)
    return client.authorize_redirect(absolute("oidc.callback"))


@bp.post("/link")
def link():
    """A signed-in account (with a password) proves its subject at the provider to be linked."""
    client = _client()
    if accounts.signed_in() is None:
        return redirect(url_for("auth.sign_in", next=url_for("organiser.index")), code=303)
    try:
        _metadata(client)
    except (RequestException, RuntimeError, ValueError) as exc:
        log.warning("OpenID provider not usable: %s", exc)
        return _refused(UNREACHABLE, 503)
    session[INTENT] = "link"
    session["oidc_next"] = url_for("organiser.index")
    return client.authorize_redirect(absolute("oidc.callback"))


def _claims(client, token: dict) -> dict:
    """The ID token's claims, completed from the userinfo endpoint for the same subject (many
    providers put the e-mail address or the groups only there)."""
    claims = dict(token.get("userinfo") or {})
    if not claims.get("sub"):
        raise OAuthError(description="no ID token")
    if client.load_server_metadata().get("userinfo_endpoint") and token.get("access_token"):
        extra = dict(client.userinfo(token=token))
        if extra.get("sub") == claims["sub"]:
            claims = {**extra, **claims}  # the signed ID token's claims win
    return claims


@bp.get("/callback")
def callback():
    client = _client()
    intent, target = session.pop(INTENT, None), session.pop("oidc_next", None)
    try:
        token = client.authorize_access_token()
        claims = _claims(client, token)
    except MismatchingStateError:
        return _refused(STATE_REFUSED)
    except OAuthError as exc:
        log.info("OpenID sign-in refused by the provider: %s", exc.error)
        return _refused(PROVIDER_REFUSED)
    except JoseError as exc:
        log.warning("OpenID ID token refused: %s", exc.error)
        return _refused(PROVIDER_REFUSED)
    except (RequestException, ValueError) as exc:
        log.warning("OpenID provider not usable: %s", exc.__class__.__name__)
        return _refused(UNREACHABLE, 503)
    policy = oidc_accounts.Policy.from_config(current_app.config, current_app.config["OIDC_ISSUER"])
    try:
        if intent == "link":
            account = accounts.signed_in()
            if account is None:
                return _refused(STATE_REFUSED)
            oidc_accounts.link(account, claims, policy)
        else:
            account = oidc_accounts.account_for(claims, policy)
    except DomainError as exc:
        return _refused(error_body(exc)["message"], exc.status)
    accounts.sign_in(account, **{SIGNED_IN_BY_PROVIDER: True})
    return redirect(target or url_for("organiser.index"), code=303)


def end_session_url(signed_in_by_provider: bool) -> str | None:
    """Where the browser goes after signing out here, to end its session at the provider too
    (RP-initiated logout), or None: signed in with a password, or the provider has no endpoint."""
    if not (signed_in_by_provider and enabled(current_app.config)):
        return None
    client = current_app.extensions["oidc"].create_client(CLIENT)
    try:
        endpoint = client.load_server_metadata().get("end_session_endpoint")
    except (RequestException, ValueError):
        return None
    if not endpoint:
        return None
    separator = "&" if "?" in endpoint else "?"
    return endpoint + separator + urlencode({"client_id": current_app.config["OIDC_CLIENT_ID"],
                                              "post_logout_redirect_uri": absolute("pages.home")})


def _origin(url: str | None) -> str | None:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def _provider_origins(app) -> set[str]:
    """The issuer's origin, and those of its sign-in and sign-out endpoints once discovered (a
    provider may serve them elsewhere); never a request to the provider for a page."""
    client = app.extensions["oidc"].create_client(CLIENT)
    metadata = client.server_metadata if client is not None else {}
    found = {_origin(app.config["OIDC_ISSUER"]), _origin(metadata.get("authorization_endpoint")),
             _origin(metadata.get("end_session_endpoint"))}
    return {origin for origin in found if origin}


def init_app(app) -> None:
    app.register_blueprint(bp)
    oauth = OAuth(app)
    app.extensions["oidc"] = oauth
    if enabled(app.config):
        issuer = app.config["OIDC_ISSUER"]
        oauth.register(CLIENT, client_id=app.config["OIDC_CLIENT_ID"], client_secret=app.config["OIDC_CLIENT_SECRET"],
                       server_metadata_url=issuer.rstrip("/") + "/.well-known/openid-configuration",
                       client_kwargs={"scope": app.config["OIDC_SCOPES"], "code_challenge_method": "S256",
                                      "default_timeout": 10})

    @app.after_request
    def _forms_may_go_to_the_provider(response):
        """Signing out and linking are forms whose answer redirects to the provider, and a
        browser holds such a redirect to the page's ``form-action``: the provider's origins join
        'self' on the account pages. Its answers are never cached."""
        if enabled(app.config) and request.blueprint in ("auth", "organiser", "oidc"):
            csp = response.headers.get("Content-Security-Policy", "")
            if "form-action 'self'" in csp:
                origins = " ".join(sorted(_provider_origins(app)))
                response.headers["Content-Security-Policy"] = csp.replace("form-action 'self'",
                                                                          f"form-action 'self' {origins}")
        if request.blueprint == "oidc":
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.context_processor
    def _sign_in_with_provider():
        if not enabled(app.config):
            return {"oidc_sign_in": None}
        return {"oidc_sign_in": app.config.get("OIDC_LABEL") or gettext("your organisation's account")}
