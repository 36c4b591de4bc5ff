"""Room names. One room per workshop and role, so each role gets its own shaping of a change,
and one per participant for their personal (unversioned) updates."""


def role_room(workshop_id: int, role: str) -> str:
    return f"w{workshop_id}:{role}"


def participant_room(participant_id: int) -> str:
    return f"p{participant_id}"


def co_facilitator_room(workshop_id: int, account_id: int) -> str:
    """A co-facilitator's consoles opened with their own link: closed when they are removed."""
    return f"w{workshop_id}:co{account_id}"
