"""The README's screenshots, taken from a workshop that looks like a real one: the Swedish demo
think tank (workshop/demo_data.py), twelve people, its items, themes, dots and proposals, on a
server whose public address is a real-looking one. Everyone but one phone works over the JSON
API; that phone (Anna, 390 px wide) writes, votes and proposes through its screen like anyone
in the room, and the console and projector follow live. Every photographed state is also checked
with axe-core, so the README never shows a screen that fails WCAG 2.1 A/AA.

The pictures land in test-artifacts/screenshots/readme-*.png; the best are copied by hand into
docs/screenshots/ (see README.md)."""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.live import LiveServer
from workshop.demo_data import DEMO_WORKSHOP

from .accessibility import assert_accessible
from .pages import LIVE, fits_width, resume_as

pytestmark = pytest.mark.e2e

PUBLIC = "https://workshop.example.org"
ANNA = "p1"  # the demo's first participant is the phone in the pictures


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """A server of its own, because its links and QR codes name a public address (PUBLIC_URL)."""
    base = tmp_path_factory.mktemp("readme")
    server = LiveServer(f"sqlite:///{base / 'readme.db'}", base / "server.log")
    server.env["PUBLIC_URL"] = PUBLIC
    server.migrate()
    server.start()
    yield server
    server.stop()


class Demo:
    """The demo think tank, played over the JSON API by everyone except Anna's phone."""

    def __init__(self, server: LiveServer):
        self.server, self.data = server, DEMO_WORKSHOP
        self.created = server.api("POST", "/api/workshops", json={
            "question": self.data["question"], "language": self.data["language"],
            "organiser": self.data["organiser"]}).json()
        self.code, self.fac = self.created["code"], self.created["facilitator_token"]
        self.people = {p["key"]: self.server.join(self.code, p["perspective"], p["name"])
                       for p in self.data["participants"]}
        self.themes: dict[str, int] = {}

    def local(self, url: str) -> str:
        """A link as the server printed it (the public address), opened on the test server."""
        return url.replace(PUBLIC, self.server.url)

    def call(self, method: str, path: str, token: str | None = None, **body):
        response = self.server.api(method, f"/api/workshops/{self.code}{path}", token=token or self.fac, json=body)
        assert response.ok, response.text
        return response.json()

    def phase(self, phase: str) -> None:
        self.call("PUT", "/phase", phase=phase)

    def submit(self, entries) -> None:
        for entry in entries:
            self.call("POST", "/items", self.people[entry["participant"]]["token"],
                      client_id=uuid.uuid4().hex, lane=entry["lane"], text=entry["text"])

    def group(self) -> None:
        """The demo's themes, each item placed by its text (Anna's came from her phone)."""
        theme_of = {entry["text"]: entry.get("theme") for entry in self.data["items"]}
        for theme in self.data["themes"]:
            self.themes[theme["key"]] = self.call("POST", "/themes", name=theme["name"])["theme"]["id"]
        for item in self.call("GET", "")["items"]:
            if theme_of[item["text"]]:
                self.call("PUT", f"/items/{item['id']}/theme", theme_id=self.themes[theme_of[item["text"]]])

    def vote(self, skip: str) -> None:
        for key, ballot in self.data["ballots"].items():
            if key != skip:
                self.call("PUT", "/ballot", self.people[key]["token"], client_id=f"ballot-{key}",
                          allocation={str(self.themes[t]): n for t, n in ballot.items()})

    def propose(self, skip: str) -> None:
        for n, p in enumerate(self.data["proposals"]):
            if p["participant"] != skip:
                self.call("POST", "/proposals", self.people[p["participant"]]["token"], client_id=f"proposal-{n}",
                          theme_id=self.themes[p["theme"]], type=p["type"], description=p["description"],
                          who_needs=p["who_needs"])


def own(demo: Demo, key: str, lane: str) -> list[str]:
    return [i["text"] for i in demo.data["items"] if i["participant"] == key and i["lane"] == lane]


def photograph(shots, pages: dict, state: str) -> None:
    """Each screen as it is now: accessible, phones without a sideways scroll, then its picture."""
    for name, (page, at) in pages.items():
        assert_accessible(page, f"{name} ({state})")
        if name.startswith("phone"):
            assert fits_width(page), f"{name} scrolls sideways ({state})"
        if at is not None:
            page.evaluate("(el) => el.scrollIntoView({block: 'start'})", at.element_handle())
        page.wait_for_timeout(300)  # let entering items finish their transition
        shots(page, f"readme-{name}-{state}")


def test_the_readme_screenshots_show_the_demo_think_tank(demo_server, open_page, shots):
    demo = Demo(demo_server)
    demo.phase("collect")
    console = open_page(demo.local(demo.created["facilitator_url"]), "console", "desktop", locale="sv-SE")
    projector = open_page(demo.local(demo.created["projector_url"]), "projector", "projector", locale="sv-SE")
    phone = open_page(demo.local(demo.created["join_url"]), "phone", "phone-390", locale="sv-SE")
    anna = demo.people[ANNA]
    resume_as(phone, demo.code, anna)
    expect(phone.locator("#whoami")).to_have_text("Du deltar som Anna (Upphandlare)", timeout=LIVE)

    # --- Collect: the room writes; Anna sends her two challenges from the phone; a timer runs.
    demo.submit(e for e in demo.data["items"] if e["participant"] != ANNA)
    for text in own(demo, ANNA, "challenge"):
        phone.get_by_label("Utmaning", exact=True).check()
        phone.get_by_label("Din text").fill(text)
        phone.get_by_role("button", name="Skicka", exact=True).click()
        expect(phone.locator(".my-items li", has_text=text).locator(".badge")).to_have_text("✓ Sparat", timeout=LIVE)
    phone.get_by_label("Framgångsfaktor", exact=True).check()
    phone.get_by_label("Din text").fill(own(demo, ANNA, "success_factor")[0][:62])  # half-written
    console.get_by_label("Minuter").fill("8")
    console.get_by_role("button", name="Starta timer").click()
    expect(projector.locator(".timer-clock")).to_have_text(re.compile(r"^(8:00|7:5\d)$"), timeout=LIVE)
    expect(console.locator("#item-count")).to_have_text(str(len(demo.data["items"]) - 2), timeout=LIVE)
    photograph(shots, {"phone": (phone, None), "console": (console, None),
                       "projector": (projector, None)}, "collect")
    phone.get_by_label("Din text").fill("")
    # The rest of Anna's items, so the themes are whole.
    demo.submit(e for e in demo.data["items"] if e["participant"] == ANNA and e["lane"] != "challenge")
    demo.call("DELETE", "/timer")

    # --- Aggregate: the facilitator's themes (set up over the API, as the demo's are).
    demo.phase("aggregate")
    demo.group()
    expect(console.locator(".theme-card")).to_have_count(len(demo.data["themes"]) + 1, timeout=LIVE)
    photograph(shots, {"console": (console, None), "projector": (projector, None)}, "aggregate")

    # --- Prioritise: Anna places her dots on the phone; the results are then revealed.
    demo.phase("prioritise")
    demo.vote(skip=ANNA)
    names = {t["key"]: t["name"] for t in demo.data["themes"]}
    for key, dots in DEMO_WORKSHOP["ballots"][ANNA].items():
        for _ in range(dots):
            phone.get_by_role("button", name=f"Lägg till en prick på ”{names[key]}”").click()
    photograph(shots, {"phone": (phone, None)}, "vote")
    phone.get_by_role("button", name="Spara mina röster").click()
    expect(phone.locator(".ballot-status")).to_have_text("✓ Sparat", timeout=LIVE)
    expect(console.get_by_text(re.compile(r"^10 av 12"))).to_be_visible(timeout=LIVE)
    photograph(shots, {"console": (console, None)}, "vote")
    demo.call("PUT", "/results", revealed=True)
    expect(projector.locator(".proj-results .result")).to_have_count(len(demo.data["themes"]), timeout=LIVE)
    photograph(shots, {"projector": (projector, None), "console": (console, None)}, "results")

    # --- Concretise: the others' proposals arrive; Anna writes hers on the phone.
    demo.phase("concretise")
    demo.propose(skip=ANNA)
    mine = next(p for p in demo.data["proposals"] if p["participant"] == ANNA)
    expect(phone.get_by_role("heading", name="Föreslå konkret stöd")).to_be_visible(timeout=LIVE)
    phone.get_by_label("Tema", exact=True).select_option(label=names[mine["theme"]])
    phone.get_by_label("Typ av stöd").select_option(value=mine["type"])
    phone.get_by_label("Vad det är, i en mening").fill(mine["description"])
    phone.get_by_label("Vem behöver det (valfritt)").fill(mine["who_needs"])
    photograph(shots, {"phone": (phone, phone.locator(".proposal-form"))}, "concretise")
    phone.get_by_role("button", name="Föreslå", exact=True).click()
    expect(phone.locator(".ballot-status")).to_have_text("✓ Sparat", timeout=LIVE)
    expect(projector.locator(".proj-theme", has_text=names[mine["theme"]])).to_contain_text(
        mine["description"], timeout=LIVE)
    photograph(shots, {"projector": (projector, None), "console": (console, None)}, "concretise")
    open_page.assert_clean()
