"""The example clients in docs/examples work against the real server.

A third-party developer starts from these files, so a protocol change that breaks them must
fail here rather than in someone else's integration. Each client runs as its own process, as a
developer would run it; what it stored is checked through the facilitator's API snapshot, not
through what the client says it did.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.live import ROOT, LiveServer

EXAMPLES = ROOT / "docs" / "examples"


def node() -> str:
    """Node is required: a missing one fails the test, so the Node example is never left unrun."""
    path = shutil.which("node")
    if path is None:
        pytest.fail("node is not on PATH: the Node example client (docs/examples/client.mjs) cannot be checked")
    return path


CLIENTS = {
    "python": lambda: [sys.executable, str(EXAMPLES / "client.py")],
    "node": lambda: [node(), str(EXAMPLES / "client.mjs")],
}


def run_client(which: str, server: LiveServer, code: str) -> dict[str, dict]:
    """Run one example to its end; return its JSON lines by event."""
    done = subprocess.run([*CLIENTS[which](), server.url, code], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, f"{which} client failed:\n{done.stdout}\n{done.stderr}"
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return {line["event"]: line for line in lines}


def facilitator_view(server: LiveServer, created: dict) -> dict:
    response = server.api("GET", f"/api/workshops/{created['code']}", token=created["facilitator_token"])
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("which", ["python", "node"])
def test_an_example_client_stores_its_item_exactly_once(live_server, which):
    created = live_server.create_workshop()
    before = facilitator_view(live_server, created)["version"]

    said = run_client(which, live_server, created["code"])

    assert said["snapshot"]["version"] >= before
    assert said["item.submit"]["ok"] is True, said
    assert said["ballot.set"] == {"event": "ballot.set", "skipped": True, "phase": said["snapshot"]["phase"]}
    items = facilitator_view(live_server, created)["items"]
    mine = [item for item in items if item["client_id"] == said["item.submit"]["client_id"]]
    assert len(mine) == 1, items
    assert mine[0]["id"] == said["item.submit"]["item_id"]


@pytest.mark.parametrize("which", ["python", "node"])
def test_an_example_client_votes_while_the_workshop_prioritises(live_server, screens, which):
    created = live_server.create_workshop()
    console = screens(live_server, "facilitator", created["facilitator_token"])
    theme = console.call("theme.create", {"name": "Styrning"})["theme"]
    assert console.call("phase.set", {"phase": "prioritise"})["ok"]

    said = run_client(which, live_server, created["code"])

    # Items are not taken while voting: the client shows the refusal and moves on.
    assert said["item.submit"]["ok"] is False and said["item.submit"]["code"] == "phase_forbids"
    assert said["item.submit"]["message"]
    assert said["ballot.set"]["ok"] is True, said
    view = facilitator_view(live_server, created)
    assert view["items"] == []
    assert view["turnout"]["voted"] == 1, view["turnout"]
    assert console.call("results.reveal", {"revealed": True})["ok"]
    entries = facilitator_view(live_server, created)["results"]["entries"]
    voting = view["workshop"]["voting"]
    assert [(e["theme_id"], e["score"]) for e in entries] == [(theme["id"], min(voting["dots"], voting["max_per_entry"]))]
