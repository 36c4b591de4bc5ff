"""Settings classes. Environment variables override every class, read when the app is created
(never at import time), so tests can pass overrides to ``create_app`` without patching os.environ.
"""
from __future__ import annotations

import os

DEFAULT_SECRET = "dev-only-not-secret"


class Config:
    SECRET_KEY = DEFAULT_SECRET
    SQLALCHEMY_DATABASE_URI = "sqlite:///instance/workshop.db"
    # Never put bound parameters (item text, token hashes) into error messages and so into logs.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"hide_parameters": True}
    SOCKETIO_MESSAGE_QUEUE: str | None = None
    SOCKETIO_CHANNEL = "workshop"  # the message queue channel; one per deployment sharing a Redis
    # None means "same origin only"; a list of origins allows those, for a proxy with another host.
    ALLOWED_ORIGINS: list[str] | None = None
    PUBLIC_URL: str | None = None  # e.g. https://workshop.example.org, for links and QR codes
    # Host names this server answers on (".example.org": every subdomain). Production makes links
    # from the request only for these, PUBLIC_URL's host and loopback, and once either is set
    # refuses requests naming another host (400). See workshop/http/hosts.py.
    ALLOWED_HOSTS: list[str] | None = None
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
    LANGUAGES = ("sv", "en")
    MAX_CONTENT_LENGTH = 64 * 1024
    # Bytes of one Socket.IO packet, announced as maxPayload in the handshake (docs/realtime.md);
    # a larger packet closes the connection. It holds the longest text of any field even fully
    # escaped, a 500-item move, and a 200-rating ballot (about 7 900 bytes with 7-digit ids).
    SOCKET_MAX_PAYLOAD = 8 * 1024
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    JSON_SORT_KEYS = False
    # Token buckets per role for socket events: (burst capacity, refill per second). A phone may
    # send its whole offline queue at once, but not a stream.
    SOCKET_RATE_LIMITS = {"participant": (30, 3.0), "facilitator": (200, 40.0), "projector": (30, 5.0)}
    RATE_LIMIT_REDIS: str | None = None  # default: the Redis message queue, when there is one
    LOG_LEVEL = "INFO"
    LOG_FORMAT = "text"  # "text" for a terminal, "json" (one object per line) for a log collector
    METRICS_ENABLED = True  # serve /metrics (Prometheus text format)
    # When set, /metrics wants "Authorization: Bearer <token>"; when not, production serves it
    # only to direct loopback requests. See docs/deployment.md.
    METRICS_TOKEN: str | None = None
    # HTTP rate limits per client address ("N per second|minute|hour"), in Redis when
    # RATE_LIMIT_REDIS or a Redis message queue is set, otherwise in this process. Failed sign-ins
    # count against theirs; look-ups of join codes that do not exist count against theirs, and
    # a code that exists is never refused by it, so a room behind one address is never locked out
    # by other people's typos or guesses (see docs/security.md).
    RATE_LIMIT_ENABLED = True  # False: no per-address or per-workshop limit (the socket buckets stay)
    RATE_LIMIT_HTTP = "6000 per minute"
    # Connections one `python -m workshop` process holds at once (each phone holds one); beyond
    # that a connection is answered 503 with Retry-After. None: what its open-file limit allows.
    MAX_CONNECTIONS: int | None = None
    RATE_LIMIT_JOIN_FAILURES = "30 per minute"
    RATE_LIMIT_SIGN_IN = "10 per minute"
    # Joins: a conference room behind one address joins hundreds in a minute; a script joining
    # thousands is refused (429), and counted on the console. A workshop takes joins at a rate well
    # above any real room, and never more than WORKSHOP_MAX_PARTICIPANTS participants (409).
    RATE_LIMIT_JOINS_PER_ADDRESS = "600 per minute"
    RATE_LIMIT_JOINS_PER_WORKSHOP = "2000 per minute"
    WORKSHOP_MAX_PARTICIPANTS = 5000
    # Addresses of the balancers whose X-Forwarded-For names the client (none by default).
    RATE_LIMIT_TRUSTED_PROXIES: tuple[str, ...] = ()
    # Organiser accounts: may anyone create one on the sign-up page? (the first administrator
    # comes from `flask --app wsgi admin create EMAIL` either way)
    ACCOUNT_SIGNUP = True
    # Sign-in with the organisation's OpenID Connect provider, beside local accounts: on when the
    # issuer, client id and secret are all set (workshop/http/oidc.py, docs/security.md).
    OIDC_ISSUER: str | None = None  # e.g. https://login.example.org/realms/staff
    OIDC_CLIENT_ID: str | None = None
    OIDC_CLIENT_SECRET: str | None = None
    OIDC_SCOPES = "openid email profile"
    # E-mail domains whose people may sign in (lower case; "example.org" also admits no subdomain);
    # empty: any address the provider vouches for.
    OIDC_ALLOWED_DOMAINS: tuple[str, ...] = ()
    # The claim (a string or a list, e.g. "groups" or "roles") and the values in it that make an
    # account an administrator; with no values the provider never grants or takes that role.
    OIDC_ADMIN_CLAIM = "groups"
    OIDC_ADMIN_VALUES: tuple[str, ...] = ()
    OIDC_LABEL: str | None = None  # the button's name of the provider, e.g. "Region Exempel"
    # The host organisation, named in the accessibility statement and the privacy notice
    # (workshop/http/statements.py): who answers for the service and how to reach them.
    ORGANISATION_NAME: str | None = None  # e.g. "Region Exempel"
    ORGANISATION_EMAIL: str | None = None  # where people report problems and ask about their data
    ORGANISATION_PHONE: str | None = None
    ORGANISATION_ADDRESS: str | None = None  # postal address, one line
    ORGANISATION_DPO_EMAIL: str | None = None  # the data protection officer, if the organisation has one
    ACCESSIBILITY_EMAIL: str | None = None  # default: ORGANISATION_EMAIL
    # Status under the Swedish act on accessibility of digital public services: "full", "partial"
    # (the default: the statement lists known gaps) or "none"; and the date of the last assessment.
    ACCESSIBILITY_STATUS = "partial"
    ACCESSIBILITY_ASSESSED = "2026-12-07"
    ACCESSIBILITY_RESPONSE_DAYS = 5  # working days within which the organisation answers
    # Legal basis for the participants' data: "public-task" (GDPR 6(1)(e)), "legitimate-interests"
    # (6(1)(f)) or "consent" (6(1)(a)).
    PRIVACY_LEGAL_BASIS = "public-task"
    # Personal data of a workshop is anonymised this many days after it closed (or, if it never
    # closed, after it was created); each workshop may choose its own period up to the maximum.
    PRIVACY_RETENTION_DAYS = 90
    PRIVACY_RETENTION_MAX_DAYS = 3650
    AUDIT_RETENTION_DAYS = 365
    PRIVACY_PURGE_EVERY: int | None = 3600  # seconds between purges in the server; None: only the CLI
    # Make a workshop's PDF and DOCX in the background as soon as it closes or its guide is
    # finalised, so the organiser's download is ready (see services/guide_files.py).
    GUIDE_PREPARE = True
    # E-mail invitations (docs/deployment.md): off while MAIL_SERVER is unset. Sent over SMTP by
    # Flask-Mailman, never from the request that asked (services/invitations.py).
    MAIL_SERVER: str | None = None
    MAIL_PORT = 587
    MAIL_USE_TLS = True  # STARTTLS on MAIL_PORT
    MAIL_USE_SSL = False  # TLS from the first byte (port 465)
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER: str | None = None  # default: no-reply@ the host of PUBLIC_URL
    MAIL_TIMEOUT = 10  # seconds: a mail server that stops answering fails the send, never hangs it
    MAIL_BACKEND = "smtp"  # Flask-Mailman would pick an in-memory outbox when testing
    # The time zone of a workshop's date and times unless its organiser names another.
    SCHEDULE_TIMEZONE = "Europe/Stockholm"
    TESTING = False
    ENV_NAME = "development"


class DevelopmentConfig(Config):
    pass


class TestingConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    PRIVACY_PURGE_EVERY = None
    ENV_NAME = "testing"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    ACCOUNT_SIGNUP = False
    LOG_FORMAT = "json"
    ENV_NAME = "production"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def from_environment(environ: dict[str, str] | None = None) -> dict:
    """Settings taken from environment variables; only those that are set."""
    env = os.environ if environ is None else environ
    values: dict = {}
    if env.get("SECRET_KEY"):
        values["SECRET_KEY"] = env["SECRET_KEY"]
    if env.get("DATABASE_URL"):
        values["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(env["DATABASE_URL"])
    if env.get("SOCKETIO_MESSAGE_QUEUE"):
        values["SOCKETIO_MESSAGE_QUEUE"] = env["SOCKETIO_MESSAGE_QUEUE"]
    if env.get("SOCKETIO_CHANNEL"):
        values["SOCKETIO_CHANNEL"] = env["SOCKETIO_CHANNEL"]
    if env.get("ALLOWED_ORIGINS"):
        values["ALLOWED_ORIGINS"] = [o.strip() for o in env["ALLOWED_ORIGINS"].split(",") if o.strip()]
    if env.get("PUBLIC_URL"):
        values["PUBLIC_URL"] = env["PUBLIC_URL"].rstrip("/")
    if env.get("ALLOWED_HOSTS"):
        values["ALLOWED_HOSTS"] = [h.strip().lower() for h in env["ALLOWED_HOSTS"].split(",") if h.strip()]
    if env.get("RATE_LIMIT_REDIS"):
        values["RATE_LIMIT_REDIS"] = env["RATE_LIMIT_REDIS"]
    if env.get("SOCKET_RATE_LIMIT_PARTICIPANT"):  # "capacity,rate", e.g. "30,3"
        capacity, rate = env["SOCKET_RATE_LIMIT_PARTICIPANT"].split(",")
        values["SOCKET_RATE_LIMITS"] = {**Config.SOCKET_RATE_LIMITS, "participant": (float(capacity), float(rate))}
    if env.get("SOCKET_RATE_LIMIT_FACILITATOR"):
        capacity, rate = env["SOCKET_RATE_LIMIT_FACILITATOR"].split(",")
        values["SOCKET_RATE_LIMITS"] = {**values.get("SOCKET_RATE_LIMITS", Config.SOCKET_RATE_LIMITS),
                                        "facilitator": (float(capacity), float(rate))}
    for name in ("RATE_LIMIT_HTTP", "RATE_LIMIT_JOIN_FAILURES", "RATE_LIMIT_SIGN_IN", "RATE_LIMIT_JOINS_PER_ADDRESS",
                 "RATE_LIMIT_JOINS_PER_WORKSHOP"):
        if env.get(name):
            values[name] = env[name]
    if env.get("WORKSHOP_MAX_PARTICIPANTS"):
        values["WORKSHOP_MAX_PARTICIPANTS"] = int(env["WORKSHOP_MAX_PARTICIPANTS"])
    if env.get("MAX_CONNECTIONS"):
        values["MAX_CONNECTIONS"] = int(env["MAX_CONNECTIONS"])
    for name in ("RATE_LIMIT_ENABLED", "ACCOUNT_SIGNUP", "GUIDE_PREPARE"):
        if env.get(name):
            values[name] = _flag(env[name])
    if env.get("RATE_LIMIT_TRUSTED_PROXIES"):
        values["RATE_LIMIT_TRUSTED_PROXIES"] = tuple(a.strip() for a in env["RATE_LIMIT_TRUSTED_PROXIES"].split(",")
                                                     if a.strip())
    for name in ("PRIVACY_RETENTION_DAYS", "AUDIT_RETENTION_DAYS"):
        if env.get(name):
            values[name] = int(env[name])
    if env.get("PRIVACY_PURGE_EVERY"):
        values["PRIVACY_PURGE_EVERY"] = int(env["PRIVACY_PURGE_EVERY"]) or None
    for name in ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_SCOPES", "OIDC_ADMIN_CLAIM",
                 "OIDC_LABEL"):
        if env.get(name):
            values[name] = env[name].strip()
    for name in ("OIDC_ALLOWED_DOMAINS", "OIDC_ADMIN_VALUES"):
        if env.get(name):
            values[name] = _items(env[name], lower=name == "OIDC_ALLOWED_DOMAINS")
    for name in ("ORGANISATION_NAME", "ORGANISATION_EMAIL", "ORGANISATION_PHONE", "ORGANISATION_ADDRESS",
                 "ORGANISATION_DPO_EMAIL", "ACCESSIBILITY_EMAIL", "ACCESSIBILITY_ASSESSED"):
        if env.get(name):
            values[name] = env[name].strip()
    if env.get("ACCESSIBILITY_STATUS"):
        if env["ACCESSIBILITY_STATUS"] not in ("full", "partial", "none"):
            raise ValueError("ACCESSIBILITY_STATUS must be 'full', 'partial' or 'none'")
        values["ACCESSIBILITY_STATUS"] = env["ACCESSIBILITY_STATUS"]
    if env.get("ACCESSIBILITY_RESPONSE_DAYS"):
        values["ACCESSIBILITY_RESPONSE_DAYS"] = int(env["ACCESSIBILITY_RESPONSE_DAYS"])
    if env.get("PRIVACY_LEGAL_BASIS"):
        if env["PRIVACY_LEGAL_BASIS"] not in ("public-task", "legitimate-interests", "consent"):
            raise ValueError("PRIVACY_LEGAL_BASIS must be 'public-task', 'legitimate-interests' or 'consent'")
        values["PRIVACY_LEGAL_BASIS"] = env["PRIVACY_LEGAL_BASIS"]
    if env.get("LOG_LEVEL"):
        values["LOG_LEVEL"] = env["LOG_LEVEL"]
    if env.get("LOG_FORMAT"):
        if env["LOG_FORMAT"] not in ("text", "json"):
            raise ValueError("LOG_FORMAT must be 'text' or 'json'")
        values["LOG_FORMAT"] = env["LOG_FORMAT"]
    if env.get("METRICS_ENABLED"):
        values["METRICS_ENABLED"] = env["METRICS_ENABLED"].strip().lower() in ("1", "true", "yes", "on")
    if env.get("METRICS_TOKEN"):
        values["METRICS_TOKEN"] = env["METRICS_TOKEN"]
    values.update(_mail_settings(env))
    return values


def _mail_settings(env) -> dict:
    values: dict = {}
    for name in ("MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_DEFAULT_SENDER", "SCHEDULE_TIMEZONE"):
        if env.get(name):
            values[name] = env[name]
    for name in ("MAIL_PORT", "MAIL_TIMEOUT"):
        if env.get(name):
            values[name] = int(env[name])
    for name in ("MAIL_USE_TLS", "MAIL_USE_SSL"):
        if env.get(name):
            values[name] = _flag(env[name])
    return values


def _items(value: str, lower: bool = False) -> tuple[str, ...]:
    items = (item.strip() for item in value.split(","))
    return tuple((item.lower().lstrip("@") if lower else item) for item in items if item)


def _flag(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever spelling the URL has."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def config_class(name: str | None = None) -> type[Config]:
    return CONFIGS[name or os.environ.get("WORKSHOP_ENV", "development")]
