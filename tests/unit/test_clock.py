"""The application's clock (workshop/clock.py): one place reads the time, and tests replace it
instead of sleeping."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from workshop import clock
from workshop.models import utcnow

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_the_models_read_the_time_from_the_clock_in_use():
    fake = clock.FakeClock(datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc))
    with clock.use(fake):
        assert utcnow() == clock.now() == datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)
        fake.advance(11)
        assert utcnow() == datetime(2026, 5, 1, 12, 0, 11, tzinfo=timezone.utc)
    # Afterwards the system clock again: aware UTC, and now.
    moment = utcnow()
    assert moment.tzinfo is not None and abs(moment - datetime.now(timezone.utc)) < timedelta(seconds=5)


def test_a_fake_clock_stands_still_until_told_and_set_takes_a_naive_moment_as_utc():
    fake = clock.FakeClock()
    assert fake.now() == fake.now()
    fake.set(datetime(2026, 1, 1, 8, 0))
    assert fake.now() == datetime(2026, 1, 1, 8, 0, tzinfo=timezone.utc)
    assert fake.advance(timedelta(days=2).total_seconds()) == datetime(2026, 1, 3, 8, 0, tzinfo=timezone.utc)


def test_use_restores_the_previous_clock_even_when_the_block_fails():
    before = clock.current()
    with pytest.raises(RuntimeError), clock.use(clock.FakeClock()):
        raise RuntimeError("a failing test")
    assert clock.current() is before


def test_the_offset_file_moves_the_clock_and_is_reread_at_most_every_50_ms(tmp_path, monkeypatch):
    base = clock.FakeClock()
    path = tmp_path / "clock"
    offset_clock = clock.OffsetFileClock(str(path), base)
    assert offset_clock.now() == base.now()  # no file yet: no offset
    ticks = iter([10.0, 10.01, 10.06, 10.2])
    monkeypatch.setattr(clock.time, "monotonic", lambda: next(ticks))
    offset_clock._read_at = None
    path.write_text("3600")
    assert offset_clock.now() == base.now() + timedelta(hours=1)  # read at 10.0
    path.write_text("7200")
    assert offset_clock.now() == base.now() + timedelta(hours=1)  # 10 ms later: not read again
    assert offset_clock.now() == base.now() + timedelta(hours=2)  # 60 ms later: read
    path.write_text("not a number")
    assert offset_clock.now() == base.now() + timedelta(hours=2)  # a half-written file keeps the last


def test_the_offset_file_is_for_development_and_testing_only():
    assert isinstance(clock.from_environment({}), clock.SystemClock)
    for env in ("development", "testing"):
        assert isinstance(clock.from_environment({"CLOCK_OFFSET_FILE": "/tmp/c", "WORKSHOP_ENV": env}),
                          clock.OffsetFileClock)
    assert isinstance(clock.from_environment({"CLOCK_OFFSET_FILE": "/tmp/c"}), clock.SystemClock)
    with pytest.raises(RuntimeError, match="production"):
        clock.from_environment({"CLOCK_OFFSET_FILE": "/tmp/c", "WORKSHOP_ENV": "production"})


def test_a_production_process_with_an_offset_file_refuses_to_start(tmp_path):
    env = {**os.environ, "WORKSHOP_ENV": "production", "CLOCK_OFFSET_FILE": str(tmp_path / "clock")}
    result = subprocess.run([sys.executable, "-c", "import workshop.models"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "Refusing to start in production with CLOCK_OFFSET_FILE" in result.stderr
