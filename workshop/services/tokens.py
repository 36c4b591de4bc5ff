"""Capability tokens: random, shown once, stored only as hashes."""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# No 0/O or 1/I/L: people read join codes off a projector and type them on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def projector_token_for(facilitator_token: str) -> str:
    """The projector link is derived from the facilitator link, so the console can always show it
    while the database holds neither; knowing it reveals nothing about the facilitator link."""
    digest = hmac.new(facilitator_token.encode("utf-8"), b"projector", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())
