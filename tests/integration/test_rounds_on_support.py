"""A later round votes on the support proposed for the top themes ("themes first, then the
support"), in any method, through to the guide. On SQLite and PostgreSQL."""
from __future__ import annotations

import uuid

import pytest

from flask_babel import force_locale

from workshop.domain.errors import DomainError
from workshop.domain.guide import build_guide
from workshop.extensions import db
from workshop.models import Workshop
from workshop.operations import perform
from workshop.services.state import load_state

from .test_rounds import ballot, new_round, prioritising, results


def _propose(who, theme_id, kind, text):
    return perform("proposal.submit", who, {"client_id": uuid.uuid4().hex, "theme_id": theme_id, "type": kind,
                                            "description": text, "who_needs": ""}).reply["proposal"]["id"]


def test_a_round_ranks_the_proposed_support_and_the_guide_reports_it(app):
    made, fac, (alice, bob), (t1, t2, _) = prioritising()

    with pytest.raises(DomainError) as info:  # nothing proposed yet: nothing to vote on
        perform("round.create", fac, {"method": "ranking", "target": "proposals"})
    assert info.value.code == "round_no_entries"
    perform("phase.set", fac, {"phase": "concretise"})
    checklist = _propose(alice, t1, "checklist", "A checklist for the first meeting")
    network = _propose(bob, t1, "network", "A network of requesting departments")
    training = _propose(bob, t2, "training", "Training in early dialogue")
    perform("phase.set", fac, {"phase": "prioritise"})
    round_id = new_round(fac, "ranking", target="proposals")
    assert ballot(alice, ranking=[network, checklist, training]).reply["me"]["ballot"] == [network, checklist, training]
    ballot(bob, ranking=[network, training])
    refused = None
    try:
        ballot(alice, ranking=[training + 100])  # not an entry of this round
    except DomainError as exc:
        refused = exc.code
    assert refused == "ballot_unknown_entry"
    perform("results.reveal", fac, {"revealed": True, "round_id": round_id})
    entries = results(made)["entries"]
    assert [(e["name"], e["rank"]) for e in entries][0] == ("A network of requesting departments", 1)
    workshop = db.session.get(Workshop, made.id)
    with force_locale("en"):
        guide = build_guide(load_state(workshop))
    support_round = next(r for r in guide.rounds if r.position == 2)
    assert [e.name for e in support_round.entries][0] == "A network of requesting departments"
    assert {e.name for e in support_round.entries} == {"A checklist for the first meeting",
                                                      "A network of requesting departments",
                                                      "Training in early dialogue"}
