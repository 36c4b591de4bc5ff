"""deploy/haproxy.cfg and deploy/nginx.conf, run for real over TLS in front of two gunicorn
processes (the command of docs/deployment.md, in production mode) sharing PostgreSQL and Redis.

What each test proves: long-polling clients work only if every request of a session reaches the
same process (cookie stickiness); WebSocket upgrades pass; clients held by different processes
all see a change made on one (the message queue); and HAProxy takes a live but unready process
out of rotation because its check is /readyz.
"""
from __future__ import annotations

import os
import uuid

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine, text

from tests.live import close_side_by_side, free_port, service_missing
from tests.ops.stack import Balancer, BalancedScreen, GunicornServer, fresh_postgres, make_certificate, wait_until

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def database(postgres_url):
    yield from fresh_postgres(postgres_url)


@pytest.fixture(scope="module")
def queue_url():
    # Module scope: conftest's redis_url is per test, and these processes outlive one test.
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        service_missing("Redis (TEST_REDIS_URL)")
    return url


@pytest.fixture(scope="module")
def apps(database, queue_url, tmp_path_factory):
    base = tmp_path_factory.mktemp("apps")
    env = {"SOCKETIO_MESSAGE_QUEUE": queue_url, "SOCKETIO_CHANNEL": "test-" + uuid.uuid4().hex,
           "WORKSHOP_ENV": "production"}
    servers = [GunicornServer(database, base / f"app{n}.log", env) for n in (1, 2)]
    servers[0].migrate()
    try:
        yield [server.start() for server in servers]
    finally:
        for server in servers:
            server.stop()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module", params=["haproxy", "nginx"])
def balancer(request, apps, certificate, tmp_path_factory):
    proxy = Balancer(request.param, apps, certificate, tmp_path_factory.mktemp(request.param))
    try:
        yield proxy.start()
    finally:
        proxy.stop()


@pytest.fixture
def opened():
    """Screens through the balancer, closed side by side after the test."""
    screens: list[BalancedScreen] = []

    def open_screen(balancer, role, token, transports=None) -> BalancedScreen:
        screen = BalancedScreen(balancer, role, token, transports).connect()
        screens.append(screen)
        return screen

    yield open_screen
    close_side_by_side(screens)


def workshop_id(database: str, code: str) -> int:
    engine = create_engine(database.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT id FROM workshops WHERE code = :code"), {"code": code}).scalar_one()
    finally:
        engine.dispose()


def screens_on(app, workshop: int, role: str) -> float:
    """Screens of one workshop and role connected to one process, from that process's /metrics."""
    response = requests.get(app.url + "/metrics", timeout=5)
    assert response.status_code == 200, response.text
    return sum(sample.value for family in text_string_to_metric_families(response.text)
               if family.name == "workshop_connected_screens" for sample in family.samples
               if sample.labels == {"workshop": str(workshop), "role": role})


def phones_on_both(balancer, apps, database, opened, created, transports) -> list[BalancedScreen]:
    """Phones through the balancer until each process holds at least one (at most 12 tries)."""
    code, phones = created["code"], []
    wid = workshop_id(database, code)
    for _ in range(12):
        phones.append(opened(balancer, "participant", apps[0].join(code)["token"], transports))
        if all(screens_on(app, wid, "participant") >= 1 for app in apps):
            return phones
    raise AssertionError("every phone landed on the same process")


def test_http_redirects_to_https(balancer):
    response = requests.get(balancer.http_url + "/join?x=1", allow_redirects=False, timeout=5)
    assert response.status_code == 301
    assert response.headers["Location"].startswith("https://127.0.0.1") and response.headers["Location"].endswith("/join?x=1")


def test_public_address_serves_pages_but_not_metrics(balancer, apps):
    http = balancer.session()
    page = http.get(balancer.url + "/", timeout=5)
    assert page.status_code == 200 and "Strict-Transport-Security" in page.headers
    assert page.headers["X-Request-ID"]
    pin = next(c for c in http.cookies if c.name == "workshop_backend")  # the stickiness cookie
    assert pin.secure and pin.has_nonstandard_attr("HttpOnly")
    assert "SameSite=Lax" in page.headers["Set-Cookie"]
    again = http.get(balancer.url + "/", timeout=5)  # pinned: not set again
    assert "workshop_backend" not in again.headers.get("Set-Cookie", "")
    assert http.get(balancer.url + "/metrics", timeout=5).status_code == 404
    assert http.get(balancer.url + "/readyz", timeout=5).json()["status"] == "ready"
    # Even past the balancer's rule, a relayed request is not "loopback" to the app.
    relayed = requests.get(apps[0].url + "/metrics", headers={"X-Forwarded-For": "203.0.113.9"}, timeout=5)
    assert relayed.status_code == 403


def test_links_with_tokens_leave_no_token_in_balancer_or_app_logs(balancer, apps):
    created = apps[0].create_workshop()
    http = balancer.session()
    request_ids = []
    for path in (f"/facilitator/{created['facilitator_token']}", f"/projector/{created['projector_token']}",
                 f"/facilitator/{created['facilitator_token']}/guide.md"):
        response = http.get(balancer.url + path + "?lang=en", timeout=10)
        assert response.status_code == 200, path
        request_ids.append(response.headers["X-Request-ID"])
    wait_until(lambda: all(rid in balancer.access_log_path.read_text() for rid in request_ids), 10)
    logs = [balancer.access_log_path.read_text()] + [app.log_path.read_text() for app in apps]
    for token in (created["facilitator_token"], created["projector_token"]):
        assert not any(token in log for log in logs)
    assert "/facilitator/-/guide.md" in logs[0]  # the route stays readable


def test_long_polling_clients_stay_on_their_process_and_see_changes_from_the_other(balancer, apps, database, opened):
    created = apps[0].create_workshop()
    console = opened(balancer, "facilitator", created["facilitator_token"], ["websocket"])
    phones = phones_on_both(balancer, apps, database, opened, created, ["polling"])
    for phone in phones:
        assert phone.transport == "polling" and phone.cookie()
        for _ in range(3):  # several long-poll round trips each: any one sent elsewhere would fail
            assert phone.call("sync", {"version": phone.version})["ok"]

    reply = phones[-1].call("item.submit", {"client_id": uuid.uuid4().hex, "lane": "challenge",
                                            "text": "Behoven kartläggs för sent"})
    assert reply["ok"], reply
    console.wait_change("item.added")
    assert console.call("phase.set", {"phase": "aggregate"})["ok"]
    for phone in phones:
        phone.wait_change("phase.changed", phase="aggregate")


def test_websocket_clients_on_both_processes_see_each_others_changes(balancer, apps, database, opened):
    created = apps[1].create_workshop()
    wid = workshop_id(database, created["code"])
    console = opened(balancer, "facilitator", created["facilitator_token"], ["websocket"])
    projector = opened(balancer, "projector", created["projector_token"], ["websocket"])
    phones = phones_on_both(balancer, apps, database, opened, created, ["websocket"])
    assert all(screen.transport == "websocket" for screen in (console, projector, *phones))
    assert sum(screens_on(app, wid, "facilitator") for app in apps) == 1

    assert phones[0].call("item.submit", {"client_id": uuid.uuid4().hex, "lane": "success_factor",
                                          "text": "Tydlig styrning"})["ok"]
    for screen in (console, projector):  # phones are spared other people's items
        screen.wait_change("item.added")
    assert console.call("phase.set", {"phase": "aggregate"})["ok"]
    for screen in (projector, *phones):
        screen.wait_change("phase.changed", phase="aggregate")


def test_browser_default_polling_then_upgrade_to_websocket(balancer, apps, opened):
    """What socket.io-client does: a long-poll handshake, then an upgrade that must reach the
    process holding the session, which only the cookie tells the balancer."""
    created = apps[0].create_workshop()
    phone = opened(balancer, "participant", apps[0].join(created["code"])["token"], None)
    wait_until(lambda: phone.transport == "websocket", 10)
    assert phone.cookie()
    assert phone.call("sync", {"version": phone.version})["ok"]


@pytest.fixture
def unready_pair(apps, certificate, tmp_path):
    """HAProxy in front of a good process and one that is alive but unready: its database is a
    PostgreSQL port nothing listens on, so /healthz answers 200 and /readyz 503."""
    dead = GunicornServer(f"postgresql://postgres@127.0.0.1:{free_port()}/nothing", tmp_path / "unready.log")
    proxy = None
    try:
        dead.start()
        assert requests.get(dead.url + "/readyz", timeout=5).status_code == 503
        proxy = Balancer("haproxy", [apps[0], dead], certificate, tmp_path).start()
        yield proxy
    finally:
        if proxy:
            proxy.stop()
        dead.stop()


def test_haproxy_checks_readyz_and_routes_around_an_unready_process(unready_pair):
    proxy = unready_pair
    # The check's verdict names /readyz's status; /healthz would have answered 200.
    wait_until(lambda: "app2 is DOWN, reason: Layer7 wrong status, code: 503" in proxy.log_path.read_text(), 15,
               proxy.process, proxy.log_path)
    for _ in range(8):  # new visitors are all pinned to the ready process
        response = proxy.session().get(proxy.url + "/readyz", timeout=5)
        assert response.status_code == 200
        assert response.cookies.get("workshop_backend") == "app1"
    # A visitor pinned to the unready process is sent to the ready one.
    pinned = proxy.session()
    pinned.cookies.set("workshop_backend", "app2")
    assert pinned.get(proxy.url + "/readyz", timeout=5).status_code == 200
