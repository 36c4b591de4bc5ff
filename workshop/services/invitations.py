"""E-mail invitations: the addresses an organiser invites, the sends they ask for, and how each
went.

Addresses are personal data, kept only while they serve (docs/privacy.md): the organiser removes
one, the person removes their own with the link in every mail, the guide-ready notice (the last
mail there is) deletes each address it reached, the retention period's purge deletes the rest, and
deleting the workshop deletes them all. They are shown on the organiser's page only, never to
participants or on the projector, and never written to the audit trail or the logs.

A send is asked for in a request (``request_mailing``: checked, recorded, committed) and done
after it (``deliver``), off the request path (``jobs.deliver_mailing``); a failure is recorded on the
send and on each address, for the organiser's page, and never raised into a request.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import smtplib
import socket
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from .. import mailer
from ..domain.errors import N_, DomainError, NotFound
from ..extensions import db
from ..models import GuideReview, Workshop, utcnow
from ..models_invitations import MailRecipient, Mailing
from . import audit, unit
from .schedule import schedule_of
from .workshops import Identity

log = logging.getLogger(__name__)
KINDS = ("prework", "validation", "guide")
MAX_RECIPIENTS = 1000
# Deliberately plain: one @, something on each side, a dot in the domain, no spaces or brackets.
ADDRESS = re.compile(r"^[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^@\s<>(),;:\"]+$")
MAIL_OFF = N_("E-mail is off on this server: no SMTP server is configured.")


def _require_mail() -> None:
    if not mailer.enabled():
        raise DomainError("mail_off", MAIL_OFF)


def parse_addresses(text: str) -> list[str]:
    """Addresses separated by commas, semicolons, spaces or lines; ``Name <address>`` is taken
    as the address. Every one must be valid, or nothing is added."""
    found = []
    for part in re.split(r"[,;\n]+", text):
        part = part.strip()
        if not part:
            continue
        bracketed = re.search(r"<([^<>]+)>\s*$", part)
        candidate = (bracketed.group(1) if bracketed else part).strip().lower()
        if len(candidate) > 254 or not ADDRESS.match(candidate):
            raise DomainError("address_invalid", N_("“%(address)s” is not an e-mail address. Nothing was added."),
                              address=part[:80])
        if candidate not in found:
            found.append(candidate)
    if not found:
        raise DomainError("address_missing", N_("Enter at least one e-mail address."))
    return found


def recipients(workshop_id: int) -> list[MailRecipient]:
    return list(db.session.scalars(select(MailRecipient).where(MailRecipient.workshop_id == workshop_id)
                                   .order_by(MailRecipient.id)))


@unit.atomic
def add_recipients(identity, workshop_id: int, text: str) -> int:
    """Add the addresses not already on the list; returns how many were new."""
    _require_mail()
    addresses = parse_addresses(text)
    known = {row.email for row in recipients(workshop_id)}
    new = [a for a in addresses if a not in known]
    if len(known) + len(new) > MAX_RECIPIENTS:
        raise DomainError("too_many_recipients", N_("A workshop can invite at most %(max)s addresses."),
                          max=MAX_RECIPIENTS)
    for address in new:
        db.session.add(MailRecipient(workshop_id=workshop_id, email=address, secret=secrets.token_hex(16)))
    unit.done()
    if new:
        audit.record(identity, workshop_id, "recipients.added", {"items": len(new)})
    return len(new)


@unit.atomic
def remove_recipient(identity, workshop_id: int, recipient_id: int) -> None:
    row = db.session.get(MailRecipient, recipient_id)
    if row is None or row.workshop_id != workshop_id:
        raise NotFound("recipient_not_found", N_("This address is no longer on the list."))
    db.session.delete(row)
    unit.done()
    audit.record(identity, workshop_id, "recipients.removed", {"items": 1})


# --- The person's own link to remove their address ---------------------------------------------

def forget_token(row: MailRecipient) -> str:
    """``<id>.<mac>``: only the SECRET_KEY and the row's own secret make it, so the database alone
    makes no working link and one address's link removes no other."""
    return f"{row.id}.{_mac(row)}"


def _mac(row: MailRecipient) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"forget:{row.id}:{row.secret}".encode(), hashlib.sha256).hexdigest()[:32]


def recipient_for_token(token: str) -> MailRecipient:
    head, _, mac = (token or "").partition(".")
    row = db.session.get(MailRecipient, int(head)) if head.isdigit() and len(head) < 10 else None
    if row is None or not hmac.compare_digest(_mac(row), mac):
        raise NotFound("forget_link_unknown", N_("This address is not on any invitation list here any more."))
    return row


def question_of(workshop_id: int) -> str:
    return db.session.scalar(select(Workshop.question).where(Workshop.id == workshop_id))


@unit.atomic
def forget(token: str) -> str:
    """The person removes their own address; returns the workshop's question for the page."""
    row = recipient_for_token(token)
    workshop_id = row.workshop_id
    question = question_of(workshop_id)
    db.session.delete(row)
    unit.done()
    audit.record(Identity("recipient", workshop_id), workshop_id, "recipients.withdrew", {"items": 1})
    return question


# --- Asking for a send, and doing it -----------------------------------------------------------

def _sent_column(kind: str):
    return {"prework": MailRecipient.prework_sent_at, "validation": MailRecipient.validation_sent_at,
            "guide": MailRecipient.guide_sent_at}[kind]


def _pending(workshop_id: int, kind: str) -> list[MailRecipient]:
    return list(db.session.scalars(select(MailRecipient).where(
        MailRecipient.workshop_id == workshop_id, _sent_column(kind).is_(None)).order_by(MailRecipient.id)))


@unit.atomic
def request_mailing(identity, workshop_id: int, kind: str) -> Mailing:
    """Record a send of ``kind`` to every address that has not had it yet (so asking again after
    a failure retries only the failures). Refused, with the reason, when it cannot make sense."""
    _require_mail()
    workshop = db.session.get(Workshop, workshop_id)
    if schedule_of(workshop_id).day is None:
        raise DomainError("schedule_missing", N_("Set the day of the workshop first: every invitation carries it as a calendar entry."))
    if kind == "validation":
        review = db.session.get(GuideReview, workshop_id)
        if review is None or not review.is_open:
            raise DomainError("review_not_open", N_("Open the validation round on the console first."))
    if kind == "guide" and workshop.phase != "closed":
        raise DomainError("guide_not_ready", N_("The guide is ready once the workshop is closed."))
    if _unfinished(workshop_id):
        raise DomainError("mailing_running", N_("A send is still running. Wait for it to finish."))
    pending = _pending(workshop_id, kind)
    if not pending:
        if not recipients(workshop_id):
            raise DomainError("no_recipients", N_("Add e-mail addresses first."))
        raise DomainError("all_sent", N_("Everyone on the list has already received this mail."))
    mailing = Mailing(workshop_id=workshop_id, kind=kind, recipients=len(pending), sent=0, failed=0)
    db.session.add(mailing)
    unit.done()
    audit.record(identity, workshop_id, "mail.requested", {"kind": kind, "items": len(pending)})
    return mailing


def _unfinished(workshop_id: int) -> bool:
    """A send asked for in the last ten minutes and not finished (one older than that was cut off
    by a restart; asking again sends what it did not)."""
    since = utcnow() - timedelta(minutes=10)
    return bool(db.session.scalar(select(func.count()).select_from(Mailing).where(
        Mailing.workshop_id == workshop_id, Mailing.finished_at.is_(None), Mailing.requested_at > since)))


def deliver(mailing_id: int, links: dict) -> None:
    """Send one mailing and record how it went (the caller holds an app context). ``links``: the
    join link and the forget link with ``{token}`` in it, made in the request that asked (a worker
    has no request to make them from)."""
    mailing = db.session.get(Mailing, mailing_id)
    workshop = db.session.get(Workshop, mailing.workshop_id)
    schedule = schedule_of(workshop.id)
    pending = _pending(workshop.id, mailing.kind)[: mailing.recipients]
    sent = failed = 0
    try:
        with mailer.connection() as connection:
            for row in pending:
                message = mailer.compose(workshop, mailing.kind, row.email,
                                         {"join_url": links["join_url"],
                                          "forget_url": links["forget_url"].replace("{token}", forget_token(row))},
                                         schedule)
                try:
                    connection.send_messages([message])
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
                    row.last_error = _reason(exc)
                    failed += 1
                else:
                    _mark_sent(row, mailing.kind)
                    sent += 1
                db.session.commit()
    except (OSError, smtplib.SMTPException) as exc:  # no connection, refused sign-in, lost midway
        mailing.error = _reason(exc)
        failed = mailing.recipients - sent
        for row in pending:
            if row in db.session and _sent_at(row, mailing.kind) is None:
                row.last_error = mailing.error
    if mailing.kind == "guide":  # the last mail there is: the addresses it reached have served
        db.session.flush()
        db.session.execute(delete(MailRecipient).where(MailRecipient.workshop_id == workshop.id,
                                                       MailRecipient.guide_sent_at.is_not(None)))
    mailing.sent, mailing.failed, mailing.finished_at = sent, failed, utcnow()
    db.session.commit()  # finished, and for the notice the addresses gone, at once
    log.info("mailing %s (%s): %s sent, %s failed", mailing.id, mailing.kind, sent, failed)


def _sent_at(row: MailRecipient, kind: str):
    return getattr(row, f"{kind}_sent_at")


def _mark_sent(row: MailRecipient, kind: str) -> None:
    setattr(row, f"{kind}_sent_at", utcnow())
    row.last_error = None


def _reason(exc: Exception) -> str:
    """What the organiser is told: the SMTP server's own answer when there is one."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        return f"{code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}"[:300]
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}"[:300]
    if isinstance(exc, socket.timeout):
        return "timed out"
    return (str(exc) or exc.__class__.__name__)[:300]


def record_failure(mailing_id: int, exc: Exception) -> None:
    """A send that stopped on an unexpected error is finished with its reason, for the organiser's
    page: never lost silently."""
    db.session.rollback()
    mailing = db.session.get(Mailing, mailing_id)
    if mailing is not None and mailing.finished_at is None:
        mailing.error, mailing.finished_at = _reason(exc), utcnow()
        mailing.failed = mailing.recipients - (mailing.sent or 0)
        db.session.commit()


def mailings(workshop_id: int, limit: int = 20) -> list[Mailing]:
    return list(db.session.scalars(select(Mailing).where(Mailing.workshop_id == workshop_id)
                                   .order_by(Mailing.id.desc()).limit(limit)))


def forget_workshop(workshop_id: int) -> int:
    """Every address of a workshop goes (its retention period is over); in the caller's
    transaction. Returns how many."""
    result = db.session.execute(delete(MailRecipient).where(MailRecipient.workshop_id == workshop_id))
    return result.rowcount or 0
