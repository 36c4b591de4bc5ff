"""E-mail invitations over a real SMTP server: what arrives, to whom, in which language, with a
calendar file that parses back to the workshop; failures reported to the organiser, never a 500;
the request never waits for the mail server."""
from __future__ import annotations

import re
import threading
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from tests.mail.conftest import finished_mailing
from tests.mail.smtp import calendar_of
from workshop.domain.schedule import Schedule
from workshop.extensions import db
from workshop.models import AuditEntry, Workshop
from workshop.models_invitations import MailRecipient, Mailing
from workshop.operations import perform
from workshop.services import schedule as schedule_service
from workshop.services.workshops import Identity

DAY = {"day": "2026-12-15", "start": "09:00", "end": "12:00", "place": "Stadshuset, rum 3",
       "prework_opens": "2026-12-01", "prework_closes": "2026-12-14"}


def _swedish(world):
    """The world's workshop in Swedish, so the mails' language is not the test's default."""
    db.session.get(Workshop, world.workshop_id).language = "sv"
    db.session.commit()


def _post(client, world, path, **data):
    return client.post(f"/organiser/workshops/{world.code}{path}", data=data)


def _invite(client, world, addresses, kind="prework"):
    assert _post(client, world, "/schedule", **DAY).status_code == 303
    assert _post(client, world, "/recipients", addresses=addresses).status_code == 303
    response = _post(client, world, "/mailings", kind=kind)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return finished_mailing(world.workshop_id)


def test_each_address_gets_its_own_swedish_invitation_with_the_workshop_in_a_calendar_file(
        organiser, world, inbox):
    _swedish(world)
    mailing = _invite(organiser, world, "kim@example.org,\n Alex Andersson <ALEX@example.org>")
    assert (mailing.recipients, mailing.sent, mailing.failed, mailing.error) == (2, 2, 0, None)
    inbox.wait_for(2)
    for address in ("kim@example.org", "alex@example.org"):
        [message] = inbox.to(address)
        assert message["To"] == address and message["Cc"] is None  # nobody sees another address
        assert message["Subject"] == "Inbjudan: How do we buy better?"
        assert message["Content-Language"] == "sv"
        assert re.fullmatch(r"<http://workshop\.test/mail/forget/\d+\.[0-9a-f]{32}>", message["List-Unsubscribe"].strip())
        body = message.get_body(("plain",)).get_content()
        assert "tisdag 15 december 2026, 09:00–12:00" in body
        assert "Stadshuset, rum 3" in body
        assert "1 december 2026" in body and "14 december 2026" in body
        assert f"http://workshop.test/join/{world.code}" in body
        assert "other" not in body and ("alex" in address or "alex@" not in body)
        calendar, part = calendar_of(message)
        assert part.get_filename() == "workshop.ics"
        [event] = calendar.walk("VEVENT")
        stockholm = ZoneInfo("Europe/Stockholm")
        assert event.decoded("dtstart") == datetime(2026, 12, 15, 9, 0, tzinfo=stockholm)
        assert event.decoded("dtend") == datetime(2026, 12, 15, 12, 0, tzinfo=stockholm)
        assert str(event["summary"]) == "How do we buy better?"
        assert str(event["location"]) == "Stadshuset, rum 3"
        assert str(event["uid"]) == f"workshop-{world.code}@workshop.test"
        assert calendar.walk("VTIMEZONE"), "the time zone travels with the times"
    rows = db.session.scalars(select(MailRecipient).where(MailRecipient.workshop_id == world.workshop_id))
    assert all(row.prework_sent_at is not None for row in rows)


def test_an_english_workshop_without_a_time_is_an_all_day_event_in_an_english_mail(organiser, world, inbox):
    assert _post(organiser, world, "/schedule", day="2026-12-15",
                 meeting_url="https://meet.example.org/abc").status_code == 303
    assert _post(organiser, world, "/recipients", addresses="kim@example.org").status_code == 303
    assert _post(organiser, world, "/mailings", kind="prework").status_code == 303
    assert finished_mailing(world.workshop_id).sent == 1
    [(_, message)] = inbox.wait_for(1)
    assert message["Subject"] == "Invitation: How do we buy better?"
    body = message.get_body(("plain",)).get_content()
    assert "Tuesday, December 15, 2026" in body and "https://meet.example.org/abc" in body
    [event] = calendar_of(message)[0].walk("VEVENT")
    assert event.decoded("dtstart") == date(2026, 12, 15) and event.decoded("dtend") == date(2026, 12, 16)
    assert str(event["url"]) == "https://meet.example.org/abc"


def test_a_refused_address_is_reported_on_the_page_and_sending_again_retries_only_it(organiser, world, inbox):
    inbox.refuse.add("nobody@example.org")
    mailing = _invite(organiser, world, "kim@example.org, nobody@example.org")
    assert (mailing.sent, mailing.failed) == (1, 1)
    page = organiser.get(f"/organiser/workshops/{world.code}").get_data(as_text=True)
    assert "Not sent: 550 5.1.1 No such mailbox here" in page
    assert "1 sent, 1 failed" in page
    inbox.refuse.clear()
    assert _post(organiser, world, "/mailings", kind="prework").status_code == 303
    again = finished_mailing(world.workshop_id)
    assert (again.recipients, again.sent, again.failed) == (1, 1, 0)
    assert [rcpt for rcpt, _ in inbox.wait_for(2)] == [["kim@example.org"], ["nobody@example.org"]]
    refused = _post(organiser, world, "/mailings", kind="prework")
    assert refused.status_code == 400 and "already received" in refused.get_data(as_text=True)


def test_an_unreachable_mail_server_is_reported_to_the_organiser_never_a_500(tmp_path, database_url):
    from tests.live import free_port
    from tests.security.conftest import make_app, make_people, make_world, sign_in_as
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=database_url, MAIL_SERVER="127.0.0.1",
                   MAIL_PORT=free_port(), MAIL_USE_TLS=False, MAIL_TIMEOUT=2)  # nothing listens there
    with app.app_context():
        db.create_all()
        try:
            people = make_people()
            world = make_world(people)
            client = app.test_client()
            sign_in_as(client, people.organiser)
            mailing = _invite(client, world, "kim@example.org")
            assert (mailing.sent, mailing.failed) == (0, 1) and mailing.error
            page = client.get(f"/organiser/workshops/{world.code}")
            assert page.status_code == 200 and "Not sent:" in page.get_data(as_text=True)
            assert db.session.scalar(select(MailRecipient.prework_sent_at)) is None  # it can be sent again
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def test_the_request_answers_while_the_mail_server_is_still_busy(organiser, world, inbox):
    inbox.hold = threading.Event()  # the server takes every message but answers DATA only when set
    assert _post(organiser, world, "/schedule", **DAY).status_code == 303
    assert _post(organiser, world, "/recipients", addresses="kim@example.org").status_code == 303
    response = _post(organiser, world, "/mailings", kind="prework")
    assert response.status_code == 303  # answered with the mail still in the SMTP conversation
    page = organiser.get(f"/organiser/workshops/{world.code}").get_data(as_text=True)
    assert "sending to 1" in page
    assert inbox.messages == []
    inbox.hold.set()
    assert finished_mailing(world.workshop_id).sent == 1
    assert len(inbox.wait_for(1)) == 1


def test_validation_and_guide_mails_only_when_there_is_something_to_read(organiser, world, inbox):
    _invite(organiser, world, "kim@example.org")
    for kind, reason in (("validation", "Open the validation round"), ("guide", "once the workshop is closed")):
        refused = _post(organiser, world, "/mailings", kind=kind)
        assert refused.status_code == 400 and reason in refused.get_data(as_text=True)
    facilitator = Identity("facilitator", world.workshop_id)
    perform("review.open", facilitator, {})
    assert _post(organiser, world, "/mailings", kind="validation").status_code == 303
    assert finished_mailing(world.workshop_id).kind == "validation"
    perform("review.finalise", facilitator, {})
    assert db.session.get(Workshop, world.workshop_id).phase == "closed"
    assert _post(organiser, world, "/mailings", kind="guide").status_code == 303
    assert finished_mailing(world.workshop_id).sent == 1
    subjects = [message["Subject"] for _, message in inbox.wait_for(3)]
    assert subjects == ["Invitation: How do we buy better?", "Please review the draft guide: How do we buy better?",
                        "The guide is ready: How do we buy better?"]
    # The guide-ready notice is the last mail there is: the address it reached is deleted.
    assert db.session.scalar(select(func.count()).select_from(MailRecipient)) == 0
    assert "deleted" in inbox.messages[-1][1].get_body(("plain",)).get_content()


def test_an_unknown_kind_or_no_day_is_refused_with_the_reason_and_changes_nothing(organiser, world):
    assert _post(organiser, world, "/recipients", addresses="kim@example.org").status_code == 303
    no_day = _post(organiser, world, "/mailings", kind="prework")
    assert no_day.status_code == 400 and "Set the day of the workshop first" in no_day.get_data(as_text=True)
    unknown = _post(organiser, world, "/mailings", kind="spam")
    assert unknown.status_code == 400 and "Choose which mail to send" in unknown.get_data(as_text=True)
    bad = _post(organiser, world, "/recipients", addresses="kim@example.org, not an address")
    assert bad.status_code == 400 and "is not an e-mail address" in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(MailRecipient)) == 1
    assert db.session.scalar(select(func.count()).select_from(Mailing)) == 0


def test_the_audit_trail_counts_addresses_and_never_names_them(organiser, world, inbox):
    _invite(organiser, world, "kim@example.org, alex@example.org")
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.workshop_id == world.workshop_id)).all()
    actions = {entry.action: entry.detail for entry in entries}
    assert actions["recipients.added"] == {"items": 2}
    assert actions["mail.requested"] == {"kind": "prework", "items": 2}
    assert all("example.org" not in str(entry.detail) for entry in entries if entry.action != "co_facilitator.invited")


def test_schedule_is_read_back_as_set(mail_app, world):
    saved = schedule_service.schedule_of(world.workshop_id)
    assert saved == Schedule(timezone="Europe/Stockholm")
    wanted = Schedule(day=date(2026, 12, 15), start=time(9), end=time(12), place="Rum 3")
    schedule_service.set_schedule(Identity("facilitator", world.workshop_id), world.workshop_id, wanted)
    assert schedule_service.schedule_of(world.workshop_id) == wanted


def test_forget_links_differ_per_address(organiser, world, inbox):
    _invite(organiser, world, "kim@example.org, alex@example.org")
    links = {rcpt[0]: re.search(r"http://workshop\.test(/mail/forget/\S+)", message.get_body(("plain",)).get_content())
             .group(1) for rcpt, message in inbox.wait_for(2)}
    assert links["kim@example.org"] != links["alex@example.org"]
