"""The organiser schedules a workshop and invites by e-mail in a real browser, on a server with a
real SMTP server; the phone's join page says when; the invited person removes their address with
the link in the mail. Every page passes axe (WCAG 2.1 A/AA) and is photographed."""
from __future__ import annotations

import re
import threading

from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.live import LiveServer
from tests.mail.smtp import Inbox, SMTPServer

LIVE = 10_000


def test_schedule_invitations_join_page_and_forget_link_in_the_browser(tmp_path, open_page, shots):
    inbox = Inbox(hold=threading.Event())
    with SMTPServer(inbox) as smtp:
        env = {key: str(value) for key, value in smtp.settings().items()}
        env["MAIL_USE_TLS"] = "0"
        server = LiveServer(f"sqlite:///{tmp_path / 'invitations.db'}", tmp_path / "server.log", env)
        server.migrate()
        server.start()
        try:
            page = open_page(server.url + "/account/sign-up", "organiser (invitations)")
            page.get_by_label("Email").fill("organiser@example.org")
            page.get_by_label("Password").fill("a long enough passphrase 42")
            page.get_by_role("button", name="Create account").click()
            expect(page).to_have_url(re.compile(r"/organiser/?$"))
            page.get_by_label("Question for the workshop").fill("How do we strengthen needs assessment?")
            page.get_by_label("Workshop language").select_option("sv")
            page.get_by_label("Day of the workshop").fill("2026-12-15")
            page.get_by_label("Starts at").fill("09:00")
            page.get_by_label("Ends at").fill("12:00")
            page.get_by_label("Place (optional)").fill("Stadshuset, rum 3")
            page.get_by_label("Pre-work opens").fill("2026-12-01")
            page.get_by_label("Pre-work closes").fill("2026-12-14")
            assert_accessible(page, "organiser's page with the schedule fields")
            page.get_by_role("button", name="Create workshop").click()
            expect(page.get_by_role("heading", name="When and where")).to_be_visible()
            expect(page.get_by_label("Day of the workshop")).to_have_value("2026-12-15")
            code = page.url.rstrip("/").rsplit("/", 1)[-1]

            page.get_by_label("E-mail addresses (one a line, or separated by commas)").fill(
                "kim@example.org\nalex@example.org")
            page.get_by_role("button", name="Add the addresses").click()
            expect(page.get_by_role("cell", name="kim@example.org", exact=True)).to_be_visible()
            page.get_by_role("button", name="Send the pre-work invitation").click()
            expect(page.get_by_text("sending to 2…")).to_be_visible()  # the server holds the mail
            assert_accessible(page, "organiser's page while sending")
            inbox.hold.set()
            inbox.wait_for(2)
            for _ in range(50):  # the page says how it went once the send is recorded as finished
                page.reload()
                if page.get_by_text("2 sent, 0 failed").count():
                    break
                page.wait_for_timeout(200)
            expect(page.get_by_text("2 sent, 0 failed")).to_be_visible()
            assert_accessible(page, "organiser's page with the invitations")
            shots(page, "organiser-invitations", at=page.get_by_role("heading", name="E-mail invitations"))

            phone = open_page(f"{server.url}/join/{code}", "phone (join page with the schedule)", kind="phone")
            when = phone.locator("#when")
            expect(when).to_contain_text("tisdag 15 december 2026, 09:00–12:00")
            expect(when).to_contain_text("Stadshuset, rum 3")
            assert_accessible(phone, "join page with the schedule")
            shots(phone, "phone-join-when")

            [message] = inbox.to("kim@example.org")
            link = re.search(r"http://[^/\s]+(/mail/forget/\S+)", message.get_body(("plain",)).get_content()).group(1)
            person = open_page(server.url + link, "forget link", kind="phone")
            expect(person.get_by_text("kim@example.org")).to_be_visible()
            assert_accessible(person, "forget page (asking)")
            person.get_by_role("button", name="Delete my address from the list").click()
            expect(person.get_by_role("status")).to_contain_text("was deleted")
            assert_accessible(person, "forget page (done)")
            shots(person, "phone-forget-done")

            page.reload()
            expect(page.get_by_role("cell", name="alex@example.org", exact=True)).to_be_visible()
            expect(page.get_by_role("cell", name="kim@example.org", exact=True)).to_have_count(0)
            open_page.assert_clean()
        finally:
            server.stop()
