"""Adding an operation touches its declaration, its service and its tests only: one declared in a
fresh process (as a service module would) is a socket event, a JSON API route with its
authorisation rule, a path in the OpenAPI document and a row in the generated protocol and
security documents, with nothing else written for it."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from tests.live import ROOT

SCRIPT = textwrap.dedent('''
    import json
    from workshop import schemas
    from workshop.declarations import Http, declare
    from workshop.roles import RUNNERS
    from workshop.services.outcome import Outcome

    def ping(who, data):
        """A service function: it answers, changing nothing."""
        return Outcome(who.workshop_id, None, [], {"pong": True})

    declare("demo.ping", schemas.NoFields, RUNNERS, ping,
            http=Http("POST", "/workshops/<code>/ping", "ping"), summary="Answer pong")

    from workshop import create_app, authz, authz_doc, protocol_doc, asyncapi_doc
    from workshop.extensions import db, socketio
    from workshop.services import founding

    app = create_app("testing")
    with app.app_context():
        db.create_all()
        made = founding.create_workshop("Fråga?", "sv", "think-tank", None, "anonymous")
        code, token = made.workshop.code, made.facilitator_token
        joined = app.test_client().post(f"/api/workshops/{code}/participants",
                                        json={"perspective": "buyer"}).get_json()
        out = {
            "http_facilitator": app.test_client().post(
                f"/api/workshops/{code}/ping", json={}, headers={"Authorization": f"Bearer {token}"}).get_json(),
            "http_participant": app.test_client().post(
                f"/api/workshops/{code}/ping", json={},
                headers={"Authorization": f"Bearer {joined['token']}"}).status_code,
            "rule": sorted(authz.ROUTES["api.ping"].roles),
            "event": sorted(authz.EVENTS["demo.ping"]),
            "openapi": "/api/workshops/{code}/ping" in app.test_client().get("/api/openapi.json").get_json()["paths"],
            "security_doc": "(api.ping)" in authz_doc.route_table(app),
            "protocol_doc": "| `demo.ping` |" in protocol_doc.event_table(),
            "asyncapi": "demo_ping" in asyncapi_doc.document()["operations"],
        }
        console = socketio.test_client(app, auth={"role": "facilitator", "token": token})
        out["socket"] = console.emit("demo.ping", {}, callback=True)
    print("RESULT" + json.dumps(out))
''')


def test_an_operation_declared_once_is_everywhere(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=env)
    line = next((l for l in done.stdout.splitlines() if l.startswith("RESULT")), None)
    assert line, done.stderr[-3000:]
    out = json.loads(line[len("RESULT"):])
    assert out["http_facilitator"] == {"pong": True}
    assert out["http_participant"] == 403
    assert "facilitator" in out["rule"] and "participant" not in out["rule"]
    assert out["event"] == out["rule"]
    assert out["openapi"] and out["security_doc"] and out["protocol_doc"] and out["asyncapi"]
    assert out["socket"] == {"ok": True, "pong": True}
