"""Group commit: commands that arrive together are applied together, each with its own answer."""
from __future__ import annotations

import gevent
import pytest

from workshop.group_commit import GroupCommit


class Recorder:
    """An ``apply`` that records each group it was given and answers each command by doubling it;
    a command of -1 is refused alone, and a group holding "boom" fails as a whole."""

    def __init__(self, pause: float = 0):
        self.groups: list[tuple] = []
        self.pause = pause

    def __call__(self, key, commands):
        self.groups.append((key, list(commands)))
        if self.pause:
            gevent.sleep(self.pause)  # a database that yields (PostgreSQL under gevent)
        if "boom" in commands and len(commands) > 1:
            raise RuntimeError("the whole group failed")
        return [ValueError(f"refused {c}") if c == -1 else
                RuntimeError("boom alone") if c == "boom" else c * 2 for c in commands]


def run_all(commit: GroupCommit, calls: list[tuple]) -> list:
    """Start every call at once, as handlers of messages that arrived together; their answers."""
    def one(key, command):
        try:
            return commit.run(key, command)
        except Exception as exc:  # noqa: BLE001 - the answer under test
            return exc
    greenlets = [gevent.spawn(one, key, command) for key, command in calls]
    gevent.joinall(greenlets, timeout=10, raise_error=True)
    assert all(g.ready() for g in greenlets), "a caller was left waiting"
    return [g.value for g in greenlets]


def test_commands_that_arrive_together_are_applied_as_one_group_each_with_its_own_answer():
    apply = Recorder()
    answers = run_all(GroupCommit(apply), [("w1", n) for n in range(50)])
    assert answers == [n * 2 for n in range(50)]
    assert apply.groups == [("w1", list(range(50)))]  # one group, in arrival order


def test_groups_are_kept_apart_by_key_so_one_workshop_never_shares_a_transaction_with_another():
    apply = Recorder()
    answers = run_all(GroupCommit(apply), [("w1", 1), ("w2", 2), ("w1", 3), ("w2", 4)])
    assert answers == [2, 4, 6, 8]
    assert sorted(apply.groups) == [("w1", [1, 3]), ("w2", [2, 4])]


def test_a_refused_command_fails_alone_and_its_neighbours_succeed():
    answers = run_all(GroupCommit(Recorder()), [("w", 1), ("w", -1), ("w", 3)])
    assert answers[0] == 2 and answers[2] == 6
    assert isinstance(answers[1], ValueError) and str(answers[1]) == "refused -1"


def test_when_a_whole_group_fails_each_command_is_tried_again_alone():
    apply = Recorder()
    answers = run_all(GroupCommit(apply), [("w", 1), ("w", "boom"), ("w", 3)])
    assert answers[0] == 2 and answers[2] == 6
    assert isinstance(answers[1], RuntimeError) and str(answers[1]) == "boom alone"
    assert apply.groups == [("w", [1, "boom", 3]), ("w", [1]), ("w", ["boom"]), ("w", [3])]


def test_commands_arriving_while_a_group_is_applied_form_the_next_group_and_nobody_waits_forever():
    apply = Recorder(pause=0.05)
    commit = GroupCommit(apply)

    def later(n):
        gevent.sleep(0.01)  # arrives while the first group is in the database
        return commit.run("w", n)

    first = [gevent.spawn(commit.run, "w", n) for n in range(3)]
    second = [gevent.spawn(later, n) for n in range(10, 14)]
    gevent.joinall(first + second, timeout=10, raise_error=True)
    assert [g.value for g in first + second] == [0, 2, 4, 20, 22, 24, 26]
    assert apply.groups == [("w", [0, 1, 2]), ("w", [10, 11, 12, 13])]


def test_a_batch_never_exceeds_its_maximum_size():
    apply = Recorder()
    answers = run_all(GroupCommit(apply, max_batch=4), [("w", n) for n in range(10)])
    assert answers == [n * 2 for n in range(10)]
    assert [len(commands) for _, commands in apply.groups] == [4, 4, 2]


def test_alone_a_command_is_a_group_of_one_and_its_error_is_raised_to_its_caller():
    commit = GroupCommit(Recorder())
    assert commit.run("w", 21) == 42
    with pytest.raises(ValueError, match="refused -1"):
        commit.run("w", -1)


def test_callers_are_answered_before_the_group_is_published_and_groups_publish_in_order():
    published: list[list] = []
    answered: list[int] = []

    def after(results):
        gevent.sleep(0.02)  # a message queue round trip: the callers answer meanwhile
        published.append((list(results), sorted(answered)))

    commit = GroupCommit(Recorder(), after=after)

    def call(n):
        answered.append(commit.run("w", n))

    gevent.joinall([gevent.spawn(call, n) for n in range(3)], timeout=10, raise_error=True)
    gevent.joinall([gevent.spawn(call, n) for n in range(3, 5)], timeout=10, raise_error=True)
    # The callers other than the leader were answered while their group was being published.
    assert published[0][0] == [0, 2, 4] and set(published[0][1]) >= {2, 4}
    assert published[1][0] == [6, 8]


def test_callers_answer_first_even_when_publishing_never_yields():
    """Publishing to local rooms only queues messages and never yields; the callers' acks must
    not wait behind a whole batch's fan-out."""
    seen_at_publish: list[list] = []
    answered: list[int] = []

    def after(results):
        seen_at_publish.append(sorted(answered))  # no yield here

    commit = GroupCommit(Recorder(), after=after)

    def call(n):
        answered.append(commit.run("w", n))

    gevent.joinall([gevent.spawn(call, n) for n in range(4)], timeout=10, raise_error=True)
    # Everyone but the leader (whose own answer comes after it has published) had answered.
    assert seen_at_publish == [[2, 4, 6]]
