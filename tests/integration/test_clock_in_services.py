"""Timers, retention and the audit trail's age on the application's clock (workshop/clock.py):
each is tested by moving a fake clock, never by sleeping, on SQLite and PostgreSQL."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from workshop import clock
from workshop.extensions import db
from workshop.models import AuditEntry, Participant
from workshop.operations import perform
from workshop.services import audit, privacy
from workshop.services.workshops import Identity
from tests.integration.test_services import join, new_workshop, refused

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def fake_clock():
    with clock.use(clock.FakeClock(START)) as fake:
        yield fake


def late_item():
    return {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "Sent at the last second"}


def test_a_locked_timer_takes_input_until_its_last_second_and_refuses_it_after(app, fake_clock):
    made, fac = new_workshop()
    alice, _ = join(made, "buyer")
    started = perform("timer.start", fac, {"seconds": 60, "lock": True}).reply
    assert started["now"] == START.isoformat()
    assert datetime.fromisoformat(started["timer"]["ends_at"]) == START + timedelta(seconds=60)
    fake_clock.advance(59)
    perform("item.submit", alice, late_item())  # one second left: taken
    fake_clock.advance(1)
    assert "Time is up" in refused("time_up", "item.submit", alice, late_item()).message
    # More time is counted from now once time is up, and input opens again.
    fake_clock.advance(600)
    extended = perform("timer.extend", fac, {"seconds": 30}).reply["timer"]
    assert datetime.fromisoformat(extended["ends_at"]) == START + timedelta(seconds=690)
    perform("item.submit", alice, late_item())


def test_a_workshop_is_anonymised_when_its_retention_period_is_over_and_not_a_second_before(app, fake_clock):
    made, _ = new_workshop()
    alice, _ = join(made, "buyer", name="Alice")
    days = app.config["PRIVACY_RETENTION_DAYS"]
    fake_clock.advance(timedelta(days=days).total_seconds() - 1)
    assert privacy.purge() == []
    assert db.session.get(Participant, alice.participant_id).name == "Alice"
    fake_clock.advance(1)
    assert privacy.purge() == [made.code]
    db.session.expire_all()
    assert db.session.get(Participant, alice.participant_id).name is None


def test_the_audit_trail_forgets_entries_older_than_its_own_retention(app, fake_clock):
    made, _ = new_workshop()
    db.session.execute(AuditEntry.__table__.delete())  # the set-up's own entries
    audit.record(Identity("facilitator", made.id), made.id, "workshop.closed")
    fake_clock.advance(timedelta(days=10).total_seconds())
    audit.record(Identity("facilitator", made.id), made.id, "links.rotated")
    assert audit.forget_older_than(10) == 0  # ten days old exactly: kept
    fake_clock.advance(timedelta(days=365).total_seconds())
    assert audit.forget_older_than(365) == 1  # the first is 375 days old, the second 365 exactly
    assert db.session.scalars(select(AuditEntry.action)).all() == ["links.rotated"]
