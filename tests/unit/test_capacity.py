"""What counts as running out of descriptors, and how many connections a limit leaves room for
(the server process itself: tests/realtime/test_capacity.py)."""
from __future__ import annotations

import errno

from workshop.http import capacity


def test_a_failure_for_want_of_descriptors_is_recognised_through_its_causes():
    emfile = OSError(errno.EMFILE, "Too many open files")
    assert capacity.out_of_descriptors(emfile)
    try:
        try:
            raise emfile
        except OSError as exc:
            raise RuntimeError("unable to open database file") from exc
    except RuntimeError as wrapped:
        assert capacity.out_of_descriptors(wrapped)
    # Any other failure, with descriptors to spare, stays what it is (a 500 and its traceback).
    assert not capacity.out_of_descriptors(ValueError("a bug"))
    assert not capacity.out_of_descriptors(OSError(errno.ECONNRESET, "reset"))


def test_the_cap_leaves_a_reserve_and_never_exceeds_the_limit():
    assert capacity.connection_cap(20_000) == 20_000 - capacity.RESERVE - 400
    assert capacity.connection_cap(20_000, 5_000) == 5_000
    assert capacity.connection_cap(320, 10_000) == capacity.connection_cap(320)  # MAX_CONNECTIONS cannot exceed it
    assert capacity.connection_cap(100) >= 1
