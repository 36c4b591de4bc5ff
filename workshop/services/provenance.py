"""Where merged themes and items survive, read from the database.

``surviving_themes`` is the one mapping every tally uses (a ballot cast on a theme that was
merged since counts for the theme it was merged into); ``follow`` applies it to ballots.
"""
from __future__ import annotations

from sqlalchemy import select

from ..domain import provenance
from ..domain.model import Ballot
from ..extensions import db
from ..models import Item, Theme


def surviving_themes(workshop_id: int) -> dict[int, int]:
    """Every theme id of the workshop mapped to the theme it now counts as."""
    rows = db.session.execute(select(Theme.id, Theme.merged_into_id).where(Theme.workshop_id == workshop_id))
    return provenance.survivors(dict(rows.all()))


def surviving_items(workshop_id: int) -> dict[int, int]:
    """Every item id of the workshop mapped to the item it was merged into (or itself)."""
    rows = db.session.execute(select(Item.id, Item.merged_into_id).where(Item.workshop_id == workshop_id))
    return provenance.survivors(dict(rows.all()))


def follow(workshop_id: int, ballots: list[Ballot]) -> list[Ballot]:
    return provenance.follow_ballots(ballots, surviving_themes(workshop_id))
