"""What a use case hands back: the new version and the changes to publish after the commit."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Change:
    """One versioned change, as each role should see it.

    ``data`` is what participants and the projector receive; ``facilitator_data`` replaces it for
    the console where the facilitator may see more (e.g. an item's perspective).
    """

    type: str
    data: dict
    facilitator_data: dict | None = None

    def for_role(self, role: str) -> dict:
        if role == "facilitator" and self.facilitator_data is not None:
            return self.facilitator_data
        return self.data


@dataclass
class Outcome:
    workshop_id: int
    version: int | None = None
    changes: list[Change] = field(default_factory=list)
    reply: dict[str, Any] = field(default_factory=dict)
    # Unversioned, personal updates: participant id -> their own "me" view.
    personal: dict[int, dict] = field(default_factory=dict)
