"""One commit site: an operation's change and its audit entry are committed together, once, by
``operations`` (services/unit.py), so neither can be kept without the other. On SQLite and
PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from workshop.extensions import db
from workshop.models import AuditEntry, Item, Workshop
from workshop.operations import perform
from workshop.services import audit
from workshop.services import workshops as ws
from workshop.services import founding

from tests.integration.test_setup_moderation import join, submit


def _commits():
    """Count the commits the session makes."""
    seen = []

    def count(session):
        seen.append(1)
    event.listen(db.session, "after_commit", count)
    return seen, lambda: event.remove(db.session, "after_commit", count)


def test_a_change_and_its_audit_entry_are_one_commit(app):
    created = founding.create_workshop("Fråga?", "sv", "think-tank", None, None)
    fac = ws.Identity("facilitator", created.workshop.id)
    submit(join(created.workshop.code, created.workshop.id, "buyer"), text="Ingen äger behovet")
    seen, stop = _commits()
    try:
        perform("phase.set", fac, {"phase": "aggregate"})
        perform("theme.create", fac, {"name": "Ägarskap"})
    finally:
        stop()
    assert len(seen) == 2  # one per operation, the audit entry inside it
    actions = list(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.workshop_id == created.workshop.id).order_by(AuditEntry.id)))
    assert actions[-2:] == ["phase.set", "theme.create"]


def test_when_the_audit_entry_cannot_be_written_the_change_is_not_kept(app, monkeypatch):
    created = founding.create_workshop("Fråga?", "sv", "think-tank", None, None)
    wid = created.workshop.id
    fac = ws.Identity("facilitator", wid)
    submit(join(created.workshop.code, wid, "buyer"), text="Ingen äger behovet")
    before = db.session.execute(select(Workshop.phase, Workshop.version).where(Workshop.id == wid)).one()

    def crash(*args, **kwargs):
        raise RuntimeError("the audit trail is unreachable")
    monkeypatch.setattr(audit, "record", crash)
    with pytest.raises(RuntimeError):
        perform("phase.set", fac, {"phase": "aggregate"})
    db.session.expire_all()
    kept = db.session.get(Workshop, wid)
    assert (kept.phase, kept.version) == tuple(before) and kept.phase != "aggregate"


def test_a_batch_s_items_and_the_facilitator_s_audit_entries_commit_together(app, monkeypatch):
    created = founding.create_workshop("Fråga?", "sv", "think-tank", None, None)
    wid, code = created.workshop.id, created.workshop.code
    fac = ws.Identity("facilitator", wid)
    alice = join(code, wid, "buyer")
    submit(alice, text="Ingen äger behovet")
    perform("item.add", fac, {"client_id": "paper-note-0001", "lane": "challenge", "text": "Från en lapp"})
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.workshop_id == wid, AuditEntry.action == "item.add")) == 1

    def crash(*args, **kwargs):
        raise RuntimeError("the audit trail is unreachable")
    monkeypatch.setattr(audit, "record", crash)
    with pytest.raises(RuntimeError):
        perform("item.add", fac, {"client_id": "paper-note-0002", "lane": "challenge", "text": "En lapp till"})
    db.session.expire_all()
    texts = set(db.session.scalars(select(Item.text).where(Item.workshop_id == wid)))
    assert texts == {"Ingen äger behovet", "Från en lapp"}


def test_outside_operations_a_change_is_not_kept_without_its_audit_entry(app, monkeypatch):
    """The organiser's pages and the retention purge change things without ``perform``: their
    services are units of work too (rotating links, keeping data longer, anonymising, deleting)."""
    from workshop.services import accounts, privacy
    created = founding.create_workshop("Fråga?", "sv", "think-tank", None, None)
    wid = created.workshop.id
    fac = ws.Identity("facilitator", wid)
    before = db.session.execute(select(Workshop.facilitator_token_hash, Workshop.projector_token_hash)
                                .where(Workshop.id == wid)).one()

    def crash(*args, **kwargs):
        raise RuntimeError("the audit trail is unreachable")
    monkeypatch.setattr(audit, "record", crash)
    for change in (lambda: privacy.rotate_links(fac, wid), lambda: privacy.revoke_projector(fac, wid),
                   lambda: privacy.set_retention(fac, wid, 30), lambda: privacy.anonymise(wid),
                   lambda: privacy.delete_workshop(fac, wid)):
        with pytest.raises(RuntimeError):
            change()
    db.session.expire_all()
    kept = db.session.get(Workshop, wid)
    assert kept is not None  # not deleted
    assert (kept.facilitator_token_hash, kept.projector_token_hash) == tuple(before)  # links as they were
    assert privacy.retention_days(wid) != 30
    steward = accounts.stewardship(wid, create=False)
    assert steward is None or steward.anonymised_at is None
