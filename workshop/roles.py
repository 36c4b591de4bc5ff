"""The roles a caller can hold, and the sets of them that rules are written with.

A module of its own, importing nothing, so that an operation's declaration beside its service
(``workshop/declarations.py``) can say who may call it without importing the authorisation
machinery (``authz``), which itself reads those declarations.
"""
from __future__ import annotations

ANONYMOUS = "anonymous"
PARTICIPANT = "participant"
PROJECTOR = "projector"
FACILITATOR = "facilitator"
LINK_STEWARD = "link-steward"  # the facilitator link of a workshop no account owns
CO_FACILITATOR = "co-facilitator"
ORGANISER = "organiser"
ADMIN = "admin"
ROLES = (ANONYMOUS, PARTICIPANT, PROJECTOR, FACILITATOR, LINK_STEWARD, CO_FACILITATOR, ORGANISER, ADMIN)

EVERYONE = frozenset(ROLES)
NOBODY: frozenset[str] = frozenset()
# Run a live workshop: phases, themes, moderation, the guide.
RUNNERS = frozenset({FACILITATOR, LINK_STEWARD, CO_FACILITATOR, ORGANISER, ADMIN})
# Answer for a workshop: delete it, keep its data, rotate its links, read its audit trail. The
# facilitator link counts only while no account owns the workshop: then it has no other steward.
STEWARDS = frozenset({LINK_STEWARD, ORGANISER, ADMIN})
ACCOUNTS = frozenset({CO_FACILITATOR, ORGANISER, ADMIN})
# The links that open the console: the workshop's own, and each co-facilitator's.
CONSOLE_LINKS = frozenset({FACILITATOR, LINK_STEWARD, CO_FACILITATOR})
# What a socket connection can be: a phone, a projector or a console.
SCREENS = frozenset({PARTICIPANT, PROJECTOR}) | CONSOLE_LINKS
# A participant's own phone, alone.
PHONE = frozenset({PARTICIPANT})


def only(*roles: str) -> frozenset[str]:
    return frozenset(roles)
