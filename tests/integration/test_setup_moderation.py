"""Templates (customer journey, saved set-ups), tags and perspectives, anonymity modes,
moderation and a participant's own items: through ``operations.perform``, on SQLite and PostgreSQL."""
from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import func, select

from workshop import operations
from workshop.domain.errors import DomainError
from workshop.extensions import db
from workshop.models import AuditEntry, Item, ItemRevision, SavedTemplate, Workshop
from workshop.operations import perform
from workshop.services import setup, snapshots, views
from workshop.services import workshops as ws
from workshop.services import founding


def made(template="think-tank", language="en", anonymity=None):
    created = founding.create_workshop("How do we improve needs assessment?", language, template, None, anonymity)
    return created.workshop.id, created.workshop.code, ws.Identity("facilitator", created.workshop.id)


def join(code, workshop_id, perspective="buyer", name=None):
    participant, _ = operations.join(code, {"perspective": perspective, "name": name})
    return ws.Identity("participant", workshop_id, participant["id"], perspective)


def submit(who, lane="challenge", text="Nobody owns the need", **extra):
    name = "item.add" if who.role == "facilitator" else "item.submit"
    return perform(name, who, {"client_id": uuid.uuid4().hex, "lane": lane, "text": text, **extra}).reply["item"]


def version(workshop_id):
    return db.session.scalar(select(Workshop.version).where(Workshop.id == workshop_id))


def refused(code, name, who, payload):
    before = version(who.workshop_id)
    with pytest.raises(DomainError) as info:
        perform(name, who, payload)
    assert info.value.code == code
    assert version(who.workshop_id) == before
    return info.value


def snap(workshop_id, role, participant_id=None):
    from workshop.models import Participant

    workshop = db.session.get(Workshop, workshop_id)
    participant = db.session.get(Participant, participant_id) if participant_id else None
    return snapshots.snapshot(workshop, role, participant, {})


# --- Templates ------------------------------------------------------------------------------------

def test_templates_are_listed_with_the_built_in_ids_and_customer_journey_stages_in_swedish(app, client):
    ids = [t["id"] for t in client.get("/api/templates").get_json()["templates"]]
    assert ids[:3] == ["think-tank", "customer-journey", "blank"]
    wid, _, _ = made("customer-journey", "sv")
    workshop = db.session.get(Workshop, wid)
    assert workshop.assess_items is True
    assert [lane.name for lane in workshop.lanes][:2] == ["Behovsanalys", "Marknadsdialog"]
    assert [p.key for p in workshop.perspectives][:2] == ["buyer", "supplier"]
    think = db.session.get(Workshop, made("think-tank", "sv")[0])
    assert "tendering" in [t.key for t in think.tags] and think.assess_items is False


def test_a_customer_journey_item_needs_an_assessment_and_a_known_tag(app):
    wid, code, fac = made("customer-journey")
    alice = join(code, wid)
    refused("assessment_required", "item.submit", alice,
            {"client_id": uuid.uuid4().hex, "lane": "tendering", "text": "Short deadlines"})
    with pytest.raises(Exception):  # not one of the two values: the schema refuses it
        perform("item.submit", alice, {"client_id": uuid.uuid4().hex, "lane": "tendering", "text": "x",
                                       "assessment": "fine"})
    refused("tag_unknown", "item.submit", alice, {"client_id": uuid.uuid4().hex, "lane": "tendering",
                                                  "text": "x", "assessment": "works_well", "tag": "nope"})
    item = submit(alice, "tendering", "Clear questions and answers", assessment="works_well", tag="strategic")
    assert (item["assessment"], item["tag"]) == ("works_well", "strategic")
    stored = db.session.get(Item, item["id"])
    assert (stored.assessment, stored.tag) == ("works_well", "strategic")
    paper = submit(fac, "contract", "Nobody follows up", assessment="needs_development")
    assert paper["on_behalf"] is True and db.session.get(Item, paper["id"]).on_behalf is True


def test_a_saved_set_up_becomes_a_template_that_new_workshops_start_from(app, client):
    wid, code, fac = made("customer-journey")
    perform("option.rename", fac, {"kind": "lane", "key": "tendering", "name": "Annonsering"})
    perform("option.add", fac, {"kind": "tag", "name": "Digital tools"})
    perform("setup.anonymity", fac, {"anonymity": "facilitator-only"})
    saved = perform("template.save", fac, {"name": "Our journey"}).reply["template"]
    assert saved["id"].startswith("custom-") and saved["id"] not in ("think-tank", "customer-journey", "blank")
    refused("template_exists", "template.save", fac, {"name": "our journey"})
    listed = client.get("/api/templates").get_json()["templates"]
    assert saved["id"] in [t["id"] for t in listed]
    response = client.post("/api/workshops", json={"question": "Next time", "language": "en",
                                                   "template": saved["id"]})
    assert response.status_code == 201
    new = db.session.scalar(select(Workshop).where(Workshop.code == response.get_json()["code"]))
    assert new.template == saved["id"] and new.assess_items is True and new.anonymity == "facilitator-only"
    assert "Annonsering" in [lane.name for lane in new.lanes]
    assert "Digital tools" in [t.name for t in new.tags]
    assert client.post("/api/workshops", json={"question": "Next time", "language": "en",
                                               "template": "custom-missing"}).status_code == 409


# --- Tags and perspectives --------------------------------------------------------------------------

def test_the_facilitator_adds_renames_and_removes_tags_and_perspectives_but_not_ones_in_use(app):
    wid, code, fac = made()
    added = perform("option.add", fac, {"kind": "tag", "name": "Förvaltning"}).reply
    assert added["key"] == "forvaltning" and "forvaltning" in [t["key"] for t in added["tags"]]
    refused("option_exists", "option.add", fac, {"kind": "tag", "name": "förvaltning"})
    perform("option.rename", fac, {"kind": "perspective", "key": "legal", "name": "Jurist"})
    assert "Jurist" in [p["name"] for p in snap(wid, "projector")["perspectives"]]
    alice = join(code, wid, "buyer")
    submit(alice, tag="forvaltning")
    refused("option_in_use", "option.remove", fac, {"kind": "tag", "key": "forvaltning"})
    refused("option_in_use", "option.remove", fac, {"kind": "perspective", "key": "buyer"})
    refused("option_in_use", "option.remove", fac, {"kind": "lane", "key": "challenge"})
    perform("option.remove", fac, {"kind": "perspective", "key": "legal"})
    assert "legal" not in [p["key"] for p in snap(wid, "facilitator")["perspectives"]]
    refused("option_not_found", "option.remove", fac, {"kind": "tag", "key": "nothing"})


def test_the_facilitator_retags_an_item(app):
    wid, code, fac = made()
    alice = join(code, wid)
    item = submit(alice, tag="tendering")
    edited = perform("item.edit", fac, {"item_id": item["id"], "tag": "specification"}).reply["item"]
    assert edited["tag"] == "specification" and db.session.get(Item, item["id"]).tag == "specification"


# --- Anonymity ------------------------------------------------------------------------------------

@pytest.mark.parametrize("mode, console_sees, screens_see", [
    ("anonymous", False, False), ("facilitator-only", True, False), ("named", True, True)])
def test_each_role_receives_authors_only_as_the_setting_allows(app, mode, console_sees, screens_see):
    wid, code, fac = made(anonymity=mode)
    alice = join(code, wid, "supplier", "Alva Ek")
    bob = join(code, wid, "buyer", "Bo Berg")
    outcome = perform("item.submit", alice, {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "Late"})
    item_id = outcome.reply["item"]["id"]
    perform("phase.set", fac, {"phase": "aggregate"})
    theme_id = perform("theme.create", fac, {"name": "Dialog"}).reply["theme"]["id"]
    assigned = perform("item.assign", fac, {"item_id": item_id, "theme_id": theme_id})
    for change in outcome.changes + assigned.changes:
        console_item = change.for_role("facilitator")["item"]
        screen_item = change.for_role("projector")["item"]
        assert ("author" in console_item) is console_sees and ("author" in screen_item) is screens_see
        assert "participant_id" not in json.dumps([console_item, screen_item])
    payloads = {"facilitator": snap(wid, "facilitator"), "projector": snap(wid, "projector"),
                "bob": snap(wid, "participant", bob.participant_id)}
    for role, payload in payloads.items():
        text = json.dumps(payload, ensure_ascii=False)
        shown = console_sees if role == "facilitator" else screens_see
        assert ("Alva Ek" in text) is shown, (mode, role)
        assert "participant_id" not in text
        perspectives = [i.get("perspective") for i in payload["items"]]
        if role != "facilitator":
            assert perspectives == (["supplier"] if mode == "named" else [None]), (mode, role)
    # Presence carries counts only.
    joined = operations.join(code, {"perspective": "buyer", "name": "Cilla Ny"})
    assert "Cilla" not in json.dumps(views.participants_summary(wid))
    assert joined


def test_anonymity_can_always_become_stricter_but_names_are_never_revealed_after_contributions(app):
    wid, code, fac = made()
    perform("setup.anonymity", fac, {"anonymity": "named"})  # nothing written yet: allowed
    alice = join(code, wid, "buyer", "Alva Ek")
    submit(alice)
    changed = perform("setup.anonymity", fac, {"anonymity": "facilitator-only"})
    assert changed.changes[0].for_role("projector")["show_authors"] is False
    assert changed.changes[0].for_role("facilitator")["show_authors"] is True
    refused("anonymity_locked", "setup.anonymity", fac, {"anonymity": "named"})
    perform("setup.anonymity", fac, {"anonymity": "anonymous"})
    assert "Alva" not in json.dumps(snap(wid, "facilitator"), ensure_ascii=False)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "setup.anonymity")
                               .order_by(AuditEntry.id.desc())).first()
    assert entry.detail["before"] == {"anonymity": "facilitator-only"}
    assert entry.detail["after"] == {"anonymity": "anonymous"}


# --- Moderation ----------------------------------------------------------------------------------

def test_hidden_items_leave_phones_and_projector_come_back_on_restore_and_are_never_deleted(app):
    wid, code, fac = made()
    alice = join(code, wid)
    item = submit(alice, text="Rude remark")
    hidden = perform("item.hide", fac, {"item_id": item["id"]})
    assert hidden.changes[0].for_role("projector") == {"item": {"id": item["id"], "hidden": True}}
    assert "Rude" not in json.dumps(hidden.changes[0].for_role("participant"))
    assert db.session.get(Item, item["id"]) is not None
    assert [i["id"] for i in snap(wid, "projector")["items"]] == []
    assert [i["id"] for i in snap(wid, "participant", alice.participant_id)["items"]] == []
    assert [i["hidden"] for i in snap(wid, "facilitator")["items"]] == [True]
    refused("item_already_hidden", "item.hide", fac, {"item_id": item["id"]})
    refused("item_hidden", "item.edit", alice, {"item_id": item["id"], "text": "Nicer"})
    restored = perform("item.restore", fac, {"item_id": item["id"]})
    assert restored.personal[0].data["item"]["mine"] is True
    assert [i["id"] for i in snap(wid, "projector")["items"]] == [item["id"]]
    refused("item_not_hidden", "item.restore", fac, {"item_id": item["id"]})
    trail = [e["action"] for e in snap(wid, "facilitator")["moderation"]]
    assert trail[:2] == ["item.restore", "item.hide"]
    # Still possible once the workshop is closed, before the guide is shared.
    perform("phase.set", fac, {"phase": "aggregate"})
    perform("theme.create", fac, {"name": "Tone"})
    for phase in ("prioritise", "advice", "closed"):
        perform("phase.set", fac, {"phase": phase})
    perform("item.hide", fac, {"item_id": item["id"]})
    assert db.session.get(Item, item["id"]).hidden is True


def test_a_facilitator_edit_keeps_the_previous_text_with_the_item_and_the_change_in_the_trail(app):
    wid, code, fac = made()
    alice = join(code, wid)
    item = submit(alice, text="Original words")
    perform("item.edit", fac, {"item_id": item["id"], "text": "Edited words", "lane": "success_factor"})
    stored = db.session.get(Item, item["id"])
    assert (stored.text, stored.lane) == ("Edited words", "success_factor")
    revision = db.session.scalar(select(ItemRevision).where(ItemRevision.item_id == item["id"]))
    assert (revision.text, revision.lane) == ("Original words", "challenge")
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "item.edit")).one()
    assert entry.detail["before"] == {"lane": "challenge"} and entry.detail["after"] == {"lane": "success_factor"}
    assert "words" not in json.dumps(entry.detail)  # the trail never holds what people wrote
    moderation = snap(wid, "facilitator")["moderation"][0]
    assert moderation["previous_text"] == "Original words"
    refused("nothing_changed", "item.edit", fac, {"item_id": item["id"], "text": "Edited words"})
    # Withdrawing takes the kept text too.
    perform("contributions.withdraw", alice, {})
    assert db.session.scalar(select(func.count()).select_from(ItemRevision)) == 0


# --- A participant's own items ----------------------------------------------------------------------

def test_a_participant_edits_and_withdraws_only_their_own_ungrouped_items(app):
    wid, code, fac = made()
    alice, bob = join(code, wid), join(code, wid, "supplier")
    mine = submit(alice, text="Typo in thsi")
    other = submit(bob, text="Bob's")
    edited = perform("item.edit", alice, {"item_id": mine["id"], "text": "Typo in this"})
    assert edited.reply["item"]["text"] == "Typo in this" and edited.reply["item"]["mine"] is True
    assert edited.changes[0].type == "item.edited"  # the console and projector; other phones never held it
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "item.edit")) == 0  # participants are never recorded
    refused("not_your_item", "item.edit", alice, {"item_id": other["id"], "text": "Mine now"})
    refused("not_your_item", "item.withdraw", alice, {"item_id": other["id"]})
    perform("phase.set", fac, {"phase": "aggregate"})
    theme_id = perform("theme.create", fac, {"name": "Governance"}).reply["theme"]["id"]
    perform("item.assign", fac, {"item_id": mine["id"], "theme_id": theme_id})
    refused("item_grouped", "item.edit", alice, {"item_id": mine["id"], "text": "Again"})
    refused("item_grouped", "item.withdraw", alice, {"item_id": mine["id"]})
    perform("item.assign", fac, {"item_id": mine["id"], "theme_id": None})
    withdrawn = perform("item.withdraw", alice, {"item_id": mine["id"]})
    assert withdrawn.changes[0].data["item_ids"] == [mine["id"]]
    assert db.session.get(Item, mine["id"]) is None and db.session.get(Item, other["id"]) is not None


def test_templates_of_other_workshops_do_not_change_when_a_workshop_is_renamed(app):
    wid, _, fac = made()
    saved = perform("template.save", fac, {"name": "Frozen"}).reply["template"]
    perform("option.rename", fac, {"kind": "lane", "key": "challenge", "name": "Hinder"})
    row = db.session.scalar(select(SavedTemplate).where(SavedTemplate.key == saved["id"]))
    assert ["challenge", "Challenge"] in row.config["lanes"]
    assert setup.blueprint(saved["id"], "en").lanes[0] == ("challenge", "Challenge")


# --- The guide and its exports ----------------------------------------------------------------------

def test_exports_show_tags_assessments_and_paper_notes_but_no_author_and_no_hidden_item(app, client):
    created = founding.create_workshop("Kundresan", "sv", "customer-journey", None, "named")
    wid, code, token = created.workshop.id, created.workshop.code, created.facilitator_token
    fac = ws.Identity("facilitator", wid)
    alice = join(code, wid, "supplier", "Alva Ek")
    submit(alice, "tendering", "Korta anbudstider", assessment="needs_development", tag="strategic")
    submit(fac, "contract", "Uppföljningen fungerar", assessment="works_well")
    hidden = submit(alice, "tendering", "Otrevlig kommentar", assessment="needs_development")
    perform("item.hide", fac, {"item_id": hidden["id"]})
    headers = {"Authorization": f"Bearer {token}"}
    csv_text = client.get(f"/api/workshops/{code}/guide.csv", headers=headers).get_data(as_text=True)
    assert "Strategisk" in csv_text and "Behöver utvecklas" in csv_text and "Fungerar bra" in csv_text
    assert "Bedömning" in csv_text and "Papperslapp" in csv_text
    markdown = client.get(f"/api/workshops/{code}/guide.md", headers=headers).get_data(as_text=True)
    assert "Behöver utvecklas" in markdown and "Papperslapp" in markdown and "Strategisk" in markdown
    document = client.get(f"/api/workshops/{code}/guide.json", headers=headers).get_json()
    everything = json.dumps(document, ensure_ascii=False) + csv_text + markdown
    assert "Alva" not in everything  # the guide never names authors, whatever the setting
    assert "Otrevlig" not in everything  # a hidden item stays out of every format
    items = {i["text"]: i for i in document["contributions"]}
    assert items["Uppföljningen fungerar"]["on_behalf"] is True
    assert items["Korta anbudstider"]["assessment"] == "needs_development"
    assert items["Korta anbudstider"]["tag"] == "Strategisk"


def test_the_home_form_offers_saved_templates_and_an_anonymity_choice(app, client):
    _, _, fac = made("customer-journey")
    saved = perform("template.save", fac, {"name": "Journey for suppliers"}).reply["template"]
    page = client.get("/").get_data(as_text=True)
    assert "Journey for suppliers" in page and 'value="customer-journey"' in page and 'name="anonymity"' in page
    response = client.post("/", data={"question": "Next journey", "language": "en", "template": saved["id"],
                                      "anonymity": "named"})
    assert response.status_code == 303
    new = db.session.scalars(select(Workshop).order_by(Workshop.id.desc())).first()
    assert new.template == saved["id"] and new.anonymity == "named" and new.assess_items is True
    refused_form = client.post("/", data={"question": "Next journey", "language": "en", "anonymity": "open"})
    assert refused_form.status_code == 400
