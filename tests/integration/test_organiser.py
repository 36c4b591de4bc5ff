"""The organiser named at creation appears on the guide's title page, in every format."""
from __future__ import annotations


def _create(client, **extra):
    response = client.post("/api/workshops", json={"question": "Hur stärker vi behovsarbetet?",
                                                   "language": "sv", **extra})
    assert response.status_code == 201, response.json
    return response.json


def _guide(client, created, fmt):
    response = client.get(f"/api/workshops/{created['code']}/guide.{fmt}",
                          headers={"Authorization": f"Bearer {created['facilitator_token']}"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_organiser_is_on_the_title_page_of_every_format(client):
    created = _create(client, organiser="Exempelkommunens upphandlingsenhet")
    for fmt, first_section in (("md", "\n## "), ("html", "<h2")):
        title_page = _guide(client, created, fmt).split(first_section)[0]
        assert "Exempelkommunens upphandlingsenhet" in title_page, fmt
        assert "Arrangör" in title_page, fmt  # the label, in the workshop's language


def test_without_an_organiser_the_title_page_has_no_empty_organiser_line(client):
    created = _create(client, organiser="   ")
    assert "Arrangör" not in _guide(client, created, "md")


def test_the_home_form_takes_an_organiser(client):
    response = client.post("/", data={"question": "Hur stärker vi behovsarbetet?", "organiser": "Region Exempel",
                                      "language": "sv", "template": "think-tank"})
    assert response.status_code == 303
    token = response.headers["Location"].rsplit("/", 1)[-1]
    guide = client.get(f"/facilitator/{token}/guide.md").get_data(as_text=True)
    assert "Region Exempel" in guide.split("## ")[0]
