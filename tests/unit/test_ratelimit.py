"""The token bucket: a burst up to its capacity passes, a stream beyond its rate does not, and
waiting gives tokens back at the rate and never beyond the capacity."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from workshop.domain.ratelimit import Bucket, take
from workshop.realtime.ratelimit import MemoryBuckets


def test_a_new_bucket_lets_a_whole_burst_through_then_refuses_with_a_wait():
    bucket = Bucket(capacity=5, rate=1.0)
    tokens = None
    for _ in range(5):
        decision = take(bucket, tokens, 0)
        assert decision.allowed
        tokens = decision.tokens
    refused = take(bucket, tokens, 0)
    assert not refused.allowed and refused.retry_after == 1.0
    assert take(bucket, refused.tokens, 1.0).allowed


@given(capacity=st.integers(1, 50), rate=st.floats(0.1, 20),
       gaps=st.lists(st.floats(0, 5), min_size=1, max_size=200))
def test_events_allowed_never_exceed_the_capacity_plus_what_the_rate_refilled(capacity, rate, gaps):
    bucket = Bucket(capacity, rate)
    tokens, allowed = None, 0
    for gap in gaps:
        decision = take(bucket, tokens, gap)
        allowed += decision.allowed
        tokens = decision.tokens
        assert 0 <= tokens <= capacity
    assert allowed <= capacity + rate * sum(gaps[1:]) + 1e-6


def test_buckets_are_kept_per_key_with_a_clock():
    now = [0.0]
    buckets = MemoryBuckets(clock=lambda: now[0])
    bucket = Bucket(2, 1.0)
    assert [buckets.take("a", bucket).allowed for _ in range(3)] == [True, True, False]
    assert buckets.take("b", bucket).allowed  # someone else's bucket is full
    now[0] = 1.0
    assert buckets.take("a", bucket).allowed
