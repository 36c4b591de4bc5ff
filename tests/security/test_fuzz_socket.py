"""Every socket event fuzzed with hypothesis-generated payloads against the real server process,
over real Socket.IO connections: the server never crashes or answers server_error, and an event
it refuses leaves the workshop exactly as it was (its version counts every change).

Bounded (max_examples per event) so the file runs in well under a minute.
"""
from __future__ import annotations

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.live import LiveServer, Screen, close_side_by_side
from workshop import authz
from workshop.operations import OPERATIONS

EXAMPLES = 25
SCALARS = (st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=40))
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
                    max_leaves=10)
PLAUSIBLE = {  # values near the valid ones, so the fuzzer also gets past the first check
    "client_id": st.text("abcdef0123456789-_", min_size=6, max_size=66),
    "lane": st.sampled_from(["challenge", "success", "", "x" * 41]) | st.text(max_size=10),
    "text": st.text(max_size=300),
    "phase": st.sampled_from(["collect", "aggregate", "prioritise", "advice", "closed", "pre-work", "nope"]),
    "name": st.text(max_size=130),
    "theme_id": st.none() | st.integers(min_value=-5, max_value=2**63),
    "item_id": st.integers(min_value=-5, max_value=2**63),
    "revealed": st.booleans() | st.none() | st.text(max_size=5),
    "allocation": st.dictionaries(st.text("0123456789", min_size=0, max_size=14) | st.text(max_size=5),
                                  st.integers(min_value=-3, max_value=200) | JSON, max_size=6),
}


def payloads(event: str):
    fields = list(OPERATIONS[event].schema().fields) if event in OPERATIONS else ["version"]
    shaped = st.fixed_dictionaries({}, optional={f: PLAUSIBLE.get(f, JSON) | JSON for f in fields + ["extra"]})
    return shaped | JSON


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory):
    """Rate limits out of the way: the fuzzer sends far faster than any phone."""
    base = tmp_path_factory.mktemp("socket-fuzz")
    server = LiveServer(f"sqlite:///{base / 'fuzz.db'}", base / "server.log",
                        extra_env={"SOCKET_RATE_LIMIT_PARTICIPANT": "100000,10000",
                                   "SOCKET_RATE_LIMIT_FACILITATOR": "100000,10000"})
    server.migrate()
    server.start(timeout=90)  # a loaded CI machine can take a while to start a process
    yield server
    server.stop()


@pytest.fixture(scope="module")
def opened():
    screens: list[Screen] = []
    yield screens
    close_side_by_side(screens)


def _version(server, workshop) -> int:
    response = server.api("GET", f"/api/workshops/{workshop['code']}", token=workshop["facilitator_token"])
    assert response.status_code == 200, response.text
    return response.json()["version"]


@pytest.mark.parametrize("event", sorted(authz.EVENTS))
def test_no_payload_crashes_an_event_and_a_refused_one_changes_nothing(fuzz_server, opened, event):
    workshop = fuzz_server.create_workshop()
    role = "participant" if "participant" in authz.EVENTS[event] else "facilitator"
    token = fuzz_server.join(workshop["code"])["token"] if role == "participant" else workshop["facilitator_token"]
    screen = Screen(fuzz_server, role, token).connect()
    opened.append(screen)

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(payload=payloads(event))
    def fuzz(payload):
        before = _version(fuzz_server, workshop)
        reply = screen.call(event, payload)
        assert isinstance(reply, dict) and isinstance(reply.get("ok"), bool), reply
        if not reply["ok"]:
            assert reply["error"]["code"] != "server_error", (payload, reply)
            assert reply["error"]["message"], reply
            assert _version(fuzz_server, workshop) == before, (payload, reply)
        assert screen.sio.connected, payload

    fuzz()
    assert requests.get(fuzz_server.url + "/healthz", timeout=5).status_code == 200
    assert "Traceback" not in fuzz_server.log_path.read_text(errors="replace"), event
