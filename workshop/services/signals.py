"""What a service announces, once its change is committed, for the realtime layer to act on.

Services change state and never hold a socket. Two changes need the open connections themselves:
a right taken away (links rotated or revoked, a workshop anonymised or deleted), after which the
screens of those roles are closed, and a refused join, which the console hears at once without a
versioned change. A service sends the signal; realtime/closing.py and realtime/publish.py act on
it. The signals are blinker's, which Flask itself uses for its own: a receiver failing is its own
concern, never the committed change's.
"""
from __future__ import annotations

from blinker import Namespace

from . import unit

_signals = Namespace()

# sender: the workshop's id; ``roles``: the roles whose open screens must close.
rights_withdrawn = _signals.signal("rights-withdrawn")
# sender: the workshop's id; ``joining``: {"open": bool, "refused": int}, for the console.
join_refused = _signals.signal("join-refused")


def withdraw_rights(workshop_id: int, roles) -> None:
    """Once committed, close the open screens of these roles (this process's own, and through the
    message queue every other process takes them out of the workshop's rooms)."""
    roles = tuple(roles)
    unit.after_commit(lambda: rights_withdrawn.send(workshop_id, roles=roles))


def refused_join(workshop_id: int, joining_open: bool, refused: int) -> None:
    """Once committed, tell the console one more join was refused."""
    unit.after_commit(lambda: join_refused.send(workshop_id, joining={"open": joining_open, "refused": refused}))
