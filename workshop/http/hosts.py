"""Which host names this server answers on, so a request's ``Host`` header never reaches a link.

A join link, a console link or a QR code made from whatever ``Host`` a request claims would let
anyone make the server print their own address next to a real join code. With ``PUBLIC_URL`` set,
links never use the request's host; without it, a link may only carry a trusted host:
``ALLOWED_HOSTS`` (leading dot: every subdomain), ``PUBLIC_URL``'s host, and the loopback names
(a server tried out on its own machine). Production trusts nothing else; in development any host
is trusted unless ``ALLOWED_HOSTS`` is set.

The check runs before a request does anything (web.py), so a refused one changes nothing: once
the operator has named the server's hosts (``ALLOWED_HOSTS``, or ``PUBLIC_URL`` in production)
for every request, health checks and metrics excepted (a balancer asks for those by the process's
address); before that, for every request that may make a link (``LINK_AREAS``, and the Socket.IO
handshake, whose snapshot holds links), so production without either answers those on loopback only.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from werkzeug.sansio.utils import host_is_trusted

from ..domain.errors import N_, DomainError

LOOPBACK = ("localhost", "127.0.0.1")
# Balancers and scrapers ask for these by the process's address, not the public name.
ANY_HOST = frozenset({"ops.healthz", "ops.readyz", "ops.metrics_endpoint"})
# The blueprints whose routes may make a link (links.py): pages, the JSON API, the organiser's.
LINK_AREAS = frozenset({"pages", "api", "organiser"})
UNKNOWN_HOST = N_("This server does not answer on this address. Use the link the facilitator shared.")


class UnknownHost(DomainError):
    status = 400

    def __init__(self):
        super().__init__("unknown_host", UNKNOWN_HOST)


def trusted_hosts(config) -> list[str] | None:
    """The host names a link may carry; None: any (development without ``ALLOWED_HOSTS``)."""
    allowed = list(config.get("ALLOWED_HOSTS") or ())
    if not allowed and config.get("ENV_NAME") != "production":
        return None
    public = urlsplit(config["PUBLIC_URL"]).hostname if config.get("PUBLIC_URL") else None
    return allowed + ([public] if public else []) + list(LOOPBACK)


def refuses_other_hosts(config) -> bool:
    """Whether every request (not only one that makes a link) must name a trusted host."""
    return bool(config.get("ALLOWED_HOSTS")) or (config.get("ENV_NAME") == "production"
                                                 and bool(config.get("PUBLIC_URL")))


def is_trusted(host: str | None, config) -> bool:
    trusted = trusted_hosts(config)
    return trusted is None or host_is_trusted((host or "").lower(), trusted)


def require_trusted(host: str | None, config) -> None:
    if not is_trusted(host, config):
        raise UnknownHost()
