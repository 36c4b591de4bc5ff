"""Statements: what the room said, once per merged group.

When the facilitator merges a duplicate into another item, the two are one statement said twice.
Every screen and every document counts statements, never raw items, so the console, the
projector, the phones, the validation draft and each guide format can never disagree about how
many contributions a theme or a lane holds. A statement is the surviving item (its text, lane and
theme stand for the group) and the items merged into it, directly or along a chain of merges.

``mentions`` is how many times it was said and ``perspectives`` from where: one count per item
(a hidden item is not counted: the facilitator took it out), so the perspectives' counts add up
to the mentions. ``support`` is the hook for a participant backing an existing contribution
instead of writing it again: each supporter's perspective counts as one more mention of the
statement their item belongs to, exactly as a merged duplicate would.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from .model import Item
from .provenance import survivors

NOT_STATED = ""  # the perspective key of an author who gave none (and of a paper note)


@dataclass(frozen=True)
class Statement:
    item: Item  # the surviving item
    merged: tuple[Item, ...]  # the visible items merged into it, in the order they came
    mentions: int
    perspectives: tuple[tuple[str, int], ...]  # (perspective key, mentions), in the workshop's order

    @property
    def id(self) -> int:
        return self.item.id

    @property
    def lane(self) -> str:
        return self.item.lane

    @property
    def theme_id(self) -> int | None:
        return self.item.theme_id

    @property
    def hidden(self) -> bool:
        return self.item.hidden


def perspective_order(keys: Iterable[str], known: Sequence[str] = ()) -> list[str]:
    """Known perspectives in the workshop's order, then unknown keys by name, "not stated" last."""
    keys = set(keys)
    extra = sorted(k for k in keys if k and k not in known)
    return [k for k in known if k in keys] + extra + ([NOT_STATED] if NOT_STATED in keys else [])


def count_perspectives(perspectives: Iterable[str | None], known: Sequence[str] = ()) -> tuple[tuple[str, int], ...]:
    totals: dict[str, int] = {}
    for key in perspectives:
        totals[key or NOT_STATED] = totals.get(key or NOT_STATED, 0) + 1
    return tuple((key, totals[key]) for key in perspective_order(totals, known))


def build_statements(items: Iterable[Item], perspectives: Sequence[str] = (),
                     support: Mapping[int, Sequence[str | None]] | None = None) -> list[Statement]:
    """One statement per item that was not merged into another, in the order the items come.

    ``perspectives`` is the workshop's perspective keys in order. A hidden survivor still gives a
    statement (the console shows it, to restore it); the caller leaves those out where the room
    looks. ``support`` maps an item id to the perspectives of those who backed it; support given
    to an item since merged counts for the statement it now belongs to."""
    items = list(items)
    by_id = {item.id: item for item in items}
    final = survivors({item.id: item.merged_into for item in items})
    members: dict[int, list[Item]] = {}
    for item in items:
        if item.merged_into is not None and final[item.id] != item.id and not item.hidden:
            members.setdefault(final[item.id], []).append(item)
    backing: dict[int, list[str | None]] = {}
    for item_id, keys in (support or {}).items():
        if item_id in final:
            backing.setdefault(final[item_id], []).extend(keys)
    statements = []
    for item in items:
        if final[item.id] != item.id:
            continue
        merged = tuple(members.get(item.id, ()))
        said = [item.perspective, *(m.perspective for m in merged), *backing.get(item.id, ())]
        statements.append(Statement(by_id[item.id], merged, len(said), count_perspectives(said, perspectives)))
    return statements


def visible(statements: Iterable[Statement]) -> list[Statement]:
    """The statements the room and the documents show: not those the facilitator hid."""
    return [s for s in statements if not s.hidden]


def single(item: Item, perspectives: Sequence[str] = ()) -> Statement:
    """The statement of an item nothing was merged into (a new one): said once, by its author."""
    return Statement(item, (), 1, count_perspectives([item.perspective], perspectives))
