"""What a use case hands back: the new version and the changes to publish after the commit."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STAFF = ("facilitator", "projector")
EVERYONE = ("facilitator", "projector", "participant")

# Changes that only the console and the projector need. A room of 1,000 phones would otherwise
# receive every join, every item and every ballot of everyone else: a million messages for one
# vote burst. A phone gets its own items and ballot personally, and everything it shows from
# the phases, themes and (revealed) results.
STAFF_ONLY = frozenset({"participants.changed", "item.added", "turnout.changed", "advice.changed"})
# Changes for the console alone: participants' comments on the draft guide are for the facilitator
# to weigh, not for the room's screen.
FACILITATOR_ONLY = frozenset({"comment.added", "comment.handled", "review.responded"})
# The editorial layer is the facilitator's and organiser's draft of their own words.
FACILITATOR_ONLY |= {"editorial.changed"}
# A set-up saved as a template: the console's moderation panel lists it.
FACILITATOR_ONLY |= {"template.saved"}
# What the projector receives in place of a change for the console alone: nothing to apply, only
# its sequence (the workshop's version) moves, so it sees no gap and does not resync for it.
UNSEEN = "unseen"
# An edit of an ungrouped or hidden item (see services/moderation.py): its author hears personally.
STAFF_ONLY |= {"item.edited"}


def audience(change_type: str) -> tuple[str, ...]:
    """The roles whose rooms receive a change of this type."""
    if change_type in FACILITATOR_ONLY:
        return ("facilitator",)
    return STAFF if change_type in STAFF_ONLY else EVERYONE


@dataclass(frozen=True)
class Stamp:
    """Where a change sits in the workshop's history.

    ``version`` counts every change (the console's and projector's sequence); ``participant_seq``
    counts the changes phones receive and is ``None`` for a change phones are not sent.
    """

    version: int
    participant_seq: int | None = None

    def seq_for(self, role: str) -> int | None:
        return self.participant_seq if role == "participant" else self.version


@dataclass(frozen=True)
class Change:
    """One versioned change, as each role should see it.

    ``data`` is what participants and the projector receive; ``facilitator_data`` replaces it for
    the console where the facilitator may see more (e.g. an item's perspective), and
    ``participant_data`` for phones where they see less than the projector (a round's turnout).
    """

    type: str
    data: dict
    facilitator_data: dict | None = None
    participant_data: dict | None = None

    def for_role(self, role: str) -> dict:
        if role == "facilitator" and self.facilitator_data is not None:
            return self.facilitator_data
        if role == "participant" and self.participant_data is not None:
            return self.participant_data
        return self.data


@dataclass(frozen=True)
class Personal:
    """An unversioned update for every tab of one participant (their ballot, their own item)."""

    participant_id: int
    event: str
    data: dict
    # Not to the connection that sent the command (its ack already says it): which connection that
    # is, is the realtime layer's business (``Outcome.sender``), never a service's.
    skip_sender: bool = False


@dataclass
class Outcome:
    workshop_id: int
    stamp: Stamp | None = None
    changes: list[Change] = field(default_factory=list)
    reply: dict[str, Any] = field(default_factory=dict)
    personal: list[Personal] = field(default_factory=list)
    audit: dict[str, Any] = field(default_factory=dict)  # what the audit trail keeps beyond the input
    sender: str | None = None  # the sending connection, filled in by operations.perform, not by services

    @property
    def version(self) -> int | None:
        return self.stamp.version if self.stamp else None
