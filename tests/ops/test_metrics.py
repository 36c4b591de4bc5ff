"""/metrics: Prometheus's text format, fed by a real server process's sockets, and who may read it."""
from __future__ import annotations

import time
import uuid

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine, text

from config import from_environment
from workshop import create_app, metrics

TOKEN = "scrape-" + uuid.uuid4().hex


def families(body: str) -> dict:
    return {family.name: family for family in text_string_to_metric_families(body)}


def value(family, name: str, **labels) -> float:
    return sum(s.value for s in family.samples if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()))


def app_for(tmp_path, env: str = "testing", **overrides):
    extra = {"SECRET_KEY": "production-" + uuid.uuid4().hex} if env == "production" else {}
    return create_app(env, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'm.db'}", **extra, **overrides)


def test_families_and_types_in_the_text_format(tmp_path):
    client = app_for(tmp_path).test_client()
    client.get("/healthz")
    response = client.get("/metrics")
    assert response.status_code == 200 and response.content_type.startswith("text/plain; version=0.0.4")
    found = families(response.get_data(as_text=True))
    assert {name: found[name].type for name in ("workshop_connected_screens", "workshop_socket_events",
                                                "workshop_ack_seconds", "workshop_http_requests",
                                                "workshop_http_request_seconds")} == {
        "workshop_connected_screens": "gauge", "workshop_socket_events": "counter",
        "workshop_ack_seconds": "histogram", "workshop_http_requests": "counter",
        "workshop_http_request_seconds": "histogram"}
    assert value(found["workshop_http_requests"], "workshop_http_requests_total",
                 endpoint="ops.healthz", method="GET", status="200") >= 1


def test_a_workshop_whose_last_screen_closed_leaves_no_series():
    workshop = 900000 + uuid.uuid4().int % 100000
    metrics.screen_connected(workshop, "projector")
    metrics.screen_connected(workshop, "projector")
    metrics.screen_disconnected(workshop, "projector")
    gauge = families(metrics_text())["workshop_connected_screens"]
    assert value(gauge, "workshop_connected_screens", workshop=str(workshop), role="projector") == 1
    metrics.screen_disconnected(workshop, "projector")
    assert f'workshop="{workshop}"' not in metrics_text()


def metrics_text() -> str:
    from prometheus_client import generate_latest
    return generate_latest(metrics.registry).decode()


def test_a_real_server_counts_screens_events_and_ack_latency(live_server, screens):
    created = live_server.create_workshop()
    engine = create_engine(live_server.env["DATABASE_URL"])
    with engine.connect() as conn:
        workshop = conn.execute(text("SELECT id FROM workshops WHERE code = :c"), {"c": created["code"]}).scalar_one()
    engine.dispose()
    console = screens(live_server, "facilitator", created["facilitator_token"])
    phone = screens(live_server, "participant", live_server.join(created["code"])["token"])

    def scrape():
        response = requests.get(live_server.url + "/metrics", timeout=5)
        assert response.status_code == 200
        return families(response.text)

    before = scrape()
    submits = value(before["workshop_socket_events"], "workshop_socket_events_total", event="item.submit", outcome="ok")
    acks = value(before["workshop_ack_seconds"], "workshop_ack_seconds_count", event="item.submit")
    batches = value(before["workshop_batch_commands"], "workshop_batch_commands_count", use_case="add_items")
    commands = value(before["workshop_batch_commands"], "workshop_batch_commands_sum", use_case="add_items")
    assert phone.call("item.submit", {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "För lite tid"})["ok"]
    after = scrape()
    gauge = after["workshop_connected_screens"]
    assert value(gauge, "workshop_connected_screens", workshop=str(workshop), role="facilitator") == 1
    assert value(gauge, "workshop_connected_screens", workshop=str(workshop), role="participant") == 1
    assert value(after["workshop_socket_events"], "workshop_socket_events_total",
                 event="item.submit", outcome="ok") == submits + 1
    assert value(after["workshop_ack_seconds"], "workshop_ack_seconds_count", event="item.submit") == acks + 1
    # The item went through the group commit: one batch of one command, and its time.
    assert value(after["workshop_batch_commands"], "workshop_batch_commands_count", use_case="add_items") == batches + 1
    assert value(after["workshop_batch_commands"], "workshop_batch_commands_sum", use_case="add_items") == commands + 1
    assert value(after["workshop_batch_seconds"], "workshop_batch_seconds_sum", use_case="add_items") > 0
    assert console.snapshot["role"] == "facilitator"


@pytest.mark.parametrize("remote, headers, status", [
    ("127.0.0.1", {}, 200),                                  # Prometheus on this host
    ("::1", {}, 200),
    ("192.0.2.7", {}, 403),                                  # anyone else
    ("127.0.0.1", {"X-Forwarded-For": "192.0.2.7"}, 403),    # relayed by a proxy on this host
    ("127.0.0.1", {"Forwarded": "for=192.0.2.7"}, 403),
])
def test_production_without_a_token_serves_direct_loopback_only(tmp_path, remote, headers, status):
    client = app_for(tmp_path, "production").test_client()
    assert client.get("/metrics", headers=headers, environ_base={"REMOTE_ADDR": remote}).status_code == status


@pytest.mark.parametrize("env", ["production", "development"])
def test_a_token_is_required_wherever_it_is_set(tmp_path, env):
    client = app_for(tmp_path, env, METRICS_TOKEN=TOKEN).test_client()
    remote = {"REMOTE_ADDR": "192.0.2.7"}
    missing = client.get("/metrics", environ_base=remote)
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}, environ_base=remote).status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401  # loopback too
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, environ_base=remote).status_code == 200


def test_development_serves_anyone_and_metrics_can_be_switched_off(tmp_path):
    assert app_for(tmp_path, "development").test_client().get(
        "/metrics", environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 200
    assert app_for(tmp_path, METRICS_ENABLED=False).test_client().get("/metrics").status_code == 404


def test_settings_from_the_environment():
    assert from_environment({"METRICS_ENABLED": "false", "METRICS_TOKEN": "t", "LOG_FORMAT": "json"}) == {
        "METRICS_ENABLED": False, "METRICS_TOKEN": "t", "LOG_FORMAT": "json"}
    assert from_environment({"METRICS_ENABLED": "1"})["METRICS_ENABLED"] is True
    with pytest.raises(ValueError):
        from_environment({"LOG_FORMAT": "xml"})
    assert create_app("production", SECRET_KEY="x" * 40).config["LOG_FORMAT"] == "json"
    assert create_app("development").config["LOG_FORMAT"] == "text"


def test_a_real_server_never_pauses_a_busy_room_for_a_full_collection_and_collects_once_quiet(live_server, screens):
    """CPython would start full collections by itself as objects pile up; the server process takes
    them over and runs them only once the room is quiet (workshop/collector.py)."""
    created = live_server.create_workshop()
    phone = screens(live_server, "participant", live_server.join(created["code"])["token"])

    def scrape():
        return families(requests.get(live_server.url + "/metrics", timeout=5).text)

    def full(reason):
        return value(scrape()["workshop_gc_full_collection_seconds"], "workshop_gc_full_collection_seconds_count",
                     reason=reason)

    def collections(generation):  # CPython's own count: ours and any it started itself
        return value(scrape()["python_gc_collections"], "python_gc_collections_total", generation=generation)

    # Busy: phones join and send, never a quiet second, until some of what the new connections
    # keep has reached the oldest generation (a gen-2 collection is then worth running).
    before, full_before, middle_before = full("idle"), collections("2"), collections("1")
    for _ in range(150):
        assert phone.call("item.submit", {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "Tidsbrist"})["ok"]
        screens(live_server, "participant", live_server.join(created["code"])["token"])
        if collections("1") > middle_before:
            break
    assert collections("1") > middle_before  # objects reached the oldest generation meanwhile
    assert full("idle") == before and collections("2") == full_before  # yet no full collection while busy
    deadline = time.monotonic() + 10
    while full("idle") == before and time.monotonic() < deadline:
        time.sleep(0.3)
    assert full("idle") == before + 1  # quiet for a second: one full collection
    assert collections("2") == full_before + 1
    assert full("overdue") == 0
