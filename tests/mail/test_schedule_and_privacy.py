"""The schedule (set by the organiser, said on the join page in the workshop's language) and the
invited addresses as personal data: shown to the organiser only, removed by the person's own link,
by the retention purge and with the workshop; mail off when no SMTP server is configured."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from tests.mail.conftest import finished_mailing
from tests.security.conftest import make_app, make_people, make_world, sign_in_as
from workshop import clock
from workshop.extensions import db
from workshop.models import Workshop
from workshop.models_invitations import MailRecipient, Mailing, WorkshopSchedule
from workshop.services import privacy

DAY = {"day": "2026-12-15", "start": "09:00", "end": "12:00", "place": "Stadshuset, rum 3",
       "prework_opens": "2026-12-01", "prework_closes": "2026-12-14"}


def _post(client, code, path, **data):
    return client.post(f"/organiser/workshops/{code}{path}", data=data)


def _addresses() -> int:
    return db.session.scalar(select(func.count()).select_from(MailRecipient))


def test_the_join_page_says_when_in_the_workshops_language_whatever_the_browsers(organiser, world):
    db.session.get(Workshop, world.workshop_id).language = "sv"
    db.session.commit()
    assert _post(organiser, world.code, "/schedule", **DAY, meeting_url="https://meet.example.org/x").status_code == 303
    phone = organiser.application.test_client()
    with clock.use(clock.FakeClock(datetime(2026, 12, 3, 10, tzinfo=timezone.utc))):
        page = phone.get(f"/join/{world.code}", headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert 'lang="sv">tisdag 15 december 2026, 09:00–12:00</span>' in page
        assert "Stadshuset, rum 3" in page and 'href="https://meet.example.org/x"' in page
        assert "Pre-work is open until 14 december 2026." in page
        swedish = phone.get(f"/join/{world.code}", headers={"Accept-Language": "sv"}).get_data(as_text=True)
        assert "Förarbetet är öppet till och med 14 december 2026." in swedish
    with clock.use(clock.FakeClock(datetime(2026, 11, 20, tzinfo=timezone.utc))):
        assert "Pre-work opens on 1 december 2026." in phone.get(f"/join/{world.code}").get_data(as_text=True)
    with clock.use(clock.FakeClock(datetime(2026, 12, 14, 23, 30, tzinfo=timezone.utc))):  # 00:30 in Stockholm
        assert "Pre-work closed on 14 december 2026." in phone.get(f"/join/{world.code}").get_data(as_text=True)


def test_an_english_workshop_reads_its_dates_in_english_and_a_workshop_without_a_schedule_says_nothing(
        organiser, world):
    phone = organiser.application.test_client()
    assert 'id="when"' not in phone.get(f"/join/{world.code}").get_data(as_text=True)
    assert _post(organiser, world.code, "/schedule", day="2026-12-15", start="09:00").status_code == 303
    page = phone.get(f"/join/{world.code}", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert 'lang="en">Tuesday, December 15, 2026, 9:00\u202fAM</span>' in page


def test_a_wrong_schedule_is_refused_in_the_users_language_and_changes_nothing(organiser, world):
    assert _post(organiser, world.code, "/schedule", **DAY).status_code == 303
    cases = [({**DAY, "end": "08:00"}, "Workshoppen måste sluta efter att den börjar."),
             ({**DAY, "day": "15/12/2026"}, "Skriv datumet som ÅÅÅÅ-MM-DD."),
             ({**DAY, "start": "9"}, "Skriv tiden som TT:MM."),
             ({**DAY, "prework_closes": "2026-12-20"}, "Förarbetet måste stänga senast samma dag som workshoppen."),
             ({**DAY, "prework_opens": "2026-12-10", "prework_closes": "2026-12-05"},
              "Förarbetet kan inte stänga innan det öppnar."),
             ({**DAY, "meeting_url": "javascript:alert(1)"}, "Skriv möteslänken som en hel adress"),
             ({**DAY, "day": "", "start": "09:00"}, "Välj dag för workshoppen innan du väljer tid.")]
    for form, message in cases:
        response = organiser.post(f"/organiser/workshops/{world.code}/schedule", data=form,
                                  headers={"Accept-Language": "sv"})
        assert response.status_code == 400, form
        assert message in response.get_data(as_text=True), form
    row = db.session.get(WorkshopSchedule, world.workshop_id)
    db.session.refresh(row)
    assert (row.day.isoformat(), row.end.isoformat(), row.meeting_url) == ("2026-12-15", "12:00:00", None)


def test_a_workshop_created_with_its_schedule_keeps_it_and_a_wrong_one_creates_nothing(organiser, world):
    before = db.session.scalar(select(func.count()).select_from(Workshop))
    wrong = organiser.post("/organiser/workshops", data={"question": "Hur köper vi bättre?", "language": "sv",
                                                          "template": "think-tank", **DAY, "end": "08:00"})
    assert wrong.status_code == 400 and "The workshop must end after it starts." in wrong.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Workshop)) == before
    made = organiser.post("/organiser/workshops", data={"question": "Hur köper vi bättre?", "language": "sv",
                                                         "template": "think-tank", **DAY})
    assert made.status_code == 303
    code = made.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    page = organiser.get(f"/organiser/workshops/{code}").get_data(as_text=True)
    assert 'value="2026-12-15"' in page and 'value="09:00"' in page and 'value="Stadshuset, rum 3"' in page


def test_addresses_are_shown_to_the_organiser_only(mail_app, organiser, world, people):
    assert _post(organiser, world.code, "/recipients", addresses="kim@example.org").status_code == 303
    assert "kim@example.org" in organiser.get(f"/organiser/workshops/{world.code}").get_data(as_text=True)
    co = mail_app.test_client()
    sign_in_as(co, people.co_facilitator)
    co_page = co.get(f"/organiser/workshops/{world.code}")
    assert co_page.status_code == 200 and "kim@example.org" not in co_page.get_data(as_text=True)
    assert _post(co, world.code, "/recipients", addresses="x@example.org").status_code == 403
    visitor = mail_app.test_client()
    screens = [visitor.get(f"/join/{world.code}"), visitor.get(f"/projector/{world.projector_token}"),
               visitor.get(f"/facilitator/{world.facilitator_token}"),
               visitor.get(f"/api/workshops/{world.code}/public"),
               visitor.get(f"/api/workshops/{world.code}", headers={"Authorization": f"Bearer {world.participant_token}"}),
               visitor.get(f"/api/workshops/{world.code}", headers={"Authorization": f"Bearer {world.projector_token}"}),
               visitor.get(f"/api/workshops/{world.code}", headers={"Authorization": f"Bearer {world.facilitator_token}"})]
    for response in screens:
        assert response.status_code == 200, response.request.path
        assert "kim@example.org" not in response.get_data(as_text=True), response.request.path


def test_the_person_removes_their_own_address_with_the_link_in_the_mail(organiser, world, inbox, mail_app):
    assert _post(organiser, world.code, "/schedule", **DAY).status_code == 303
    assert _post(organiser, world.code, "/recipients", addresses="kim@example.org, alex@example.org").status_code == 303
    assert _post(organiser, world.code, "/mailings", kind="prework").status_code == 303
    finished_mailing(world.workshop_id)
    [message] = [m for rcpt, m in inbox.wait_for(2) if rcpt == ["kim@example.org"]]
    link = re.search(r"http://workshop\.test(/mail/forget/\S+)", message.get_body(("plain",)).get_content()).group(1)
    person = mail_app.test_client()
    asked = person.get(link)  # a mail scanner opening the link removes nobody
    assert asked.status_code == 200 and "kim@example.org" in asked.get_data(as_text=True) and _addresses() == 2
    head, _, mac = link.rsplit("/", 1)[1].partition(".")
    other = db.session.scalar(select(MailRecipient.id).where(MailRecipient.email == "alex@example.org"))
    assert person.post(f"/mail/forget/{other}.{mac}").status_code == 404  # one link removes no other address
    assert person.get("/mail/forget/not-a-token").status_code == 404
    done = person.post(link)
    assert done.status_code == 200 and "was deleted" in done.get_data(as_text=True)
    assert db.session.scalars(select(MailRecipient.email)).all() == ["alex@example.org"]
    assert person.post(link).status_code == 404  # said once; the link has nothing left to remove
    assert "kim@example.org" not in organiser.get(f"/organiser/workshops/{world.code}").get_data(as_text=True)


def test_the_retention_purge_deletes_the_addresses_and_keeps_the_counts(organiser, world, inbox):
    assert _post(organiser, world.code, "/schedule", **DAY).status_code == 303
    assert _post(organiser, world.code, "/recipients", addresses="kim@example.org").status_code == 303
    assert _post(organiser, world.code, "/mailings", kind="prework").status_code == 303
    finished_mailing(world.workshop_id)
    assert privacy.purge(now=clock.now() + timedelta(days=30)) == []  # not due yet: kept
    assert _addresses() == 1
    assert world.code in privacy.purge(now=clock.now() + timedelta(days=91))
    assert _addresses() == 0
    assert db.session.scalar(select(Mailing.sent)) == 1  # what was sent, in counts, without anyone's address


def test_deleting_the_workshop_deletes_its_addresses_and_schedule(organiser, world):
    assert _post(organiser, world.code, "/schedule", **DAY).status_code == 303
    assert _post(organiser, world.code, "/recipients", addresses="kim@example.org").status_code == 303
    assert _post(organiser, world.code, "/delete", confirm_code=world.code).status_code == 303
    assert _addresses() == 0
    assert db.session.scalar(select(func.count()).select_from(WorkshopSchedule)) == 0


def test_without_an_smtp_server_mail_is_off_the_page_says_so_and_no_address_is_taken(tmp_path, database_url):
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=database_url)  # no MAIL_SERVER
    with app.app_context():
        db.create_all()
        try:
            people = make_people()
            world = make_world(people)
            client = app.test_client()
            sign_in_as(client, people.organiser)
            page = client.get(f"/organiser/workshops/{world.code}", headers={"Accept-Language": "sv"})
            assert "E-post är avstängd på den här servern" in page.get_data(as_text=True)
            assert 'name="addresses"' not in page.get_data(as_text=True)
            refused = client.post(f"/organiser/workshops/{world.code}/recipients", data={"addresses": "kim@example.org"})
            assert refused.status_code == 409 or refused.status_code == 400
            assert "no SMTP server is configured" in refused.get_data(as_text=True)
            assert _addresses() == 0
            sent = client.post(f"/organiser/workshops/{world.code}/mailings", data={"kind": "prework"})
            assert sent.status_code == 400 and db.session.scalar(select(func.count()).select_from(Mailing)) == 0
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def test_a_refused_schedule_keeps_what_was_typed(organiser, world):
    """The form comes back with the organiser's own values and the reason, not emptied (found by
    an outside test)."""
    response = organiser.post(f"/organiser/workshops/{world.code}/schedule",
                              data={**DAY, "end": "08:00", "place": "Stadshuset, rum 3"},
                              headers={"Accept-Language": "sv"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Workshoppen måste sluta efter att den börjar." in page
    assert 'value="08:00"' in page and 'value="Stadshuset, rum 3"' in page and f'value="{DAY["day"]}"' in page
