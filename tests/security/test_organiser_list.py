"""The organiser's list of workshops names each one's phase in the reader's language (it had
printed the internal key, "prework", on a Swedish page: found by an outside test)."""
from __future__ import annotations

from tests.security.conftest import sign_in_as


def test_the_phase_is_named_in_the_reader_s_language(secure_app, people, world):
    client = secure_app.test_client()
    sign_in_as(client, people.organiser)
    page = client.get("/organiser/", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert f"{world.code} · Sammanställ" in page
    assert "· aggregate" not in page
