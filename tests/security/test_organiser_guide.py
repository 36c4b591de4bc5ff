"""The organiser's pages offer each workshop's guide in every format the facilitator console offers,
to whoever may open that workshop's console (its organiser, an invited co-facilitator, an
administrator), audited as an export as the console's downloads are (an outside test found the
organiser's page had no guide download at all). And /organiser/series opened with no workshop chosen
is a page that explains and offers the form, not an error flashed on another page."""
from __future__ import annotations

import re

from sqlalchemy import select

from tests.security.conftest import make_world, sign_in_as
from workshop.export import FORMATS
from workshop.extensions import db
from workshop.models import AuditEntry


def _exports(workshop_id: int) -> list[AuditEntry]:
    return db.session.scalars(select(AuditEntry).where(AuditEntry.workshop_id == workshop_id,
                                                       AuditEntry.action == "guide.export")).all()


def test_each_workshop_s_guide_in_every_console_format_on_the_organiser_s_pages(secure_app, people, world):
    client = secure_app.test_client()
    sign_in_as(client, people.organiser)
    links = {f"/organiser/workshops/{world.code}/guide.{fmt}" for fmt in FORMATS}
    for page in ("/organiser/", f"/organiser/workshops/{world.code}"):
        html = client.get(page).get_data(as_text=True)
        assert links <= set(re.findall(r'href="([^"]+/guide\.[a-z.]+)"', html)), page
    html = client.get("/organiser/", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert 'aria-label="Vägledning: How do we buy better?"' in html and "Öppna HTML" in html

    for fmt, (mimetype, _) in FORMATS.items():
        response = client.get(f"/organiser/workshops/{world.code}/guide.{fmt}")
        assert response.status_code == 200, (fmt, response.status_code)
        assert response.mimetype == mimetype.split(";")[0], fmt
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("inline" if fmt == "html" else "attachment") and world.code in disposition
        assert response.headers["Cache-Control"] == "no-store"
    assert sorted(e.detail["format"] for e in _exports(world.workshop_id)) == sorted(FORMATS)
    assert {e.actor for e in _exports(world.workshop_id)} == {people.organiser.email}
    assert client.get(f"/organiser/workshops/{world.code}/guide.exe").status_code == 404


def test_the_download_is_for_whoever_may_open_the_console_and_no_one_else(secure_app, people, world):
    for person in (people.co_facilitator, people.admin):
        client = secure_app.test_client()
        sign_in_as(client, person)
        assert client.get(f"/organiser/workshops/{world.code}/guide.md").status_code == 200, person
    assert [e.actor for e in _exports(world.workshop_id)] == [people.co_facilitator.email, people.admin.email]
    stranger = secure_app.test_client()
    sign_in_as(stranger, people.stranger)
    assert stranger.get(f"/organiser/workshops/{world.code}/guide.md").status_code == 403
    nobody = secure_app.test_client()
    refused = nobody.get(f"/organiser/workshops/{world.code}/guide.md",
                         headers={"Authorization": f"Bearer {world.facilitator_token}"})  # the session only here
    assert refused.status_code in (302, 303) and "sign-in" in refused.headers["Location"]
    assert len(_exports(world.workshop_id)) == 2


def test_the_series_page_without_workshops_chosen_explains_and_offers_the_form(secure_app, people, world):
    client = secure_app.test_client()
    sign_in_as(client, people.organiser)
    alone = client.get("/organiser/series", headers={"Accept-Language": "sv"})
    assert alone.status_code == 200
    html = alone.get_data(as_text=True)
    assert "Du behöver minst två egna workshoppar för att slå ihop dem; hittills har du 1." in html
    assert 'class="alert"' not in html

    second = make_world(people)
    for query in ("", "?code=&title=", "?format=pdf"):
        page = client.get("/organiser/series" + query)
        assert page.status_code == 200, query
        html = page.get_data(as_text=True)
        assert "Combine workshops into one guide" in html and 'class="alert"' not in html
        assert {world.code, second.code} <= set(re.findall(r'name="code" value="([^"]+)"', html))
    # The index shows no error left behind by the visit either.
    assert 'class="alert"' not in client.get("/organiser/").get_data(as_text=True)
    # Workshops chosen: the download, as before.
    response = client.get(f"/organiser/series?code={world.code}&code={second.code}&format=md")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
