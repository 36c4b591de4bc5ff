"""Voting rounds end to end through ``operations.perform``, on SQLite and PostgreSQL: each method's
ballots, idempotent resends, whole ballots under races, paper ballots, reveal per round."""
from __future__ import annotations

import threading
import uuid

import pytest
from marshmallow import ValidationError
from sqlalchemy import select

from tests.integration.test_services import join, new_workshop, refused, submit, theme, version
from workshop.domain.errors import Forbidden, NotFound
from workshop.extensions import db
from workshop.models import AuditEntry, Participant, Vote, VotingRound, Workshop
from workshop.operations import perform
from workshop.services import views


def prioritising(themes_wanted=3, people=2):
    made, fac = new_workshop()
    voters = [join(made, perspective, f"Person {n}")[0]
              for n, perspective in zip(range(people), ["buyer", "supplier", "legal", "buyer"])]
    submit(voters[0])
    perform("phase.set", fac, {"phase": "aggregate"})
    themes = [theme(fac, f"Theme {n}") for n in range(themes_wanted)]
    perform("phase.set", fac, {"phase": "prioritise"})
    return made, fac, voters, themes


def invalid(name, who, payload):
    before = version(who.workshop_id)
    with pytest.raises(ValidationError):
        perform(name, who, payload)
    assert version(who.workshop_id) == before


def ballot(who, **shape):
    return perform("ballot.set", who, {"client_id": uuid.uuid4().hex, **shape})


def new_round(fac, method, **rules):
    return perform("round.create", fac, {"method": method, **rules}).reply["round_id"]


def stored(round_id: int, participant_id: int) -> set[tuple]:
    db.session.close()
    return set(db.session.execute(select(Vote.entry_id, Vote.value, Vote.value2).where(
        Vote.round_id == round_id, Vote.participant_id == participant_id)).all())


def results(made, role="facilitator"):
    db.session.close()
    return views.results_view(db.session.get(Workshop, made.id), role)


def test_a_workshop_starts_with_one_current_dot_round_from_its_template(app):
    made, fac, (alice, _), (t1, t2, _) = prioritising()
    workshop = db.session.get(Workshop, made.id)
    rounds = db.session.scalars(select(VotingRound).where(VotingRound.workshop_id == made.id)).all()
    assert [(r.method, r.dots, r.max_per_entry, r.position, r.target) for r in rounds] == [("dots", 5, 3, 1, "themes")]
    assert workshop.current_round_id == rounds[0].id
    me = ballot(alice, allocation={str(t1): 3, str(t2): 2}).reply["me"]
    assert me["ballot"] == {str(t1): 3, str(t2): 2} and me["round_id"] == rounds[0].id


def test_matrix_round_takes_ratings_only_and_shows_means_quadrants_after_reveal(app):
    made, fac, (alice, bo), (t1, t2, t3) = prioritising()
    dots_round = db.session.get(Workshop, made.id).current_round_id
    ballot(alice, allocation={str(t1): 2})
    matrix = new_round(fac, "matrix", title="Impact and feasibility")
    refused("ballot_wrong_method", "ballot.set", alice, {"client_id": uuid.uuid4().hex, "allocation": {str(t1): 1}})
    invalid("ballot.set", alice, {"client_id": uuid.uuid4().hex, "ratings": {str(t1): {"impact": 6, "feasibility": 2}}})
    invalid("ballot.set", alice, {"client_id": uuid.uuid4().hex, "ratings": {}, "ranking": []})
    me = ballot(alice, ratings={str(t1): {"impact": 5, "feasibility": 4}, str(t2): {"impact": 1, "feasibility": 5}}
                ).reply["me"]
    assert me["ballot"] == {str(t1): {"impact": 5, "feasibility": 4}, str(t2): {"impact": 1, "feasibility": 5}}
    assert me["ballots"][str(dots_round)] == {str(t1): 2}  # the earlier round's ballot is kept
    ballot(bo, ratings={str(t1): {"impact": 3, "feasibility": 4}})
    assert stored(matrix, alice.participant_id) == {(t1, 5, 4), (t2, 1, 5)}
    assert results(made) is None  # nothing before the reveal
    perform("results.reveal", fac, {"revealed": True})
    shown = results(made)
    first = shown["entries"][0]
    assert shown["method"] == "matrix" and shown["voters"] == 2 and shown["dots_cast"] == 3
    assert (first["entry_id"], first["impact"], first["feasibility"], first["score"], first["quadrant"]) == \
        (t1, 4.0, 4.0, 16.0, "do_first")
    assert first["by_perspective"] == {"buyer": 20.0, "supplier": 12.0}
    assert [e["entry_id"] for e in shown["entries"]][1:] == [t2, t3] and shown["entries"][2]["voters"] == 0
    # the dot round's results stay hidden: revealing acts on the current round
    assert db.session.get(VotingRound, dots_round).revealed is False


def test_ranking_round_scores_borda_points_with_ties_shown(app):
    made, fac, (alice, bo), (t1, t2, t3) = prioritising()
    new_round(fac, "ranking")
    refused("ballot_ranking_repeat", "ballot.set", alice, {"client_id": uuid.uuid4().hex, "ranking": [t1, t1]})
    ballot(alice, ranking=[t1, t2, t3])
    assert ballot(bo, ranking=[t2, t1]).reply["me"]["ballot"] == [t2, t1]
    perform("results.reveal", fac, {"revealed": True})
    shown = results(made, "participant")
    assert [(e["entry_id"], e["score"], e["rank"], e["tied"]) for e in shown["entries"]] == \
        [(t1, 3, 1, True), (t2, 3, 1, True), (t3, 0, 3, False)]
    assert all("by_perspective" not in e for e in shown["entries"])
    assert shown["dots_cast"] == 6


def test_a_resent_ballot_counts_once_and_a_ballot_for_another_round_is_refused(app):
    made, fac, (alice, _), (t1, t2, _) = prioritising()
    first_round = db.session.get(Workshop, made.id).current_round_id
    ranking_round = new_round(fac, "ranking")
    payload = {"client_id": uuid.uuid4().hex, "ranking": [t2, t1]}
    perform("ballot.set", alice, payload)
    before = version(made.id)
    again = perform("ballot.set", alice, payload)
    assert again.reply["duplicate"] is True and version(made.id) == before
    assert stored(ranking_round, alice.participant_id) == {(t2, 0, None), (t1, 1, None)}
    refused("round_not_current", "ballot.set", alice,
            {"client_id": uuid.uuid4().hex, "round_id": first_round, "allocation": {str(t1): 1}})


@pytest.mark.parametrize("method", ["dots", "matrix", "ranking"])
def test_two_tabs_racing_whole_ballots_leave_exactly_one_of_them(app, method):
    made, fac, (alice, _), themes = prioritising(themes_wanted=4)
    round_id = db.session.get(Workshop, made.id).current_round_id if method == "dots" else new_round(fac, method)
    t1, t2, t3, t4 = themes
    shapes = {
        "dots": ({"allocation": {str(t1): 3, str(t2): 2}}, {"allocation": {str(t3): 3, str(t4): 2}}),
        "matrix": ({"ratings": {str(t1): {"impact": 5, "feasibility": 5}}},
                   {"ratings": {str(t3): {"impact": 1, "feasibility": 2}, str(t4): {"impact": 2, "feasibility": 1}}}),
        "ranking": ({"ranking": [t1, t2]}, {"ranking": [t4, t3, t2, t1]}),
    }[method]
    expected = [{(t1, 3, None), (t2, 2, None)}, {(t3, 3, None), (t4, 2, None)}] if method == "dots" else \
        [{(t1, 5, 5)}, {(t3, 1, 2), (t4, 2, 1)}] if method == "matrix" else \
        [{(t1, 0, None), (t2, 1, None)}, {(t4, 0, None), (t3, 1, None), (t2, 2, None), (t1, 3, None)}]
    db.session.close()
    errors: list[BaseException] = []
    for _ in range(8):
        barrier = threading.Barrier(2)

        def vote(shape):
            try:
                with app.app_context():
                    barrier.wait(timeout=5)
                    perform("ballot.set", alice, {"client_id": uuid.uuid4().hex, **shape})
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=vote, args=(s,)) for s in shapes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        assert stored(round_id, alice.participant_id) in expected
        if method == "dots":
            assert sum(v for _, v, _ in stored(round_id, alice.participant_id)) <= 5
    assert errors == []


def test_paper_ballots_count_in_turnout_and_results_are_marked_and_audited(app):
    made, fac, (alice, _), (t1, t2, _) = prioritising()
    ballot(alice, allocation={str(t1): 3})
    paper = {"client_id": uuid.uuid4().hex, "label": "Paper 1", "perspective": "legal",
             "allocation": {str(t1): 1, str(t2): 3}}
    outcome = perform("ballot.paper", fac, paper)
    assert outcome.reply["turnout"] == {"voted": 2, "participants": 3}
    assert outcome.changes[0].type == "turnout.changed"
    assert perform("ballot.paper", fac, paper).reply["duplicate"] is True  # a resend changes nothing
    refused("ballot_budget", "ballot.paper", fac, {**paper, "client_id": uuid.uuid4().hex,
                                                     "allocation": {str(t1): 3, str(t2): 3}})
    refused("perspective_unknown", "ballot.paper", fac, {**paper, "client_id": uuid.uuid4().hex,
                                                          "perspective": "astronaut"})
    # The same label again corrects that person's ballot; another label is another person.
    perform("ballot.paper", fac, {**paper, "client_id": uuid.uuid4().hex, "allocation": {str(t2): 2}})
    perform("ballot.paper", fac, {"client_id": uuid.uuid4().hex, "label": "Paper 2", "allocation": {str(t2): 1}})
    db.session.close()
    people = db.session.scalars(select(Participant).where(Participant.paper.is_(True))).all()
    assert sorted((p.name, p.perspective) for p in people) == [("Paper 1", "legal"), ("Paper 2", None)]
    perform("results.reveal", fac, {"revealed": True})
    shown = results(made)
    by_entry = {e["entry_id"]: e for e in shown["entries"]}
    assert shown["voters"] == 3 and shown["paper_voters"] == 2
    assert (by_entry[t1]["score"], by_entry[t1]["paper"]) == (3, 0)
    assert (by_entry[t2]["score"], by_entry[t2]["paper"], by_entry[t2]["by_perspective"]) == (3, 2, {"legal": 2, "": 1})
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.workshop_id == made.id)).all()
    assert actions.count("ballot.paper") == 3  # the resend and the refusals are not recorded


def test_paper_ballots_are_for_the_facilitator_only(app):
    made, fac, (alice, _), (t1, _, _) = prioritising()
    with pytest.raises(Forbidden):
        perform("ballot.paper", alice, {"client_id": uuid.uuid4().hex, "label": "Paper 1", "allocation": {str(t1): 1}})


def test_rounds_switch_and_reveal_separately_and_turnout_follows_the_current_round(app):
    made, fac, (alice, bo), (t1, t2, _) = prioritising()
    dots_round = db.session.get(Workshop, made.id).current_round_id
    ballot(alice, allocation={str(t1): 1})
    ballot(bo, allocation={str(t2): 1})
    ranking = new_round(fac, "ranking", title="Second look")
    db.session.close()
    assert views.turnout(made.id) == {"voted": 0, "participants": 2}
    ballot(alice, ranking=[t2])
    perform("results.reveal", fac, {"revealed": True, "round_id": dots_round})
    outcome = perform("round.current", fac, {"round_id": dots_round})
    change = outcome.changes[0]
    assert change.type == "rounds.changed" and change.data["turnout"] == {"voted": 2, "participants": 2}
    assert change.data["voting"]["method"] == "dots" and change.data["results"]["voters"] == 2
    assert [(r["title"], r["current"], r["revealed"], r["voted"]) for r in change.for_role("facilitator")["rounds"]] \
        == [("Round 1", True, True, 2), ("Second look", False, False, 1)]
    assert "voted" not in change.data["rounds"][0] or change.data["rounds"][0]["voted"] == 2
    refused("round_not_found", "round.current", fac, {"round_id": 987654}, NotFound)
    perform("round.current", fac, {"round_id": ranking})
    db.session.close()
    workshop = db.session.get(Workshop, made.id)
    assert (workshop.voting_method, workshop.results_revealed) == ("ranking", False)
    assert views.results_view(workshop, "participant") is None


def test_deleting_a_theme_removes_its_votes_in_every_round(app):
    made, fac, (alice, _), (t1, t2, _) = prioritising()
    ballot(alice, allocation={str(t1): 2, str(t2): 1})
    new_round(fac, "ranking")
    ballot(alice, ranking=[t1, t2])
    perform("theme.delete", fac, {"theme_id": t1})
    db.session.close()
    assert {e for (e,) in db.session.execute(select(Vote.entry_id))} == {t2}


def test_round_rules_are_checked(app):
    made, fac, _, _ = prioritising()
    refused("round_rules", "round.create", fac, {"method": "dots", "dots": 2, "max_per_entry": 3})
    invalid("round.create", fac, {"method": "approval"})


def test_the_guide_reads_every_round_with_its_ballots_from_the_database(app):
    from workshop.domain.guide import build_guide
    from workshop.services.state import load_state

    made, fac, (alice, bo), (t1, t2, _) = prioritising()
    ballot(alice, allocation={str(t1): 3})
    new_round(fac, "matrix", title="Impact")
    ballot(bo, ratings={str(t2): {"impact": 4, "feasibility": 2}})
    perform("ballot.paper", fac, {"client_id": uuid.uuid4().hex, "label": "Paper 1",
                                  "ratings": {str(t2): {"impact": 2, "feasibility": 2}}})
    db.session.close()
    guide = build_guide(load_state(db.session.get(Workshop, made.id)))
    dots, matrix = guide.rounds
    assert (dots.rules.method, dots.voters, dots.entries[0].name) == ("dots", 1, "Theme 0")
    assert (matrix.title, matrix.voters, matrix.paper_voters) == ("Impact", 2, 1)
    assert (matrix.entries[0].name, matrix.entries[0].impact, matrix.entries[0].quadrant) == ("Theme 1", 3.0, "plan")
    assert guide.votes.dots_cast == 3  # the chapter on priorities reports the dot round
