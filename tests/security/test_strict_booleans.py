"""A boolean in the API is JSON's true or false, as the OpenAPI document says: an outside
conformance test found 0 and "no" accepted as false (and "yes", 1, "on" as true)."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("value", [0, 1, "no", "yes", "on", "true", None])
def test_a_boolean_that_is_not_true_or_false_is_refused_and_changes_nothing(secure_app, world, value):
    client = secure_app.test_client()
    headers = {"Authorization": f"Bearer {world.facilitator_token}"}
    refused = client.put(f"/api/workshops/{world.code}/joining", json={"open": value}, headers=headers)
    assert refused.status_code == 400 and "open" in refused.get_json()["error"]["fields"]
    assert client.get(f"/api/workshops/{world.code}/public").get_json()["joining_open"] is True
    assert client.put(f"/api/workshops/{world.code}/joining", json={"open": False}, headers=headers).status_code == 200
    assert client.get(f"/api/workshops/{world.code}/public").get_json()["joining_open"] is False
