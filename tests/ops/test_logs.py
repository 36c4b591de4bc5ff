"""Structured logs: one JSON object per line from both server entry points (``python -m
workshop`` and gunicorn in production), with the access line per request, and nothing private
in them: no token, no participant's name, no question, no item text."""
from __future__ import annotations

import io
import json
import logging
import uuid

import pytest

from tests.live import LiveServer
from tests.ops.stack import GunicornServer
from workshop.logs import JsonFormatter, RequestIdFilter, dict_config


def test_the_formatter_writes_one_object_with_extras_and_blanks_private_fields():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("tests.ops.formatter")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("event %s refused", "item.submit",
                       extra={"workshop_id": 7, "event": "item.submit", "duration_ms": 1.5,
                              "token": "tok-secret", "text": "Vem äger behovet?"})
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            logger.exception("failed\non two lines")
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "event item.submit refused" and first["level"] == "WARNING"
    assert first["logger"] == "tests.ops.formatter" and first["timestamp"].endswith("+00:00")
    assert (first["workshop_id"], first["event"], first["duration_ms"]) == (7, "item.submit", 1.5)
    assert first["token"] == first["text"] == "[redacted]"
    assert "tok-secret" not in stream.getvalue() and "Vem äger" not in stream.getvalue()
    assert second["message"] == "failed\non two lines" and "RuntimeError: boom" in second["exception"]


def test_text_stays_the_development_format():
    config = dict_config("text")
    assert "()" not in config["formatters"]["workshop"] and "%(levelname)s" in config["formatters"]["workshop"]["format"]
    assert dict_config("json")["formatters"]["workshop"]["()"] is JsonFormatter


SERVERS = {
    # How `make run` starts it, asked for JSON explicitly.
    "python -m workshop": (LiveServer, {"LOG_FORMAT": "json"}),
    # How docs/deployment.md starts it: JSON is production's default.
    "gunicorn, production": (GunicornServer, {"WORKSHOP_ENV": "production", "LOG_FORMAT": ""}),
}


@pytest.mark.e2e
@pytest.mark.parametrize("entry", SERVERS)
def test_a_server_logs_json_lines_without_tokens_names_or_text(entry, tmp_path, screens):
    kind, env = SERVERS[entry]
    server = kind(f"sqlite:///{tmp_path / 'logs.db'}", tmp_path / "server.log", env)
    server.migrate()
    server.start()
    try:
        question = "Hemlig fråga " + uuid.uuid4().hex
        created = server.create_workshop(question=question)
        name, item_text = "Namn" + uuid.uuid4().hex[:8], "Hemlig text " + uuid.uuid4().hex
        participant = server.join(created["code"], name=name)["token"]
        request_id = "req-" + uuid.uuid4().hex[:12]
        page = server.api("GET", f"/facilitator/{created['facilitator_token']}", headers={"X-Request-ID": request_id})
        assert page.status_code == 200 and page.headers["X-Request-ID"] == request_id
        assert server.api("GET", f"/projector/{created['projector_token']}?lang=en").status_code == 200
        assert server.api("GET", "/facilitator/not-a-token").status_code in (403, 404)
        phone = screens(server, "participant", participant)
        assert phone.call("item.submit", {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": item_text})["ok"]
        phone.disconnect()
    finally:
        server.stop()

    lines = [line for line in server.log_path.read_text().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"timestamp", "level", "logger", "message"} <= set(r) for r in records)
    console = [r for r in records if r["logger"] == "workshop.access" and r.get("request_id") == request_id]
    assert len(console) == 1
    assert console[0]["route"] == "/facilitator/<token>" and console[0]["status"] == 200
    assert console[0]["method"] == "GET" and console[0]["duration_ms"] > 0
    log = server.log_path.read_text()
    for secret in (created["facilitator_token"], created["projector_token"], participant, name, item_text,
                   question, "not-a-token"):
        assert secret not in log


def test_a_request_the_server_cannot_parse_is_logged_as_json_too(tmp_path):
    """gevent's WSGI server reports what it cannot parse itself; that line is JSON as well."""
    import socket
    from urllib.parse import urlsplit

    server = LiveServer(f"sqlite:///{tmp_path / 'logs.db'}", tmp_path / "server.log", {"LOG_FORMAT": "json"})
    server.migrate()
    server.start()
    try:
        address = urlsplit(server.url)
        with socket.create_connection((address.hostname, address.port), timeout=5) as raw:
            raw.sendall(b"\x81\x82garbage\r\n\r\n")  # e.g. a WebSocket frame on a plain connection
            raw.recv(1024)
        assert server.api("GET", "/healthz").status_code == 200
    finally:
        server.stop()
    records = [json.loads(line) for line in server.log_path.read_text().splitlines() if line.strip()]
    assert any(r["logger"] == "gevent.pywsgi" and r["level"] == "ERROR" for r in records), records
