"""Use cases through ``operations.perform`` and the services, on SQLite and PostgreSQL."""
from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.support import Translations
from sqlalchemy import func, select

from workshop.domain.errors import DomainError, Forbidden, NotFound
from workshop.extensions import db
from workshop.http.links import workshop_links
from workshop.models import Advice, Item, Participant, Theme, Vote, Workshop
from workshop import operations
from workshop.operations import perform
from workshop.services import snapshots, views
from workshop.services import workshops as ws
from workshop.services import founding

TRANSLATIONS = Path(__file__).resolve().parents[2] / "workshop" / "translations"


@dataclass(frozen=True)
class Made:
    """Plain values of a new workshop: ``perform`` closes the session, detaching ORM objects."""

    id: int
    code: str
    facilitator_token: str
    lanes: list[tuple[str, str]]


def new_workshop(question="How do we improve needs assessment?", language="en"):
    created = founding.create_workshop(question, language, "think-tank")
    workshop = created.workshop
    made = Made(workshop.id, workshop.code, created.facilitator_token,
                [(lane.key, lane.name) for lane in workshop.lanes])
    return made, ws.Identity("facilitator", made.id)


def join(made, perspective="buyer", name=None):
    participant, token = operations.join(made.code, {"perspective": perspective, "name": name})
    return ws.Identity("participant", made.id, participant["id"]), token


def version(workshop_id: int) -> int:
    return db.session.scalar(select(Workshop.version).where(Workshop.id == workshop_id))


def count(model, **where) -> int:
    query = select(func.count()).select_from(model)
    for key, value in where.items():
        query = query.where(getattr(model, key) == value)
    return db.session.scalar(query)


def submit(who, text="Nobody owns the need", lane="challenge", client_id=None):
    name = "item.add" if who.role == "facilitator" else "item.submit"
    return perform(name, who, {"client_id": client_id or uuid.uuid4().hex, "lane": lane, "text": text})


def theme(fac, name="Governance") -> int:
    return perform("theme.create", fac, {"name": name}).reply["theme"]["id"]


def refused(code: str, name: str, who, payload, exc=DomainError) -> DomainError:
    before = version(who.workshop_id)
    with pytest.raises(exc) as info:
        perform(name, who, payload)
    assert info.value.code == code
    assert version(who.workshop_id) == before
    return info.value


def voting(themes_wanted=3):
    """A workshop in the prioritise phase with some themes and one participant."""
    created, fac = new_workshop()
    alice, _ = join(created, "buyer", "Alice Svensson")
    submit(alice)
    perform("phase.set", fac, {"phase": "aggregate"})
    themes = [theme(fac, f"Theme {n}") for n in range(themes_wanted)]
    perform("phase.set", fac, {"phase": "prioritise"})
    return created, fac, alice, themes


def stored_ballot(participant_id: int) -> dict[int, int]:
    return dict(db.session.execute(select(Vote.entry_id, Vote.value).where(Vote.participant_id == participant_id)).all())


@pytest.mark.parametrize("language", ["en", "sv"])
def test_created_workshop_names_template_lanes_in_its_language_and_starts_with_prework(app, language):
    created, _ = new_workshop(language=language)
    workshop = db.session.get(Workshop, created.id)
    catalog = Translations.load(str(TRANSLATIONS), [language])  # names once the catalog has them
    assert created.lanes == [("challenge", catalog.gettext("Challenge")),
                             ("success_factor", catalog.gettext("Success factor"))]
    assert "buyer" in [p.key for p in workshop.perspectives]
    assert (workshop.phase, workshop.version, len(workshop.code)) == ("prework", 0, 6)
    assert workshop.facilitator_token_hash != created.facilitator_token  # only the hash is stored


def test_submitting_an_item_twice_with_one_client_id_stores_one_row(app):
    created, _ = new_workshop()
    alice, _ = join(created)
    bob, _ = join(created)
    first = submit(alice, client_id="client-0001")
    second = submit(alice, client_id="client-0001")
    assert count(Item, workshop_id=created.id) == 1
    assert second.reply["duplicate"] is True and "duplicate" not in first.reply
    assert second.reply["item"]["id"] == first.reply["item"]["id"]
    assert second.reply["version"] == first.version == version(created.id)
    assert second.version is None and second.changes == []
    with pytest.raises(DomainError) as info:  # another participant cannot claim the same client id
        submit(bob, client_id="client-0001", text="Something else")
    assert info.value.code == "client_id_taken" and count(Item, workshop_id=created.id) == 1


def test_participants_submit_only_while_collecting_but_facilitator_adds_on_their_behalf(app):
    created, fac = new_workshop()
    alice, _ = join(created)
    submit(alice)
    perform("phase.set", fac, {"phase": "aggregate"})
    refused("phase_forbids", "item.submit", alice, {"client_id": "late-item-01", "lane": "challenge", "text": "Late"})
    refused("lane_unknown", "item.add", fac, {"client_id": "lane-item-01", "lane": "idea", "text": "Hi"})
    reply = submit(fac, text="From a paper note", lane="success_factor").reply
    item = db.session.get(Item, reply["item"]["id"])
    assert reply["item"]["on_behalf"] is True and item.on_behalf is True and item.participant_id is None
    assert count(Item, workshop_id=created.id) == 2


def test_phase_guards_refuse_aggregate_without_items_and_prioritise_without_themes(app):
    created, fac = new_workshop()
    refused("phase_no_items", "phase.set", fac, {"phase": "aggregate"})
    refused("phase_no_themes", "phase.set", fac, {"phase": "prioritise"})
    refused("phase_unchanged", "phase.set", fac, {"phase": "prework"})
    refused("phase_nothing_to_present", "phase.set", fac, {"phase": "present"})
    refused("phase_no_themes_to_concretise", "phase.set", fac, {"phase": "concretise"})
    assert db.session.get(Workshop, created.id).phase == "prework"


def test_closed_workshop_refuses_joins_items_and_theme_edits_and_participants_never_steer(app):
    created, fac = new_workshop()
    alice, _ = join(created)
    perform("phase.set", fac, {"phase": "closed"})
    assert db.session.get(Workshop, created.id).closed_at is not None
    refused("workshop_closed", "item.submit", alice, {"client_id": "closed-item-1", "lane": "challenge", "text": "x"})
    refused("workshop_closed", "theme.create", fac, {"name": "Too late"})
    refused("not_allowed", "phase.set", alice, {"phase": "collect"}, Forbidden)
    with pytest.raises(DomainError) as info:
        join(created)
    assert info.value.code == "workshop_closed"


def test_themes_are_created_renamed_and_deleted_without_deleting_their_items(app):
    created, fac = new_workshop()
    alice, _ = join(created)
    item_id = submit(alice).reply["item"]["id"]
    first, second = theme(fac, "Governance"), theme(fac, "Time")
    assert [t.position for t in db.session.scalars(select(Theme).order_by(Theme.id))] == [1, 2]
    perform("item.assign", fac, {"item_id": item_id, "theme_id": first})
    assert perform("theme.rename", fac, {"theme_id": first, "name": "Steering"}).reply["theme"]["name"] == "Steering"
    deleted = perform("theme.delete", fac, {"theme_id": first})
    assert deleted.changes[0].data == {"id": first, "item_ids": [item_id], "results": None, "round_results": {},
                                       "turnout": {"voted": 0, "participants": 1}}
    assert db.session.get(Theme, first) is None and db.session.get(Theme, second) is not None
    item = db.session.get(Item, item_id)
    assert item is not None and item.theme_id is None
    refused("theme_not_found", "theme.rename", fac, {"theme_id": first, "name": "Gone"}, NotFound)


def test_items_and_themes_of_another_workshop_cannot_be_assigned(app):
    a, fac_a = new_workshop()
    b, fac_b = new_workshop()
    item_a = submit(join(a)[0]).reply["item"]["id"]
    item_b = submit(join(b)[0]).reply["item"]["id"]
    theme_a, theme_b = theme(fac_a), theme(fac_b)
    version_b = version(b.id)
    refused("item_not_found", "item.assign", fac_a, {"item_id": item_b, "theme_id": theme_a}, NotFound)
    refused("theme_not_found", "item.assign", fac_a, {"item_id": item_a, "theme_id": theme_b}, NotFound)
    refused("theme_not_found", "theme.delete", fac_a, {"theme_id": theme_b}, NotFound)
    assert db.session.get(Item, item_a).theme_id is None and db.session.get(Item, item_b).theme_id is None
    assert version(b.id) == version_b and db.session.get(Theme, theme_b) is not None


def test_setting_a_ballot_replaces_the_whole_previous_ballot(app):
    created, _, alice, (t1, t2, t3) = voting()
    perform("ballot.set", alice, {"client_id": uuid.uuid4().hex, "allocation": {str(t1): 3, str(t2): 2}})
    reply = perform("ballot.set", alice, {"client_id": uuid.uuid4().hex, "allocation": {str(t3): 1, str(t1): 0}}).reply
    assert stored_ballot(alice.participant_id) == {t3: 1}
    assert reply["me"]["ballot"] == {str(t3): 1}


def test_ballot_over_budget_or_on_a_foreign_theme_is_refused_and_keeps_the_old_ballot(app):
    created, _, alice, (t1, t2, t3) = voting()
    _, fac_other = new_workshop()
    foreign = theme(fac_other)
    perform("ballot.set", alice, {"client_id": uuid.uuid4().hex, "allocation": {str(t1): 3, str(t2): 2}})
    refused("ballot_budget", "ballot.set", alice, {"client_id": uuid.uuid4().hex, "allocation": {str(t1): 3, str(t3): 3}})
    refused("ballot_entry_limit", "ballot.set", alice, {"client_id": uuid.uuid4().hex, "allocation": {str(t3): 4}})
    refused("ballot_unknown_entry", "ballot.set", alice, {"client_id": uuid.uuid4().hex, "allocation": {str(foreign): 1}})
    assert stored_ballot(alice.participant_id) == {t1: 3, t2: 2}


def test_votes_are_accepted_only_in_the_prioritise_phase(app):
    created, fac, alice, (t1, _, _) = voting()
    perform("phase.set", fac, {"phase": "advice"})
    refused("phase_forbids", "ballot.set", alice, {"client_id": uuid.uuid4().hex, "allocation": {str(t1): 1}})
    assert count(Vote, participant_id=alice.participant_id) == 0


def test_advice_is_one_row_per_participant_and_editing_keeps_one_row(app):
    created, fac = new_workshop()
    alice, _ = join(created)
    refused("phase_forbids", "advice.set", alice, {"client_id": uuid.uuid4().hex, "text": "Too early"})
    perform("phase.set", fac, {"phase": "advice"})
    perform("advice.set", alice, {"client_id": uuid.uuid4().hex, "text": "Name an owner"})
    reply = perform("advice.set", alice, {"client_id": uuid.uuid4().hex, "text": "Name an owner early"}).reply
    rows = list(db.session.scalars(select(Advice).where(Advice.participant_id == alice.participant_id)))
    assert [a.text for a in rows] == ["Name an owner early"] and reply["me"]["advice"] == "Name an owner early"


def test_results_stay_hidden_until_the_facilitator_reveals_them(app):
    created, fac, alice, (t1, t2, _) = voting()
    outcome = perform("ballot.set", alice, {"client_id": uuid.uuid4().hex, "allocation": {str(t1): 2, str(t2): 3}})
    workshop = db.session.get(Workshop, created.id)
    assert views.results_view(workshop, "facilitator") is None and outcome.changes[0].data["results"] is None
    perform("results.reveal", fac, {"revealed": True})
    results = views.results_view(db.session.get(Workshop, created.id), "facilitator")
    assert [(e["theme_id"], e["score"], e["rank"]) for e in results["entries"]][:2] == [(t2, 3, 1), (t1, 2, 2)]
    perform("results.reveal", fac, {"revealed": False})
    assert views.results_view(db.session.get(Workshop, created.id), "facilitator") is None


def snapshot(app, created, role, participant_id=None):
    workshop = db.session.get(Workshop, created.id)
    participant = db.session.get(Participant, participant_id) if participant_id else None
    with app.test_request_context("/"):
        token = created.facilitator_token if role == "facilitator" else None
        return snapshots.snapshot(workshop, role, participant, workshop_links(workshop, token))


def test_snapshots_are_shaped_by_role_and_never_reveal_names_or_perspectives(app):
    created, fac = new_workshop()
    alice, _ = join(created, "legal", "Alice Svensson")
    bob, _ = join(created, "supplier", "Bob Bergström")
    submit(alice, "First item")
    submit(bob, "Second item")
    # Bob's own snapshot may greet him by name ("me"); nobody else's name reaches anyone.
    for role, pid, hidden in (("participant", bob.participant_id, ("Alice", "Svensson")),
                              ("projector", None, ("Alice", "Svensson", "Bob", "Bergström"))):
        view = snapshot(app, created, role, pid)
        dumped = json.dumps(view, ensure_ascii=False)
        assert not [name for name in hidden if name in dumped], role
        assert all("perspective" not in item for item in view["items"])
        assert "links" not in view
    mine = snapshot(app, created, "participant", bob.participant_id)
    assert mine["me"]["id"] == bob.participant_id
    # A phone holds its own items and the grouped ones, not the room's raw stream.
    assert {item["text"]: item["mine"] for item in mine["items"]} == {"Second item": True}
    assert {"participants", "turnout", "advice"}.isdisjoint(mine)
    assert len(snapshot(app, created, "projector")["items"]) == 2
    assert "me" not in snapshot(app, created, "projector")
    console = snapshot(app, created, "facilitator")
    assert {"join_url", "projector_url", "guide"} <= set(console["links"])
    assert {item["text"]: item["perspective"] for item in console["items"]} == {
        "First item": "legal", "Second item": "supplier"}


def test_a_token_of_one_workshop_cannot_act_in_another(app):
    a, _ = new_workshop()
    b, _ = new_workshop()
    _, token = join(a)
    assert ws.identify("participant", token, a.code).workshop_id == a.id
    for attempt in (lambda: ws.identify("participant", token, b.code),
                    lambda: ws.identify_bearer(token, b.code),
                    lambda: ws.identify_bearer(a.facilitator_token, b.code)):
        with pytest.raises(Forbidden) as info:
            attempt()
        assert info.value.code == "wrong_workshop"
    with pytest.raises(Forbidden) as info:
        ws.identify("participant", "not-a-token", a.code)
    assert info.value.code == "bad_token"


def test_version_goes_up_by_one_per_change_and_not_on_refusals(app):
    created, fac = new_workshop()
    wid = created.id
    alice, _ = join(created)
    assert version(wid) == 1
    expected = 1
    for change in (lambda: submit(alice), lambda: perform("phase.set", fac, {"phase": "aggregate"}),
                   lambda: theme(fac), lambda: perform("results.reveal", fac, {"revealed": True})):
        change()
        expected += 1
        assert version(wid) == expected
    refused("phase_unchanged", "phase.set", fac, {"phase": "aggregate"})
    refused("phase_forbids", "item.submit", alice, {"client_id": "refused-0001", "lane": "challenge", "text": "x"})
    refused("theme_not_found", "theme.delete", fac, {"theme_id": 987654}, NotFound)
    assert version(wid) == expected
    outcome = perform("phase.set", fac, {"phase": "prioritise"})
    assert outcome.version == outcome.reply["version"] == version(wid) == expected + 1


def test_concurrent_full_ballots_never_exceed_the_budget(app):
    _, _, alice, (t1, t2, t3, t4) = voting(themes_wanted=4)
    # Disjoint full ballots: if both survived a race, the participant would hold 10 dots.
    ballots = ({str(t1): 3, str(t2): 2}, {str(t3): 3, str(t4): 2})
    db.session.close()
    errors: list[BaseException] = []
    for _ in range(15):
        barrier = threading.Barrier(2)

        def vote(allocation):
            try:
                with app.app_context():
                    barrier.wait(timeout=5)
                    perform("ballot.set", alice, {"client_id": uuid.uuid4().hex, "allocation": allocation})
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=vote, args=(b,)) for b in ballots]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        stored = stored_ballot(alice.participant_id)
        db.session.close()
        assert sum(stored.values()) <= 5
        assert {str(k): v for k, v in stored.items()} in ballots
    assert errors == []
