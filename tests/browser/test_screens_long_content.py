"""The room's three screens filled with what a long Swedish workshop produces (long items, a paper
note, twelve themes, forty proposals, sixty pieces of advice), at the sizes they are used at:
a projector or laptop (1920x1080, 1280x720), a tablet (768x1024) and a phone (390x844).

At every size, in every phase: no text is cut off without a visible continuation (an element
that clips its content must not be hiding text, a control must show its label and its chosen
option whole), nothing scrolls sideways, axe-core finds no WCAG 2.1 A/AA violation, and the
projector's pages, turned with the facilitator's keys, each fit. The room is seeded through the
JSON API; one phone (Anna's) follows as a browser page. Pictures: test-artifacts/screenshots/
screens-<phase>-<screen>-<size>.png."""
from __future__ import annotations

import itertools
import re
import uuid

import pytest
from playwright.sync_api import expect

from .accessibility import assert_accessible
from .pages import LIVE, fits_width, resume_as

pytestmark = pytest.mark.e2e

SIZES = [(1920, 1080), (1280, 720), (768, 1024), (390, 844)]
QUESTION = ("Hur kan vi stärka behovsanalysen inför offentliga upphandlingar så att verksamhetens, "
            "slutanvändarnas och leverantörernas kunskap tas till vara i tid, kraven blir rätt från början "
            "och avtalen faktiskt ger den nytta som organisationen behövde när upphandlingen startade?")
PERSPECTIVES = ["buyer", "requester", "end_user", "supplier", "legal", "management"]
CHALLENGES = [
    "Behovsanalysen görs ofta i sista stund av en enskild upphandlare, utan att verksamheten, slutanvändarna "
    "eller controllern har varit med, och då blir kraven en kopia av förra upphandlingens underlag",
    "Verksamheten beställer en produkt de redan har bestämt sig för i stället för att beskriva vilket "
    "problem som ska lösas, så marknadens idéer om andra och bättre lösningar kommer aldrig fram",
    "Det finns ingen tydlig ägare av behovet efter att avtalet är tecknat, vilket gör att ingen följer "
    "upp om leveranserna motsvarar det vi faktiskt behövde och lärdomarna försvinner till nästa gång",
    "Tidsplanen styrs av när det gamla avtalet löper ut, inte av hur lång tid en ordentlig behovsanalys "
    "med marknadsdialog, riskbedömning och förankring hos ledningen faktiskt tar i en stor organisation",
    "Slutanvändarna får sällan komma till tals, och när de gör det är det genom en enkät med fasta "
    "svarsalternativ som inte fångar hur arbetet egentligen går till en vanlig vecka ute i verksamheten",
    "Juridiska osäkerheter kring vad som är tillåtet i dialogen med leverantörer gör att många hellre "
    "avstår helt från marknadsdialog än riskerar en överprövning, trots att dialogen oftast är tillåten",
]
SUCCESS = [
    "En tvärfunktionell grupp med upphandlare, verksamhetsföreträdare, slutanvändare och jurist som "
    "träffas tidigt och regelbundet, med ett tydligt mandat från ledningen att prioritera bland behoven",
    "Att avsätta tid i verksamhetsplanen för behovsarbetet ett år innan avtalet löper ut, så att "
    "marknadsdialog, omvärldsbevakning och förankring hinns med utan att tidsplanen pressar fram genvägar",
    "Funktionskrav som beskriver vad lösningen ska åstadkomma i stället för detaljerade tekniska krav, "
    "vilket öppnar för innovation och gör det lättare att följa upp om avtalet ger avsedd effekt",
    "En gemensam mall för behovsanalys med frågor om mål, nuläge, risker, hållbarhet och uppföljning, "
    "som används i alla upphandlingar och som sparas så att nästa projekt kan börja där förra slutade",
    "Strukturerad uppföljning av avtalet tillsammans med leverantören varje kvartal, där vi mäter mot "
    "de effektmål som formulerades i behovsanalysen och justerar kraven inför nästa avtalsperiod",
    "Ledningen efterfrågar behovsanalysen innan beslut om att starta upphandlingen, vilket gör att "
    "arbetet får status och resurser i stället för att ses som en administrativ formalitet i slutet",
]
PLACES = ["i regionen", "i kommunen", "på myndigheten", "i bolaget", "i förvaltningen", "hos oss",
          "i länet", "i nätverket", "inom vården", "inom skolan", "inom IT", "inom bygg", "inom fordon",
          "inom livsmedel", "inom städ"]
THEMES = [
    "Tidig marknadsdialog och leverantörernas perspektiv",
    "Styrning, mandat och tydliga beslutsvägar för behovsarbetet",
    "Slutanvändarnas röst i behovsanalysen",
    "Kompetens och tid för behovsarbetet i verksamheten",
    "Uppföljning av avtal, effekter och lärande",
    "Koppling till strategiska mål och budgetprocessen",
    "Juridiska ramar, risker och överprövningar",
    "Mallar, checklistor och gemensamt stöd",
    "Samverkan mellan upphandling och verksamhet",
    "Funktionskrav och innovation i stället för detaljkrav",
    "Hållbarhet och sociala hänsyn i kraven",
    "Dokumentation som nästa upphandling kan bygga vidare på",
]
KINDS = ["checklist", "template", "guide", "training", "network", "examples", "other"]
PROPOSALS = [
    "En checklista för behovsanalysens första möte: vilka som ska vara med, vilka frågor som ska besvaras "
    "och vilka underlag som behöver tas fram innan kraven börjar skrivas",
    "En mall för effektmål som följer med från behovsanalysen till avtalsuppföljningen, med exempel från "
    "tidigare upphandlingar inom samma område",
    "En kort utbildning för verksamhetens chefer om varför behovsanalysen behöver tid och hur de kan bidra "
    "utan att själva bli upphandlingsexperter",
    "Ett nätverk där upphandlare i länet delar erfarenheter av marknadsdialog och visar exempel på "
    "frågor som fungerat bra och sådana som lett till problem",
]
WHO = ["Upphandlare och verksamhetsansvariga i mindre kommuner", "Chefer som beställer upphandlingar",
       "Nya upphandlare under sitt första år", "Avtalsförvaltare och controllers"]
ADVICE = [
    "Börja behovsanalysen minst ett år innan avtalet löper ut och bjud in slutanvändarna redan till det "
    "första mötet, inte först när kraven ska granskas",
    "Skriv ner vilket problem som ska lösas innan ni pratar om lösningar, och låt leverantörerna "
    "berätta vad marknaden kan erbjuda innan kraven låses",
    "Fråga alltid hur ni ska veta om upphandlingen lyckades, och skriv in de måtten i avtalet så att "
    "uppföljningen blir av",
    "Ta hjälp av juristen tidigt för att förstå vad som är tillåtet i dialogen, hellre än att avstå "
    "helt från att prata med marknaden",
]


def swedish_items():
    """Long items, each a little different, challenges and success factors alternating."""
    for n, place in zip(itertools.count(), itertools.cycle(PLACES)):
        base = (CHALLENGES if n % 2 == 0 else SUCCESS)[(n // 2) % 6]
        yield ("challenge" if n % 2 == 0 else "success_factor"), f"{base}, särskilt {place} ({n + 1})."[:280]


class Room:
    """The workshop, played over the JSON API."""

    def __init__(self, server):
        self.server = server
        created = server.create_workshop(question=QUESTION, language="sv")
        self.created, self.code, self.fac = created, created["code"], created["facilitator_token"]
        self.people = [server.join(self.code, PERSPECTIVES[n % len(PERSPECTIVES)], f"Deltagare {n + 1}")
                       for n in range(60)]
        self.themes: list[int] = []

    def call(self, method: str, path: str, token: str | None = None, **body):
        response = self.server.api(method, f"/api/workshops/{self.code}{path}", token=token or self.fac, json=body)
        assert response.ok, response.text
        return response.json()

    def collect(self) -> None:
        self.call("PUT", "/phase", phase="collect")
        items = swedish_items()
        for person, count in zip(self.people[:40], itertools.cycle([5, 2, 1, 2])):
            for _ in range(count):
                lane, text = next(items)
                self.call("POST", "/items", person["token"], client_id=uuid.uuid4().hex, lane=lane, text=text)
        self.call("POST", "/items", client_id=uuid.uuid4().hex, lane="challenge",
                  text="Lapp från väggen: ingen vet vem som ska godkänna behovsanalysen innan annonsering.")

    def aggregate(self) -> None:
        self.call("PUT", "/phase", phase="aggregate")
        self.themes = [self.call("POST", "/themes", name=name)["theme"]["id"] for name in THEMES]
        items = self.call("GET", "")["items"]
        for n, item in enumerate(items[:-3]):  # three stay ungrouped
            self.call("PUT", f"/items/{item['id']}/theme", theme_id=self.themes[n % len(self.themes)])

    def prioritise(self) -> None:
        self.call("PUT", "/phase", phase="prioritise")
        for n, person in enumerate(self.people):
            # Most dots on the first themes; the eleventh theme gets one voter only.
            first = n % 5
            allocation = {str(self.themes[first]): 3, str(self.themes[(first + 1) % 5]): 2}
            if n == 0:
                allocation = {str(self.themes[10]): 2, str(self.themes[0]): 3}
            self.call("PUT", "/ballot", person["token"], client_id=f"ballot-{n}", allocation=allocation)
        self.call("PUT", "/results", revealed=True)

    def concretise(self) -> None:
        self.call("PUT", "/phase", phase="concretise")
        top = self.themes[:5]
        for n in range(40):
            self.call("POST", "/proposals", self.people[n]["token"], client_id=f"proposal-{n}",
                      theme_id=top[n % 5], type=KINDS[n % len(KINDS)],
                      description=f"{PROPOSALS[n % 4]} (förslag {n + 1})."[:280], who_needs=WHO[n % 4])

    def advice(self) -> None:
        self.call("PUT", "/phase", phase="advice")
        for n, person in enumerate(self.people):
            self.call("PUT", "/advice", person["token"], client_id=f"advice-{n}",
                      text=f"{ADVICE[n % 4]} – råd {n + 1} från {PLACES[n % len(PLACES)]}.")

    def close(self) -> None:
        self.call("PUT", "/joining", open=False)
        self.call("PUT", "/phase", phase="closed")


# Every element that clips what it holds (overflow hidden or clip) must not be hiding text unless
# it shows an ellipsis; every button and link-button shows its label whole; every select is wide
# enough for its chosen option.
UNSEEN = """() => {
  const out = [];
  const shown = (el) => el.getClientRects().length && !el.closest(".visually-hidden")
    && getComputedStyle(el).visibility !== "hidden";
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const ellipsis = (cs) => (cs.webkitLineClamp && cs.webkitLineClamp !== "none") || cs.textOverflow === "ellipsis";
  for (const el of document.querySelectorAll("body *")) {
    if (!shown(el) || ["SELECT", "OPTION", "svg", "IMG"].includes(el.tagName)) continue;
    const cs = getComputedStyle(el);
    const clipY = cs.overflowY === "hidden" || cs.overflowY === "clip";
    const clipX = cs.overflowX === "hidden" || cs.overflowX === "clip";
    const overY = clipY && el.scrollHeight > el.clientHeight + 1;
    const overX = clipX && el.scrollWidth > el.clientWidth + 1;
    if (!(overY || overX) || !el.innerText.trim() || ellipsis(cs)) continue;
    out.push(`${name(el)} hides text (${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight}): ` +
      el.innerText.trim().slice(0, 60));
  }
  for (const el of document.querySelectorAll("button, a.btn, .phase-step")) {
    if (!shown(el)) continue;
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
      out.push(`${name(el)} label does not fit: ${el.innerText.trim().slice(0, 40)}`);
    }
  }
  const canvas = document.createElement("canvas").getContext("2d");
  for (const el of document.querySelectorAll("select")) {
    const cs = getComputedStyle(el);
    if (!shown(el) || el.selectedIndex < 0 || cs.textOverflow === "ellipsis" && el.clientWidth > 120) continue;
    canvas.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const text = el.options[el.selectedIndex].text;
    const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 16;
    if (canvas.measureText(text).width > room) out.push(`${name(el)} too narrow for “${text}” (${el.clientWidth}px)`);
  }
  return out;
}"""


def unseen(page) -> list[str]:
    return page.evaluate(UNSEEN)


def check_screen(page, shots, where: str, shot: str) -> None:
    problems = unseen(page)
    assert not problems, f"{where}: text cut off unseen:\n" + "\n".join(problems)
    assert fits_width(page), f"{where} scrolls sideways"
    assert_accessible(page, where)
    shots(page, shot)


def check_projector(projector, shots, phase: str, size: str) -> int:
    """Every page of the projector's view (and every window of items a theme card steps
    through): each fits; the facilitator's Page Down walks through them all and back to the
    first. Returns the number of pages ("Sida n av m"), 1 when there is no pager."""
    pager = projector.locator(".proj-pager")
    seen: list[str] = []
    pages = 1
    for step in range(80):
        where = f"projector in {phase} at {size}, step {step + 1}"
        problems = unseen(projector)
        assert not problems, f"{where}: text cut off unseen:\n" + "\n".join(problems)
        if step < 2:
            shots(projector, f"screens-{phase}-projector-{size}" + (f"-p{step + 1}" if step else ""))
        at = pager.first.get_attribute("data-at") if pager.count() else None
        if at is None or at in seen:
            break
        seen.append(at)
        found = re.search(r"Sida (\d+) av (\d+)", pager.first.inner_text())
        pages = int(found.group(2)) if found else 1
        projector.keyboard.press("PageDown")
    else:
        raise AssertionError(f"projector in {phase} at {size}: Page Down never came back to the first page")
    if seen:
        assert at == seen[0], f"projector in {phase} at {size}: Page Down went to {at}, not back to {seen[0]}"
    assert_accessible(projector, f"projector in {phase} at {size}")
    return pages


def every_size(screens: dict, shots, phase: str) -> dict:
    """All three screens at all four sizes; returns the projector's page count per size."""
    pages = {}
    for width, height in SIZES:
        size = f"{width}x{height}"
        for page in screens.values():
            page.set_viewport_size({"width": width, "height": height})
        next(iter(screens.values())).wait_for_timeout(350)  # the projector lays out again after a resize
        for name, page in screens.items():
            if name == "projector":
                pages[size] = check_projector(page, shots, phase, size)
            else:
                check_screen(page, shots, f"{name} in {phase} at {size}", f"screens-{phase}-{name}-{size}")
    return pages


def test_every_screen_shows_long_swedish_content_whole_at_every_size(live_server, open_page, shots):
    room = Room(live_server)
    room.collect()
    created = room.created
    console = open_page(created["facilitator_url"], "console", "desktop", locale="sv-SE")
    projector = open_page(created["projector_url"], "projector", "projector", locale="sv-SE")
    phone = open_page(created["join_url"], "phone", "phone-390", locale="sv-SE")
    resume_as(phone, room.code, room.people[0])
    screens = {"console": console, "projector": projector, "phone": phone}
    for page in screens.values():
        page.set_default_timeout(30_000)  # a screenshot of a long page on a busy 2-core machine
    expect(projector.locator(".proj-item").first).to_be_visible(timeout=LIVE)
    expect(projector.locator("#app")).to_have_attribute("data-join", "full")  # the room is joining
    expect(console.locator("#item-count")).to_have_text("101", timeout=LIVE)
    console.locator("#paper-details > summary").click()  # the paper-note form open, its selects measured
    # --- Collect: the newest items that fit, and how many of all those are shown.
    collect = every_size(screens, shots, "collect")
    assert collect["1920x1080"] == 1  # the newest that fit, and how many of all those show
    projector.set_viewport_size({"width": 1920, "height": 1080})
    expect(projector.locator(".proj-pager")).to_contain_text(re.compile(r"De \d+ senaste av 101"))

    # --- Present: Anna's five items, counted among forty people (the paper note is not one).
    room.call("PUT", "/phase", phase="present")
    room.call("PUT", "/spotlight", mode="participant", ordinal=1)
    expect(projector.locator(".proj-spot-who")).to_contain_text("Deltagare 1 av 40", timeout=LIVE)
    expect(projector.locator(".proj-spot-who")).to_contain_text("5 inlägg")
    expect(projector.locator("#app")).to_have_attribute("data-join", "compact")  # joined: a smaller QR
    every_size(screens, shots, "present")
    room.call("PUT", "/spotlight", mode="lane", lane="challenge")
    expect(projector.locator(".proj-spot-who")).to_contain_text("Utmaning", timeout=LIVE)
    lane = every_size({"projector": projector}, shots, "present-lane")
    assert lane["1920x1080"] > 1, "51 challenges page on the projector"

    # --- Aggregate: twelve themes page, six or so at a time, each card's items whole.
    room.aggregate()
    expect(projector.locator(".proj-theme")).to_have_count(12, timeout=LIVE)
    themes = every_size(screens, shots, "aggregate")
    # The grouping suggestions where the facilitator groups: beside the board on a wide screen,
    # above it on a tablet, where Hide folds them so the board comes up.
    suggestions, board = console.locator(".sugg-panel"), console.locator(".agg-panel")
    console.set_viewport_size({"width": 1920, "height": 1080})
    expect(suggestions).to_be_in_viewport()
    assert suggestions.bounding_box()["x"] > board.bounding_box()["x"] + board.bounding_box()["width"]
    console.set_viewport_size({"width": 768, "height": 1024})
    assert suggestions.bounding_box()["y"] < board.bounding_box()["y"]
    below = board.bounding_box()["y"]
    console.get_by_role("button", name="Dölj förslag").click()
    expect(console.get_by_role("button", name="Visa förslag")).to_have_attribute("aria-expanded", "false")
    assert board.bounding_box()["y"] < below
    console.get_by_role("button", name="Visa förslag").click()
    assert themes["1920x1080"] >= 2 and themes["1280x720"] >= 2
    projector.set_viewport_size({"width": 1920, "height": 1080})
    expect(projector.locator(".proj-theme:visible .proj-more").first).to_contain_text(re.compile(r"och \d+ till"))

    # --- Prioritise: twelve results; one theme with a single voter says too few voted.
    room.prioritise()
    expect(projector.locator(".proj-results .result")).to_have_count(12, timeout=LIVE)
    expect(console.locator(".result", has_text=THEMES[10])).to_contain_text(
        "för få röster för att säga något om enigheten", timeout=LIVE)
    every_size(screens, shots, "prioritise")

    # --- Concretise: forty proposals on the top themes.
    room.concretise()
    expect(projector.locator(".proj-theme-count", has_text="8 förslag")).to_have_count(5, timeout=LIVE)
    every_size(screens, shots, "concretise")

    # --- Advice: sixty pieces page by themselves and on the keys.
    room.advice()
    expect(projector.locator(".proj-note")).to_contain_text("60", timeout=LIVE)
    advice = every_size(screens, shots, "advice")
    assert advice["1920x1080"] > 1

    # --- Joining closed: the QR and code go, the count stays. Closed: no room panel, the top
    # themes whole; the phone no longer sends anyone to ask the facilitator.
    room.call("PUT", "/joining", open=False)
    expect(projector.locator("#join-box")).to_be_hidden(timeout=LIVE)
    expect(projector.locator("#participant-count")).to_be_visible()
    room.close()
    expect(projector.locator(".proj-thanks")).to_be_visible(timeout=LIVE)
    expect(projector.locator(".proj-join")).to_be_hidden()
    expect(phone.get_by_text("be facilitatorn")).to_have_count(0, timeout=LIVE)
    every_size(screens, shots, "closed")
    open_page.assert_clean()
