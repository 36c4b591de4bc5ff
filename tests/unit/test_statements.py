"""Statements: a merged group counted once, said as many times as it has visible items, with the
perspectives behind it in the workshop's order. Pure domain, no database."""
from __future__ import annotations

from workshop.domain.model import Item
from workshop.domain.statements import build_statements, count_perspectives, single, visible

ORDER = ("buyer", "requester", "supplier")


def item(id_, perspective=None, merged_into=None, hidden=False, lane="challenge", theme=None):
    return Item(id_, lane, f"text {id_}", theme, perspective=perspective, merged_into=merged_into, hidden=hidden)


def by_id(statements):
    return {s.id: s for s in statements}


def test_an_item_nothing_was_merged_into_is_said_once_by_its_author():
    [alone] = build_statements([item(1, "supplier")], ORDER)
    assert (alone.id, alone.mentions, alone.perspectives, alone.merged) == (1, 1, (("supplier", 1),), ())
    assert single(item(2, "buyer"), ORDER).perspectives == (("buyer", 1),)


def test_a_chain_of_merges_is_one_statement_counted_at_its_end_in_the_workshops_perspective_order():
    # 3 into 2, 2 into 1: all three belong to 1, whatever order the merges came in.
    items = [item(1, "supplier", theme=7), item(2, "buyer", merged_into=1), item(3, "supplier", merged_into=2),
             item(4, None)]
    statements = by_id(build_statements(items, ORDER))
    assert set(statements) == {1, 4}
    group = statements[1]
    assert group.mentions == 3 and [m.id for m in group.merged] == [2, 3]
    assert group.perspectives == (("buyer", 1), ("supplier", 2))  # buyer before supplier, as the workshop lists them
    assert group.theme_id == 7 and group.lane == "challenge"  # the survivor's theme and lane stand for it
    assert sum(count for _, count in group.perspectives) == group.mentions


def test_a_hidden_item_is_not_counted_and_a_hidden_survivor_hides_its_statement_from_the_room():
    items = [item(1, "buyer"), item(2, "supplier", merged_into=1, hidden=True), item(3, "requester", merged_into=1),
             item(5, "buyer", hidden=True), item(6, "supplier", merged_into=5)]
    statements = by_id(build_statements(items, ORDER))
    assert statements[1].mentions == 2 and statements[1].perspectives == (("buyer", 1), ("requester", 1))
    # Taken out by the facilitator: the console keeps it (to restore it), the room does not see it.
    assert statements[5].hidden and statements[5].mentions == 2
    assert [s.id for s in visible(statements.values())] == [1]


def test_an_unmerged_item_stands_alone_again():
    merged = [item(1, "buyer"), item(2, "supplier", merged_into=1)]
    unmerged = [item(1, "buyer"), item(2, "supplier")]
    assert [(s.id, s.mentions) for s in build_statements(merged, ORDER)] == [(1, 2)]
    assert [(s.id, s.mentions) for s in build_statements(unmerged, ORDER)] == [(1, 1), (2, 1)]


def test_unknown_and_unstated_perspectives_come_after_the_known_ones():
    assert count_perspectives(["legal", None, "buyer", "academia", "buyer", ""], ORDER) == (
        ("buyer", 2), ("academia", 1), ("legal", 1), ("", 2))


def test_support_counts_as_more_mentions_of_the_statement_the_supported_item_now_belongs_to():
    """The hook for backing a contribution instead of writing it again: support given to an item
    that was merged since counts for the statement it belongs to."""
    items = [item(1, "buyer"), item(2, "supplier", merged_into=1), item(3, "buyer")]
    statements = by_id(build_statements(items, ORDER, support={2: ["requester", None], 99: ["buyer"]}))
    assert statements[1].mentions == 4
    assert statements[1].perspectives == (("buyer", 1), ("requester", 1), ("supplier", 1), ("", 1))
    assert statements[3].mentions == 1  # support for an item that is gone counts nowhere
