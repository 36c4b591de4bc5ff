"""A bare Flask-SocketIO server: the yardstick the workshop server is measured against.

It runs the same stack as ``python -m workshop`` (Flask-SocketIO on gevent, the same Socket.IO
settings, started with ``socketio.run``) and does the same fan-out, but nothing else: no
database, no validation, no sessions. ``item.submit`` acks ``{ok: true}`` and emits a ``change``
to the projector and console rooms; ``ballot.set`` acks. The difference between the two servers'
latencies is the cost of the workshop's own code on whatever machine the benchmark runs on.

Start: ``HOST=127.0.0.1 PORT=5001 python bench/bare_server.py``; ``GET /healthz`` answers 200.
"""
from gevent import monkey

monkey.patch_all()

import itertools  # noqa: E402
import os  # noqa: E402

from flask import Flask, request  # noqa: E402
from flask_socketio import SocketIO, join_room  # noqa: E402

from workshop.realtime import websocket  # noqa: E402

app = Flask(__name__)
# The same options as workshop/__init__.py, so only the application code differs.
# With SOCKETIO_MESSAGE_QUEUE set, several bare processes share rooms through Redis, as the app's do.
socketio = SocketIO(app, async_mode="gevent", max_http_buffer_size=4 * 1024, ping_interval=20, ping_timeout=20,
                    message_queue=os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None,
                    channel=os.environ.get("SOCKETIO_CHANNEL", "bare"))
# The workshop server's WebSockets hold one file descriptor each (workshop/realtime/websocket.py);
# so do these, or the yardstick would run out of descriptors at half the phones.
websocket.install(socketio.server.eio)
versions = itertools.count(1)


@app.get("/healthz")
def healthz():
    return {"ok": True}


@socketio.on("connect")
def connect(auth=None):
    role = (auth or {}).get("role", "participant")
    join_room(role)
    socketio.emit("snapshot", {"version": 0, "role": role}, to=request.sid)


@socketio.on("item.submit")
def item_submit(payload):
    item = {"client_id": payload.get("client_id"), "lane": payload.get("lane"), "text": payload.get("text")}
    change = {"version": next(versions), "type": "item.added", "data": {"item": item}}
    for room in ("facilitator", "projector"):
        socketio.emit("change", change, to=room)
    return {"ok": True}


@socketio.on("ballot.set")
def ballot_set(payload):
    return {"ok": True}


if __name__ == "__main__":
    socketio.run(app, host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "5001")),
                 log_output=False)
