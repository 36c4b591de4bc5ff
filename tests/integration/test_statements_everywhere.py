"""One statement per merged group, everywhere: a workshop built through the real services, with a
chain of merges, a merged paper note, a hidden item, a hidden merged duplicate and an unmerge,
counts the same contributions per theme and per lane, each said the same number of times, on the
console, the projector and a phone, in the validation draft, in the guide model and in every guide
format downloaded and read back (Markdown, HTML, DOCX, XLSX, CSV, JSON, PDF); on SQLite and
PostgreSQL. A live test then proves the screens' deltas keep those counts equal to a snapshot.
"""
from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections import Counter

import pypdfium2 as pdfium
import pytest
from docx import Document
from openpyxl import load_workbook

from workshop.domain.guide import build_guide
from workshop.extensions import db
from workshop.models import Participant, Workshop
from workshop.operations import perform
from workshop.services import review, snapshots
from workshop.services import workshops as ws
from workshop.services import founding
from workshop.services.state import load_state

from tests.integration.test_setup_moderation import join, submit

QUESTION = "How do we make needs assessment work?"
OWNER, NO_ONE, NO_OWNER = "Nobody owns the need", "No one owns the need", "The need has no owner"
COPIED, COPY_PASTED, LATE, RUDE = "Requirements are copied", "Requirements are copy-pasted", "Users come in too late", "A rude remark"
NAMED_OWNER, EACH_OWNER = "A named owner for each need", "Someone answers for every need"
MARKET, PAPER = "Talk to the market early", "Early market dialogue"
THEMES = {"Ownership": 3, "Dialogue": 1, "Requirements": 1}  # statements per theme
LANES = {"challenge": 3, "success_factor": 3}  # statements per lane (one unthemed challenge)
MENTIONS = {OWNER: 3, COPIED: 1, LATE: 1, NAMED_OWNER: 1, EACH_OWNER: 1, MARKET: 2}
SAID_THREE = "said 3 times · Procurement officer 1, Requesting department 1, Supplier 1"
SAID_TWO = "said 2 times · Requesting department 1, Perspective not stated 1"
GONE = (NO_ONE, NO_OWNER, PAPER, COPY_PASTED, RUDE)  # never a contribution of their own


def build():
    created = founding.create_workshop(QUESTION, "en", "think-tank", None, None)
    wid, code = created.workshop.id, created.workshop.code
    fac = ws.Identity("facilitator", wid)
    alice, bob, carl = join(code, wid, "buyer"), join(code, wid, "supplier"), join(code, wid, "requester")
    ids = {OWNER: submit(bob, text=OWNER), NO_ONE: submit(alice, text=NO_ONE), NO_OWNER: submit(carl, text=NO_OWNER),
           COPIED: submit(alice, text=COPIED), COPY_PASTED: submit(bob, text=COPY_PASTED),
           LATE: submit(bob, text=LATE), RUDE: submit(carl, text=RUDE),
           NAMED_OWNER: submit(alice, "success_factor", NAMED_OWNER), EACH_OWNER: submit(bob, "success_factor", EACH_OWNER),
           MARKET: submit(carl, "success_factor", MARKET), PAPER: submit(fac, "success_factor", PAPER)}
    ids = {text: item["id"] for text, item in ids.items()}
    perform("item.hide", fac, {"item_id": ids[RUDE]})
    perform("phase.set", fac, {"phase": "aggregate"})
    themes = {name: perform("theme.create", fac, {"name": name}).reply["theme"]["id"] for name in THEMES}
    for name, texts in {"Ownership": [OWNER, NO_ONE, NO_OWNER, NAMED_OWNER, EACH_OWNER],
                        "Dialogue": [MARKET, PAPER], "Requirements": [COPIED, COPY_PASTED]}.items():
        perform("items.move", fac, {"item_ids": [ids[t] for t in texts], "theme_id": themes[name]})
    merge = lambda a, b: perform("item.merge", fac, {"item_id": ids[a], "into_id": ids[b]})  # noqa: E731
    merge(NO_OWNER, NO_ONE)
    merge(NO_ONE, OWNER)  # a chain: NO_OWNER -> NO_ONE -> OWNER
    merge(PAPER, MARKET)  # a paper note has no perspective
    merge(COPY_PASTED, COPIED)
    perform("item.hide", fac, {"item_id": ids[COPY_PASTED]})  # a hidden duplicate is not counted
    merge(EACH_OWNER, NAMED_OWNER)
    perform("item.unmerge", fac, {"item_id": ids[EACH_OWNER]})  # stands alone again
    perform("review.open", fac, {"open": True})
    return created, fac, alice, ids, themes


def screen_counts(view: dict, theme_names: dict[int, str]) -> tuple[Counter, Counter, dict]:
    """What a screen shows, counted as its JavaScript does (live-state.js ``visibleItems``)."""
    items = [i for i in view["items"] if not i.get("hidden") and not i.get("merged_into")]
    per_theme = Counter(theme_names[i["theme_id"]] for i in items if i["theme_id"] is not None)
    return per_theme, Counter(i["lane"] for i in items), {i["text"]: i["mentions"] for i in items}


def download(client, code, token, fmt) -> bytes:
    response = client.get(f"/api/workshops/{code}/guide.{fmt}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.data


THEMED, UNTHEMED = "Prioritised themes", "Not grouped into a theme"


def markdown_counts(text: str) -> tuple[Counter, Counter]:
    """Each contribution is one list line under its theme's lane heading (#### Challenges), or under
    the unthemed chapter's lane heading (### Challenges)."""
    per_theme, per_lane, chapter, heading, lane = Counter(), Counter(), None, None, None
    for line in text.splitlines():
        if line.startswith("## "):
            chapter, lane = line[3:], None
        elif line.startswith("### "):
            heading = re.sub(r"^\d+\. ", "", line[4:])
            lane = heading if chapter == UNTHEMED else None
        elif line.startswith("#### "):
            lane = line[5:]
        elif line.startswith("- ") and chapter in (THEMED, UNTHEMED) and lane:
            per_lane[lane] += 1
            if chapter == THEMED:
                per_theme[heading] += 1
    return per_theme, per_lane


def docx_counts(data: bytes) -> tuple[Counter, Counter]:
    """Themes are Heading 2 and their lanes Heading 3; the unthemed chapter's lanes Heading 2."""
    per_theme, per_lane, chapter, heading, lane = Counter(), Counter(), None, None, None
    for paragraph in Document(io.BytesIO(data)).paragraphs:
        style = paragraph.style.name
        if style == "Heading 1":
            chapter, lane = paragraph.text, None
        elif style == "Heading 2":
            heading = re.sub(r"^\d+\. ", "", paragraph.text)
            lane = heading if chapter == UNTHEMED else None
        elif style == "Heading 3":
            lane = paragraph.text
        elif style == "List Bullet" and chapter in (THEMED, UNTHEMED) and lane:
            per_lane[lane] += 1
            if chapter == THEMED:
                per_theme[heading] += 1
    return per_theme, per_lane


def pdf_counts(data: bytes) -> tuple[Counter, Counter, str]:
    """Each contribution is printed once, with its number ("No. n"), under its theme and lane; the
    themes' names first appear as the themes chapter's headings (nobody voted, so no summary)."""
    document = pdfium.PdfDocument(io.BytesIO(data))
    text = " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)
    contents = text.index("Prioritised themes")  # the contents' entry; the chapter comes after
    starts = [text.index(name, text.index("Prioritised themes", contents + 1)) for name in THEMES]
    unthemed = text.index(UNTHEMED, starts[-1])
    end = text.index("Advice from the participants", unthemed)
    bounds = starts + [unthemed]
    per_theme = Counter({name: text[bounds[n]:bounds[n + 1]].count("No. ") for n, name in enumerate(THEMES)})
    per_lane = Counter()
    for part in re.split(r"(?=Challenges|Success factors)", text[starts[0]:end]):
        for lane in ("Challenges", "Success factors"):
            if part.startswith(lane):
                per_lane[lane] += part.count("No. ")
    return per_theme, per_lane, text


def test_every_screen_the_draft_the_guide_and_each_format_count_a_merged_group_once(app, client):
    created, fac, alice, ids, themes = build()
    wid, code = created.workshop.id, created.workshop.code
    names = {tid: name for name, tid in themes.items()}
    workshop = db.session.get(Workshop, wid)
    lanes = Counter(LANES)
    expected = (Counter(THEMES), lanes, MENTIONS)

    # The screens, as their snapshots give them.
    console = snapshots.snapshot(workshop, "facilitator", None, {})
    projector = snapshots.snapshot(workshop, "projector", None, {})
    phone = snapshots.snapshot(workshop, "participant", db.session.get(Participant, alice.participant_id), {})
    assert screen_counts(console, names) == expected
    assert screen_counts(projector, names) == expected
    phone_themes, _, phone_mentions = screen_counts(phone, names)  # a phone holds themed and own items only
    assert phone_themes == Counter(THEMES) and phone_mentions.items() <= MENTIONS.items()
    assert phone_mentions[OWNER] == 3 and phone_mentions[MARKET] == 2
    [group] = [i for i in console["items"] if i["id"] == ids[OWNER]]
    assert group["perspectives"] == [{"key": "buyer", "count": 1}, {"key": "requester", "count": 1},
                                     {"key": "supplier", "count": 1}]
    [paper] = [i for i in console["items"] if i["id"] == ids[MARKET]]
    assert paper["perspectives"] == [{"key": "requester", "count": 1}, {"key": None, "count": 1}]
    # Anonymous workshop: counts for everyone, the perspectives behind them for the console only.
    assert all("perspectives" not in i for i in projector["items"] + phone["items"])

    # The validation draft, on the phone and on the console.
    for who in (alice, fac):
        draft = review.draft(who)["draft"]
        assert Counter({t["name"]: len(t["items"]) for t in draft["themes"]}) == Counter(THEMES)
        assert {i["text"]: i["mentions"] for t in draft["themes"] for i in t["items"]}.items() <= MENTIONS.items()
        assert draft["contributions"] == sum(LANES.values())
        assert ("perspectives" in draft["themes"][0]["items"][0]) is (who is fac)

    # The guide model.
    guide = build_guide(load_state(workshop))
    assert Counter({t.name: len(t.items) for t in guide.themes}) == Counter(THEMES)
    assert Counter({lane.key: lane.item_count for lane in guide.lanes}) == lanes
    assert {i.text: i.mentions for i in guide.appendix} == MENTIONS
    [owner] = [i for i in guide.appendix if i.text == OWNER]
    assert owner.also_said == (NO_ONE, NO_OWNER)

    # Every format, downloaded as the organiser does and read back.
    token, titles = created.facilitator_token, {"Challenges": "challenge", "Success factors": "success_factor"}
    markdown = download(client, code, token, "md").decode()
    md_themes, md_lanes = markdown_counts(markdown)
    assert md_themes == Counter(THEMES) and Counter({titles[k]: v for k, v in md_lanes.items()}) == lanes
    assert SAID_THREE in markdown and SAID_TWO in markdown
    assert "also said as: “No one owns the need”; “The need has no owner”" in markdown
    html = download(client, code, token, "html").decode()
    assert html.count(SAID_THREE) == 1  # printed in full once, under its theme and lane
    docx = download(client, code, token, "docx")
    dx_themes, dx_lanes = docx_counts(docx)
    assert dx_themes == Counter(THEMES) and Counter({titles[k]: v for k, v in dx_lanes.items()}) == lanes
    said = {}
    for paragraph in Document(io.BytesIO(docx)).paragraphs:
        if paragraph.style.name == "List Bullet" and "  No. " in paragraph.text:
            text, details = paragraph.text.split("  No. ", 1)
            found = re.search(r"said (\d+) times", details)
            said[text] = int(found.group(1)) if found else 1
    assert said == MENTIONS

    book = load_workbook(io.BytesIO(download(client, code, token, "xlsx")))
    rows = list(book["Contributions"].iter_rows(values_only=True))
    header = rows[0]
    column = {name: header.index(name) for name in ("Contribution", "Lane", "Theme", "Times said", "Also said as")}
    lane_names = {"Challenge": "challenge", "Success factor": "success_factor"}
    assert Counter(r[column["Theme"]] for r in rows[1:] if r[column["Theme"]] in THEMES) == Counter(THEMES)
    assert Counter(lane_names[r[column["Lane"]]] for r in rows[1:]) == lanes
    assert {r[column["Contribution"]]: r[column["Times said"]] for r in rows[1:]} == MENTIONS
    themes_sheet = list(book["Themes"].iter_rows(values_only=True))
    assert {r[1]: r[themes_sheet[0].index("Contributions")] for r in themes_sheet[1:]} == THEMES
    table = list(csv.reader(io.StringIO(download(client, code, token, "csv").decode("utf-8-sig"))))
    assert [row[:2] + row[10:11] for row in table[1:]] == [[str(r[0]), r[1], str(r[10])] for r in rows[1:]]

    document = json.loads(download(client, code, token, "json"))
    contributions = {c["ref"]: c for c in document["contributions"]}
    assert {t["name"]: len(t["contributions"]) for t in document["themes"]} == THEMES
    assert {lane["key"]: sum(len(g["contributions"]) for g in lane["groups"]) for lane in document["lanes"]} == LANES
    assert {c["text"]: c["mentions"] for c in contributions.values()} == MENTIONS
    assert all(sum(p["count"] for p in c["perspectives"]) == c["mentions"] for c in contributions.values())

    pdf_themes, pdf_lanes, pdf_text = pdf_counts(download(client, code, token, "pdf"))
    assert pdf_themes == Counter(THEMES) and Counter({titles[k]: v for k, v in pdf_lanes.items()}) == lanes
    assert "said 3 times" in pdf_text and "also said as" in pdf_text

    # Merged duplicates and hidden items are never contributions of their own: a duplicate's words
    # appear only as "also said as" under the statement; a hidden text nowhere.
    for fmt_text in (markdown, json.dumps(document, ensure_ascii=False)):
        for text in GONE:
            assert fmt_text.count(text) <= 1, text
    assert RUDE not in markdown and RUDE not in pdf_text and COPY_PASTED not in markdown


def test_a_named_workshop_shows_every_screen_the_perspectives_behind_a_group(app):
    created = founding.create_workshop(QUESTION, "en", "think-tank", None, "named")
    wid, code = created.workshop.id, created.workshop.code
    fac = ws.Identity("facilitator", wid)
    alice, bob = join(code, wid, "buyer", "Alice"), join(code, wid, "supplier", "Bob")
    keep, dup = submit(bob, text=OWNER)["id"], submit(alice, text=NO_ONE)["id"]
    perform("phase.set", fac, {"phase": "aggregate"})
    theme_id = perform("theme.create", fac, {"name": "Ownership"}).reply["theme"]["id"]
    perform("items.move", fac, {"item_ids": [keep, dup], "theme_id": theme_id})  # phones hold grouped items
    change = perform("item.merge", fac, {"item_id": dup, "into_id": keep}).changes[0]
    both = [{"key": "buyer", "count": 1}, {"key": "supplier", "count": 1}]
    for role in ("participant", "projector", "facilitator"):
        [shown] = [i for i in change.for_role(role)["items"] if i["id"] == keep]
        assert (shown["mentions"], shown["perspectives"]) == (2, both), role
        [snapped] = [i for i in snapshots.snapshot(db.session.get(Workshop, wid), role, None, {})["items"]
                     if i["id"] == keep]
        assert {k: snapped[k] for k in ("mentions", "perspectives", "perspective")} == \
            {k: shown[k] for k in ("mentions", "perspectives", "perspective")}, role


def _said(state: dict) -> list:
    return sorted((i["id"], i["theme_id"], i["mentions"], json.dumps(i.get("perspectives")))
                  for i in state["items"] if not i.get("hidden") and not i.get("merged_into"))


@pytest.mark.e2e
def test_the_deltas_keep_every_screens_counts_equal_to_a_snapshot(live_server, screens):
    """Real server, real Socket.IO clients: merges along a chain, an unmerge in the middle of it, an
    undo and a participant withdrawing a merged duplicate move ``mentions`` on every screen as a
    fresh snapshot has them."""
    created = live_server.create_workshop("How do we follow up our contracts?", "en")
    console = screens(live_server, "facilitator", created["facilitator_token"])
    projector = screens(live_server, "projector", created["projector_token"])
    authors = [live_server.join(created["code"], p) for p in ("supplier", "buyer", "requester")]
    phone = screens(live_server, "participant", authors[1]["token"])
    texts = [OWNER, NO_ONE, NO_OWNER, LATE]
    ids = [live_server.api("POST", f"/api/workshops/{created['code']}/items", token=authors[n % 3]["token"],
                           json={"client_id": uuid.uuid4().hex, "lane": "challenge", "text": t}).json()["item"]["id"]
           for n, t in enumerate(texts)]
    assert console.call("phase.set", {"phase": "aggregate"})["ok"]
    theme = console.call("theme.create", {"name": "Ownership"})["theme"]
    before = console.fresh()["version"]
    for event, payload in [("items.move", {"item_ids": ids[:3], "theme_id": theme["id"]}),
                           ("item.merge", {"item_id": ids[2], "into_id": ids[1]}),
                           ("item.merge", {"item_id": ids[1], "into_id": ids[0]}),  # 2 -> 1 -> 0: said 3 times
                           ("item.unmerge", {"item_id": ids[2]}),  # the chain's end: 0 is said twice now
                           ("aggregation.undo", {}),  # and three times again
                           ("item.merge", {"item_id": ids[3], "into_id": ids[0]})]:
        reply = console.call(event, payload)
        assert reply["ok"], (event, reply)
        for screen in (console, projector, phone):  # after every step, not only at the end
            screen.caught_up()
            assert _said(screen.live_state()) == _said(screen.fresh()), (event, screen.role)
    assert {i["id"]: i["mentions"] for i in console.fresh()["items"]}[ids[0]] == 4
    # The requester withdraws everything: their merged duplicate is no longer counted anywhere.
    requester = screens(live_server, "participant", authors[2]["token"])
    assert requester.call("contributions.withdraw", {})["ok"]
    for screen in (console, projector, phone):
        screen.caught_up()
        assert _said(screen.live_state()) == _said(screen.fresh()), screen.role
        assert screen.version > before
    assert {i["id"]: i["mentions"] for i in console.fresh()["items"]}[ids[0]] == 3
