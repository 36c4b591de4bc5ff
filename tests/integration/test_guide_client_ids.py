"""A client finds the items it sent in the guide's JSON by the client_id it chose: each
contribution carries its own, and a merged group every id it stands for."""
from __future__ import annotations

import json

from workshop.operations import perform
from workshop.services import workshops as ws
from workshop.services import founding

from tests.integration.test_setup_moderation import join


def test_the_json_guide_carries_each_client_id_and_a_merged_group_s_ids(app):
    created = founding.create_workshop("Fråga?", "sv", "think-tank", None, None)
    wid, code = created.workshop.id, created.workshop.code
    fac = ws.Identity("facilitator", wid)
    alice, bob = join(code, wid, "buyer"), join(code, wid, "supplier")
    sent = {}
    for who, client_id, text in ((alice, "alice-item-0001", "Ingen äger behovet"),
                                 (bob, "bob-item-00001", "Behovet saknar ägare"),
                                 (bob, "bob-item-00002", "Användarna kommer in för sent")):
        sent[client_id] = perform("item.submit", who, {"client_id": client_id, "lane": "challenge",
                                                       "text": text}).reply["item"]["id"]
    perform("phase.set", fac, {"phase": "aggregate"})
    perform("item.merge", fac, {"item_id": sent["bob-item-00001"], "into_id": sent["alice-item-0001"]})
    response = app.test_client().get(f"/api/workshops/{code}/guide.json",
                                     headers={"Authorization": f"Bearer {created.facilitator_token}"})
    assert response.status_code == 200
    contributions = {c["text"]: c for c in json.loads(response.data)["contributions"]}
    owner = contributions["Ingen äger behovet"]
    assert owner["client_id"] == "alice-item-0001"
    assert owner["client_ids"] == ["alice-item-0001", "bob-item-00001"]
    late = contributions["Användarna kommer in för sent"]
    assert (late["client_id"], late["client_ids"]) == ("bob-item-00002", ["bob-item-00002"])
