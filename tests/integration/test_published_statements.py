"""The statements a public body must publish, as each deployment configures them: the host
organisation's details, the compliance status, the legal basis and the retention period come from
the settings (or the environment), in Swedish and English; without settings the pages still say
who to ask. Every page's footer links both."""
from __future__ import annotations

import pytest

from config import from_environment
from workshop import create_app
from workshop.extensions import db


@pytest.fixture
def make_client(tmp_path):
    apps = []

    def make(**settings):
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'statements.db'}", **settings)
        apps.append(app)
        with app.app_context():
            db.create_all()
        return app.test_client()
    yield make


def text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_the_host_organisation_from_the_settings_in_both_languages(make_client):
    client = make_client(ORGANISATION_NAME="Region Exempel", ORGANISATION_EMAIL="kontakt@region.example",
                         ACCESSIBILITY_EMAIL="tillganglighet@region.example", ACCESSIBILITY_RESPONSE_DAYS=3,
                         ORGANISATION_DPO_EMAIL="dataskydd@region.example", PRIVACY_RETENTION_DAYS=30)
    sv = text(client, "/accessibility?lang=sv")
    assert "Region Exempel står bakom den här webbtjänsten" in sv
    assert 'href="mailto:tillganglighet@region.example"' in sv and "kontakt@region.example" not in sv
    assert "Vi svarar inom 3 arbetsdagar" in sv
    assert "delvis förenlig med lagen om tillgänglighet till digital offentlig service" in sv
    assert "Myndigheten för digital förvaltning (DIGG) har ansvaret för tillsyn" in sv
    for heading in ("Hur tillgänglig är tjänsten?", "Rapportera brister i tjänstens tillgänglighet", "Tillsyn",
                    "Innehåll som inte är tillgängligt", "Hur vi testat tjänsten"):
        assert f">{heading}</h" in sv
    en = text(client, "/accessibility?lang=en")
    assert "Region Exempel is responsible for this web service" in en and "We answer within 3 working days" in en
    privacy = text(client, "/privacy?lang=sv")
    assert "Region Exempel är personuppgiftsansvarig" in privacy
    assert 'href="mailto:kontakt@region.example"' in privacy and "dataskydd@region.example" in privacy
    assert "raderas 30 dagar efter att workshoppen avslutats" in privacy
    assert "artikel 6.1 e i dataskyddsförordningen" in privacy  # the default legal basis
    assert "Integritetsskyddsmyndigheten (IMY)" in privacy
    assert "Din e-postadress" not in privacy  # no mail server: nobody is invited by e-mail


def test_without_settings_the_pages_say_who_to_ask(make_client):
    client = make_client()
    page = text(client, "/accessibility?lang=en")
    assert "the organisation that runs this service is responsible" in page.lower()
    assert "Ask the facilitator of your workshop" in page
    assert "mailto:" not in page


@pytest.mark.parametrize("basis, words", [("consent", "article 6(1)(a)"), ("legitimate-interests", "article 6(1)(f)")])
def test_the_legal_basis_follows_the_setting(make_client, basis, words):
    assert words in text(make_client(PRIVACY_LEGAL_BASIS=basis), "/privacy?lang=en")


def test_status_and_mail_follow_the_settings(make_client):
    client = make_client(ACCESSIBILITY_STATUS="full", MAIL_SERVER="smtp.region.example")
    assert "fully compliant with the act" in text(client, "/accessibility?lang=en")
    assert "Your e-mail address, if the organiser invited you by e-mail" in text(client, "/privacy?lang=en")


def test_every_page_links_both_statements(make_client):
    client = make_client()
    for path in ("/", "/join", "/account/sign-in", "/accessibility", "/privacy"):
        page = text(client, path)
        footer = page.split('<footer class="site-footer">', 1)[1]
        assert 'href="/accessibility"' in footer and 'href="/privacy"' in footer, path
    join = text(client, "/join?lang=sv").split('<footer', 1)[0]
    assert 'href="/privacy">Så hanterar vi dina uppgifter</a>' in join
    assert 'href="/accessibility">Tillgänglighetsredogörelse</a>' in join


def test_the_environment_sets_the_host_and_refuses_unknown_values():
    settings = from_environment({"ORGANISATION_NAME": " Region Exempel ", "ORGANISATION_EMAIL": "a@b.se",
                                 "ACCESSIBILITY_STATUS": "none", "PRIVACY_LEGAL_BASIS": "consent",
                                 "ACCESSIBILITY_RESPONSE_DAYS": "10", "ACCESSIBILITY_ASSESSED": "2026-12-01"})
    assert settings["ORGANISATION_NAME"] == "Region Exempel" and settings["ACCESSIBILITY_STATUS"] == "none"
    assert settings["ACCESSIBILITY_RESPONSE_DAYS"] == 10 and settings["PRIVACY_LEGAL_BASIS"] == "consent"
    with pytest.raises(ValueError):
        from_environment({"ACCESSIBILITY_STATUS": "mostly"})
    with pytest.raises(ValueError):
        from_environment({"PRIVACY_LEGAL_BASIS": "because"})


def test_without_a_name_the_stand_in_starts_its_sentences_with_a_capital(make_client):
    client = make_client()
    assert "Den organisation som driver tjänsten står bakom" in text(client, "/accessibility?lang=sv")
    assert "The organisation that runs this service is the controller" in text(client, "/privacy?lang=en")
