"""Aggregation through ``operations.perform`` on SQLite and PostgreSQL: merge and unmerge themes
and items with provenance, split, move several, undo (persisted, refused when stale), and the
grouping suggestions the facilitator accepts or rejects."""
from __future__ import annotations

import json

import pytest
from marshmallow import ValidationError
from sqlalchemy import select, update

from tests.integration.test_services import join, new_workshop, refused, snapshot, submit, theme, version
from workshop import create_app
from workshop.domain.errors import Forbidden
from workshop.extensions import db
from workshop.models import AggregationStep, Item, Theme, Vote, Workshop
from workshop.operations import perform
from workshop.services import state, views
from workshop.services.provenance import surviving_themes


def grouped(fac, names_to_texts: dict[str, list[str]], who=None):
    """A workshop in the aggregate phase with themes holding the given items (by text)."""
    ids, themes = {}, {}
    for texts in names_to_texts.values():
        for text in texts:
            ids[text] = submit(who or fac, text).reply["item"]["id"]
    perform("phase.set", fac, {"phase": "aggregate"})
    for name, texts in names_to_texts.items():
        if name is None:
            continue
        themes[name] = theme(fac, name)
        for text in texts:
            perform("item.assign", fac, {"item_id": ids[text], "theme_id": themes[name]})
    return ids, themes


def theme_of(item_id: int) -> int | None:
    return db.session.scalar(select(Item.theme_id).where(Item.id == item_id))


def texts_in(view: dict, theme_id) -> set[str]:
    return {i["text"] for i in view["items"] if i["theme_id"] == theme_id}


def test_merging_a_theme_keeps_its_row_shows_its_items_under_the_other_and_unmerge_gives_back_exactly_its_items(app):
    created, fac = new_workshop()
    ids, themes = grouped(fac, {"Time": ["Too little time", "Deadlines too short"],
                                "Planning": ["No shared plan"], None: ["Loose item"]})
    time_, plan = themes["Time"], themes["Planning"]
    outcome = perform("theme.merge", fac, {"theme_id": plan, "into_id": time_})
    assert [c.type for c in outcome.changes] == ["themes.changed"]
    assert db.session.get(Theme, plan).merged_into_id == time_  # the row stays
    for role in ("projector", "participant"):
        view = snapshot(app, created, role)
        assert [t["id"] for t in view["themes"]] == [time_]
    console = snapshot(app, created, "facilitator")
    assert texts_in(console, time_) == {"Too little time", "Deadlines too short", "No shared plan"}
    origin = {i["text"]: i["origin_theme_id"] for i in console["items"]}
    assert origin["No shared plan"] == plan and origin["Too little time"] is None
    assert [m["name"] for m in next(t for t in console["themes"] if t["id"] == time_)["merged"]] == ["Planning"]
    # Later: an item of the merged theme moves away, another one joins the surviving theme.
    perform("item.assign", fac, {"item_id": ids["Loose item"], "theme_id": time_})
    perform("theme.unmerge", fac, {"theme_id": plan})
    assert db.session.get(Theme, plan).merged_into_id is None
    assert theme_of(ids["No shared plan"]) == plan
    assert {theme_of(ids[t]) for t in ("Too little time", "Deadlines too short", "Loose item")} == {time_}
    assert db.session.get(Item, ids["No shared plan"]).origin_theme_id is None


def test_unmerging_returns_only_the_items_that_are_still_where_the_merge_put_them(app):
    created, fac = new_workshop()
    ids, themes = grouped(fac, {"A": ["a1"], "B": ["b1", "b2"], "C": ["c1"]})
    perform("theme.merge", fac, {"theme_id": themes["B"], "into_id": themes["A"]})
    perform("item.assign", fac, {"item_id": ids["b2"], "theme_id": themes["C"]})
    perform("theme.unmerge", fac, {"theme_id": themes["B"]})
    assert theme_of(ids["b1"]) == themes["B"] and theme_of(ids["b2"]) == themes["C"]
    assert theme_of(ids["a1"]) == themes["A"]


def test_a_chain_of_merges_unmerges_with_what_was_merged_into_the_middle_theme(app):
    created, fac = new_workshop()
    ids, themes = grouped(fac, {"A": ["a1"], "B": ["b1"], "C": ["c1"]})
    perform("theme.merge", fac, {"theme_id": themes["C"], "into_id": themes["B"]})
    perform("theme.merge", fac, {"theme_id": themes["B"], "into_id": themes["A"]})
    assert surviving_themes(created.id) == {themes["A"]: themes["A"], themes["B"]: themes["A"], themes["C"]: themes["A"]}
    perform("theme.unmerge", fac, {"theme_id": themes["B"]})
    assert theme_of(ids["b1"]) == themes["B"] and theme_of(ids["c1"]) == themes["B"]
    assert db.session.get(Theme, themes["C"]).merged_into_id == themes["B"]


def test_ballots_cast_on_a_merged_theme_count_for_the_theme_it_was_merged_into(app):
    created, fac = new_workshop()
    alice, _ = join(created)
    bob, _ = join(created, "supplier")
    ids, themes = grouped(fac, {"Time": ["t1"], "Plan": ["p1"], "Cost": ["c1"]})
    perform("phase.set", fac, {"phase": "prioritise"})
    perform("ballot.set", alice, {"client_id": "ballot-alice-1", "allocation": {str(themes["Plan"]): 3,
                                                                                str(themes["Time"]): 1}})
    perform("ballot.set", bob, {"client_id": "ballot-bob-001", "allocation": {str(themes["Cost"]): 2}})
    perform("theme.merge", fac, {"theme_id": themes["Plan"], "into_id": themes["Time"]})
    scores = {e.entry_id: (e.score, e.voters) for e in state.tally(created.id).entries}
    assert scores == {themes["Time"]: (4, 1), themes["Cost"]: (2, 1)}
    assert db.session.scalar(select(Vote.value).where(Vote.entry_id == themes["Plan"])) == 3  # kept as cast
    perform("results.reveal", fac, {"revealed": True})
    results = views.results_view(db.session.get(Workshop, created.id), "participant")
    assert {e["theme_id"]: e["score"] for e in results["entries"]} == {themes["Time"]: 4, themes["Cost"]: 2}
    guide_state = state.load_state(db.session.get(Workshop, created.id))
    assert sum(b.allocation.get(themes["Time"], 0) for b in guide_state.ballots) == 4
    perform("theme.unmerge", fac, {"theme_id": themes["Plan"]})
    scores = {e.entry_id: e.score for e in state.tally(created.id).entries}
    assert scores == {themes["Time"]: 1, themes["Plan"]: 3, themes["Cost"]: 2}


def test_a_merged_duplicate_item_is_kept_shown_once_on_screens_with_its_text_on_the_console_and_unmerges(app):
    created, fac = new_workshop()
    alice, _ = join(created)
    ids, themes = grouped(fac, {"Owner": ["Nobody owns the need", "No one owns the need"]}, who=alice)
    keep, other = ids["Nobody owns the need"], ids["No one owns the need"]
    outcome = perform("item.merge", fac, {"item_id": other, "into_id": keep})
    change = outcome.changes[0]
    assert change.type == "themes.changed" and change.data["removed_item_ids"] == [other]
    assert db.session.get(Item, other).text == "No one owns the need"  # never lost
    for role in ("projector", "participant"):
        view = snapshot(app, created, role)
        assert [i["id"] for i in view["items"]] == [keep], role
    projector = json.dumps(snapshot(app, created, "projector"))
    assert "No one owns the need" not in projector
    console = snapshot(app, created, "facilitator")
    [shown] = [i for i in console["items"] if i["id"] == keep]
    assert [m["text"] for m in shown["merged"]] == ["No one owns the need"]
    assert other not in [i["id"] for i in console["items"]]
    # The guide keeps both texts, side by side in one theme.
    guide = state.load_state(db.session.get(Workshop, created.id))
    assert {i.text: i.theme_id for i in guide.items} == {"Nobody owns the need": themes["Owner"],
                                                         "No one owns the need": themes["Owner"]}
    refused("item_merged", "item.assign", fac, {"item_id": other, "theme_id": None})
    perform("item.unmerge", fac, {"item_id": other})
    assert sorted(i["id"] for i in snapshot(app, created, "projector")["items"]) == sorted([keep, other])


def test_split_takes_chosen_items_of_a_theme_into_a_new_named_theme_and_refuses_items_of_other_themes(app):
    created, fac = new_workshop()
    ids, themes = grouped(fac, {"Big": ["b1", "b2", "b3"], "Other": ["o1"]})
    before = version(created.id)
    reply = perform("theme.split", fac, {"theme_id": themes["Big"], "name": "Small",
                                         "item_ids": [ids["b2"], ids["b3"]]}).reply
    assert version(created.id) == before + 1
    assert reply["theme"]["name"] == "Small"
    assert {theme_of(ids["b2"]), theme_of(ids["b3"])} == {reply["theme"]["id"]}
    assert theme_of(ids["b1"]) == themes["Big"]
    refused("split_foreign_item", "theme.split", fac, {"theme_id": themes["Big"], "name": "X", "item_ids": [ids["o1"]]})
    with pytest.raises(ValidationError):
        perform("theme.split", fac, {"name": "X", "item_ids": []})


def test_moving_several_items_at_once_is_one_change(app):
    created, fac = new_workshop()
    ids, themes = grouped(fac, {None: ["x1", "x2", "x3"], "T": []})
    before = version(created.id)
    outcome = perform("items.move", fac, {"item_ids": [ids["x1"], ids["x2"]], "theme_id": themes["T"]})
    assert version(created.id) == before + 1 and len(outcome.changes) == 1
    assert {i["id"] for i in outcome.changes[0].data["items"]} == {ids["x1"], ids["x2"]}
    assert [theme_of(ids[t]) for t in ("x1", "x2", "x3")] == [themes["T"], themes["T"], None]
    perform("items.move", fac, {"item_ids": [ids["x1"]], "theme_id": None})
    assert theme_of(ids["x1"]) is None


@pytest.mark.parametrize("action", ["create", "rename", "delete", "assign", "merge", "unmerge", "split", "move",
                                    "item_merge", "item_unmerge"])
def test_undo_reverts_each_kind_of_step_exactly(app, action):
    created, fac = new_workshop()
    ids, themes = grouped(fac, {"A": ["a1", "a2"], "B": ["b1"], None: ["loose"]})
    a, b = themes["A"], themes["B"]
    if action == "unmerge":
        perform("theme.merge", fac, {"theme_id": b, "into_id": a})
    if action == "item_unmerge":
        perform("item.merge", fac, {"item_id": ids["a2"], "into_id": ids["a1"]})

    def picture():
        return (sorted((t.id, t.name, t.position, t.merged_into_id) for t in db.session.scalars(select(Theme))),
                sorted((i.id, i.theme_id, i.origin_theme_id, i.merged_into_id) for i in db.session.scalars(select(Item))))

    db.session.expire_all()
    start = picture()
    {
        "create": lambda: theme(fac, "New"),
        "rename": lambda: perform("theme.rename", fac, {"theme_id": a, "name": "Renamed"}),
        "delete": lambda: perform("theme.delete", fac, {"theme_id": a}),
        "assign": lambda: perform("item.assign", fac, {"item_id": ids["loose"], "theme_id": b}),
        "merge": lambda: perform("theme.merge", fac, {"theme_id": b, "into_id": a}),
        "unmerge": lambda: perform("theme.unmerge", fac, {"theme_id": b}),
        "split": lambda: perform("theme.split", fac, {"theme_id": a, "name": "S", "item_ids": [ids["a2"]]}),
        "move": lambda: perform("items.move", fac, {"item_ids": [ids["a1"], ids["loose"]], "theme_id": b}),
        "item_merge": lambda: perform("item.merge", fac, {"item_id": ids["b1"], "into_id": ids["a1"]}),
        "item_unmerge": lambda: perform("item.unmerge", fac, {"item_id": ids["a2"]}),
    }[action]()
    db.session.expire_all()
    assert picture() != start
    outcome = perform("aggregation.undo", fac, {})
    assert [c.type for c in outcome.changes] == ["themes.changed"]
    db.session.expire_all()
    assert picture() == start


def test_undo_is_kept_in_the_database_and_works_after_a_restart(database_url, tmp_path):
    first = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, PUBLIC_URL="http://workshop.test")
    with first.app_context():
        db.create_all()
        created, fac = new_workshop()
        ids, themes = grouped(fac, {"A": ["a1"], "B": ["b1"]})
        perform("theme.merge", fac, {"theme_id": themes["B"], "into_id": themes["A"]})
        db.session.remove()
        db.engine.dispose()
    second = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, PUBLIC_URL="http://workshop.test")
    with second.app_context():
        shown = snapshot(second, created, "facilitator")["aggregation"]["undo"]
        assert shown["kind"] == "theme.merge"
        perform("aggregation.undo", fac, {"step_id": shown["id"]})
        assert db.session.get(Theme, themes["B"]).merged_into_id is None
        assert theme_of(ids["b1"]) == themes["B"]
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def test_undo_of_a_step_whose_state_changed_since_is_refused_and_changes_nothing(app):
    created, fac = new_workshop()
    alice, _ = join(created)
    ids, themes = grouped(fac, {"A": ["a1"], "B": ["b1"]}, who=alice)
    perform("theme.merge", fac, {"theme_id": themes["B"], "into_id": themes["A"]})
    step_id = db.session.scalar(select(AggregationStep.id).order_by(AggregationStep.id.desc()).limit(1))
    # Something that is not a grouping step changes what the merge touched (a withdrawal is not
    # such a change: it takes its items out of the history, see the next test).
    db.session.execute(update(Item).where(Item.id == ids["b1"]).values(theme_id=None))
    db.session.commit()
    error = refused("undo_conflict", "aggregation.undo", fac, {"step_id": step_id})
    assert "changed since" in str(error)
    assert db.session.get(Theme, themes["B"]).merged_into_id == themes["A"]
    assert db.session.get(AggregationStep, step_id).undone_at is None


def test_undo_after_a_withdrawal_undoes_what_is_left_and_brings_back_nothing_withdrawn(app):
    created, fac = new_workshop()
    alice, _ = join(created)
    ids, themes = grouped(fac, {"A": ["a1"], "B": ["b1"]}, who=alice)
    perform("theme.merge", fac, {"theme_id": themes["B"], "into_id": themes["A"]})
    perform("contributions.withdraw", alice, {})
    perform("aggregation.undo", fac, {"step_id": None})
    assert db.session.get(Theme, themes["B"]).merged_into_id is None
    assert db.session.scalars(select(Item.id).where(Item.workshop_id == created.id)).all() == []


def test_undo_refuses_when_another_step_was_recorded_after_the_one_the_console_showed(app):
    created, fac = new_workshop()
    ids, themes = grouped(fac, {"A": ["a1"], None: ["x"]})
    shown = perform("item.assign", fac, {"item_id": ids["x"], "theme_id": themes["A"]})
    seen = db.session.scalar(select(AggregationStep.id).order_by(AggregationStep.id.desc()).limit(1))
    perform("theme.rename", fac, {"theme_id": themes["A"], "name": "Renamed elsewhere"})
    error = refused("undo_moved_on", "aggregation.undo", fac, {"step_id": seen})
    assert "Renamed elsewhere" in str(error)
    assert shown.reply["item"]["theme_id"] == themes["A"] and theme_of(ids["x"]) == themes["A"]


def test_undo_of_a_created_theme_that_received_votes_is_refused(app):
    created, fac = new_workshop()
    alice, _ = join(created)
    submit(alice)
    perform("phase.set", fac, {"phase": "aggregate"})
    new = theme(fac, "Voted on")
    perform("phase.set", fac, {"phase": "prioritise"})
    perform("ballot.set", alice, {"client_id": "ballot-alice-9", "allocation": {str(new): 1}})
    # The phase changes are not grouping steps: the latest step is still the creation.
    refused("undo_votes", "aggregation.undo", fac, {})
    assert db.session.get(Theme, new) is not None


def test_nothing_to_undo_is_said_plainly(app):
    created, fac = new_workshop()
    refused("nothing_to_undo", "aggregation.undo", fac, {})


def test_a_merged_theme_cannot_be_renamed_or_receive_items_and_a_theme_holding_merged_ones_cannot_be_deleted(app):
    created, fac = new_workshop()
    ids, themes = grouped(fac, {"A": ["a1"], "B": ["b1"], None: ["x"]})
    perform("theme.merge", fac, {"theme_id": themes["B"], "into_id": themes["A"]})
    refused("theme_merged", "theme.rename", fac, {"theme_id": themes["B"], "name": "No"})
    refused("theme_merged", "item.assign", fac, {"item_id": ids["x"], "theme_id": themes["B"]})
    refused("theme_merged", "theme.merge", fac, {"theme_id": themes["A"], "into_id": themes["B"]})
    refused("theme_has_merged", "theme.delete", fac, {"theme_id": themes["A"]})
    refused("merge_same", "theme.merge", fac, {"theme_id": themes["A"], "into_id": themes["A"]})
    refused("theme_not_merged", "theme.unmerge", fac, {"theme_id": themes["A"]})
    refused("merge_same_item", "item.merge", fac, {"item_id": ids["x"], "into_id": ids["x"]})
    refused("item_not_merged", "item.unmerge", fac, {"item_id": ids["x"]})


def test_suggestions_are_listed_for_the_console_only_change_nothing_and_a_rejected_one_is_not_proposed_again(app):
    created, fac = new_workshop(language="sv")
    alice, _ = join(created)
    for text in ("Det finns ingen tydlig behovsägare", "Vi saknar en tydlig behovsägare",
                 "Inför mätbara nyckeltal i avtalet", "Avtalet behöver mätbara nyckeltal",
                 "Små företag orkar inte lämna anbud"):
        submit(alice, text)
    perform("phase.set", fac, {"phase": "aggregate"})
    before = version(created.id)
    found = perform("suggestions.list", fac, {}).reply["suggestions"]
    assert version(created.id) == before and db.session.scalar(select(Item.id).where(Item.theme_id.is_not(None))) is None
    pairs = [{d["keep"]["text"], d["other"]["text"]} for d in found["duplicates"]]
    assert {"Inför mätbara nyckeltal i avtalet", "Avtalet behöver mätbara nyckeltal"} in pairs
    assert found["themes"] and all(len(t["items"]) >= 2 for t in found["themes"])
    refused("not_allowed", "suggestions.list", alice, {}, Forbidden)
    rejected = found["duplicates"][0]
    perform("suggestion.reject", fac, {"key": rejected["key"]})
    perform("suggestion.reject", fac, {"key": rejected["key"]})  # twice is once
    again = perform("suggestions.list", fac, {}).reply["suggestions"]
    assert rejected["key"] not in [d["key"] for d in again["duplicates"]]
    for role in ("participant", "projector", "facilitator"):
        assert "suggestions" not in snapshot(app, created, role)


def test_accepting_a_theme_suggestion_groups_its_items_through_the_ordinary_path_as_one_undoable_step(app):
    created, fac = new_workshop()
    for text in ("We need clearer climate requirements", "Set clearer climate requirements",
                 "Small suppliers cannot compete", "Small suppliers can't compete on price"):
        submit(fac, text)
    perform("phase.set", fac, {"phase": "aggregate"})
    proposal = perform("suggestions.list", fac, {}).reply["suggestions"]["themes"][0]
    # Edited before accepting: renamed, one item dropped.
    chosen = [i["id"] for i in proposal["items"]][:2]
    reply = perform("theme.split", fac, {"name": "Climate (edited)", "item_ids": chosen}).reply
    assert {theme_of(i) for i in chosen} == {reply["theme"]["id"]}
    remaining = perform("suggestions.list", fac, {}).reply["suggestions"]["themes"]
    assert proposal["key"] not in [t["key"] for t in remaining]
    perform("aggregation.undo", fac, {})
    assert {theme_of(i) for i in chosen} == {None}
    assert db.session.get(Theme, reply["theme"]["id"]) is None


def test_accepting_a_duplicate_suggestion_merges_the_pair(app):
    created, fac = new_workshop()
    for text in ("Contracts are not followed up after signing", "Nobody follows up contracts after signing",
                 "Budget is fixed too early"):
        submit(fac, text)
    perform("phase.set", fac, {"phase": "aggregate"})
    pair = perform("suggestions.list", fac, {}).reply["suggestions"]["duplicates"][0]
    perform("item.merge", fac, {"item_id": pair["other"]["id"], "into_id": pair["keep"]["id"]})
    assert db.session.get(Item, pair["other"]["id"]).merged_into_id == pair["keep"]["id"]
    assert perform("suggestions.list", fac, {}).reply["suggestions"]["duplicates"] == []


def test_the_json_api_groups_merges_undoes_and_suggests_like_the_console(app, client):
    created, fac = new_workshop()
    auth = {"Authorization": f"Bearer {created.facilitator_token}"}
    base = f"/api/workshops/{created.code}"
    ids = [client.post(f"{base}/items", headers=auth, json={"client_id": f"api-item-{n:04d}", "lane": "challenge",
                                                             "text": text}).get_json()["item"]["id"]
           for n, text in enumerate(["Avtalen följs inte upp", "Avtalen följs inte upp efter tecknandet", "Krav"])]
    assert client.put(f"{base}/phase", headers=auth, json={"phase": "aggregate"}).status_code == 200
    made = client.post(f"{base}/themes/split", headers=auth, json={"name": "Uppföljning", "item_ids": ids[:2]})
    assert made.status_code == 201
    other = client.post(f"{base}/themes", headers=auth, json={"name": "Krav"}).get_json()["theme"]["id"]
    assert client.put(f"{base}/items/theme", headers=auth, json={"item_ids": [ids[2]], "theme_id": other}).status_code == 200
    assert client.post(f"{base}/themes/{other}/merge", headers=auth, json={"into_id": made.get_json()["theme"]["id"]}).status_code == 200
    assert client.post(f"{base}/themes/{other}/unmerge", headers=auth, json={}).status_code == 200
    suggested = client.get(f"{base}/suggestions", headers=auth).get_json()["suggestions"]
    pair = suggested["duplicates"][0]
    assert client.post(f"{base}/suggestions/reject", headers=auth, json={"key": pair["key"]}).status_code == 200
    assert client.post(f"{base}/items/{ids[1]}/merge", headers=auth, json={"into_id": ids[0]}).status_code == 200
    assert client.post(f"{base}/items/{ids[1]}/unmerge", headers=auth, json={}).status_code == 200
    undone = client.post(f"{base}/undo", headers=auth, json={})
    assert undone.get_json()["undone"]["kind"] == "item.unmerge"
    assert db.session.get(Item, ids[1]).merged_into_id == ids[0]
    stale = client.post(f"{base}/undo", headers=auth, json={"step_id": 1})
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "undo_moved_on"
    _, token = join(created)
    assert client.get(f"{base}/suggestions", headers={"Authorization": f"Bearer {token}"}).status_code == 403
