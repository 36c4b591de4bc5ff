"""When the server runs full garbage collections: when the room is quiet, or when overdue."""
from __future__ import annotations

from workshop.collector import IdleCollector


class Room:
    """A clock, the last socket event and the collections run, without sleeping."""

    def __init__(self):
        self.now = 1000.0
        self.last_event = 1000.0
        self.collections = 0
        self.pending = True

    def collector(self, idle_s=1.0, longest_s=300.0) -> IdleCollector:
        def collect():
            self.collections += 1
            self.pending = False
        return IdleCollector(lambda: self.last_event, clock=lambda: self.now, collect=collect,
                             idle_s=idle_s, longest_s=longest_s, pending=lambda: self.pending)

    def events_for(self, seconds: float, collector: IdleCollector, step=0.5) -> list:
        reasons = []
        for _ in range(int(seconds / step)):
            self.now += step
            self.last_event = self.now
            self.pending = True  # a busy room promotes objects to the oldest generation
            reasons.append(collector.tick())
        return [r for r in reasons if r]


def test_a_busy_room_is_never_paused_until_a_collection_is_overdue():
    room = Room()
    collector = room.collector(longest_s=300)
    assert room.events_for(299, collector) == []
    assert room.collections == 0
    assert room.events_for(2, collector) == ["overdue"]
    assert room.collections == 1


def test_a_quiet_moment_collects_once_and_not_again_while_nothing_is_pending():
    room = Room()
    collector = room.collector(idle_s=1.0)
    room.events_for(5, collector)
    room.now += 0.5
    assert collector.tick() is None  # half a second of quiet is still part of the burst
    room.now += 0.6
    assert collector.tick() == "idle"
    room.now += 5
    assert collector.tick() is None  # still quiet, and nothing new reached the oldest generation
    assert room.collections == 1


def test_the_overdue_clock_restarts_with_every_full_collection():
    room = Room()
    collector = room.collector(idle_s=1.0, longest_s=10)
    room.events_for(3, collector)
    room.now += 1.5
    assert collector.tick() == "idle"
    assert room.events_for(9.5, collector) == []  # 10 s after the idle collection, not after start
    assert room.events_for(1, collector) == ["overdue"]
