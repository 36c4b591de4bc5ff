"""A small participant client of the Behovsworkshop realtime protocol (docs/realtime.md).

It joins a workshop over the JSON API, connects over Socket.IO with the token it got, submits
one item and, if the workshop is voting, sets a ballot. Every step is printed as one JSON line.

    pip install "python-socketio[client]"
    python client.py https://workshop.example.org K7M2QX [--lang sv] [--perspective buyer]
"""
import argparse
import json
import threading
import time
import uuid

import requests
import socketio

RESEND_AFTER = {"rate_limited", "server_error"}  # errors after which the same command is resent


def say(event, **fields):
    print(json.dumps({"event": event, **fields}, ensure_ascii=False), flush=True)


def send_until_acked(sio, event, payload, attempts=10):
    """Send a command until the server acknowledges it, always with the SAME ``client_id``.

    A resend of a command the server already applied is answered ``ok`` with ``duplicate: true``
    and changes nothing, so resending after a lost ack can never store anything twice.
    """
    for attempt in range(1, attempts + 1):
        try:
            ack = sio.call(event, payload, timeout=10)
        except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError):
            time.sleep(1)  # no ack (timeout, or disconnected): the client reconnects by itself
            continue
        if ack["ok"]:
            return ack, attempt
        if ack["error"]["code"] in RESEND_AFTER:  # refused for now, not for good
            time.sleep(ack["error"].get("retry_after", 1))
            continue
        return ack, attempt  # any other error is final: show its message, drop the command
    return {"ok": False, "error": {"code": "no_ack", "message": f"No answer after {attempts} tries."}}, attempts


def ballot_for(voting, themes):
    """A whole ballot in the current round's method: here simply the themes in their order."""
    ids = [theme["id"] for theme in themes]
    if voting["method"] == "matrix":
        return {"ratings": {str(i): {"impact": 4, "feasibility": 3} for i in ids}}
    if voting["method"] == "ranking":
        return {"ranking": ids}
    allocation, left = {}, voting["dots"]  # dots: at most max_per_entry on one theme
    for i in ids:
        give = min(left, voting["max_per_entry"])
        if give:
            allocation[str(i)], left = give, left - give
    return {"allocation": allocation}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the server, e.g. https://workshop.example.org")
    parser.add_argument("code", help="the workshop's join code")
    parser.add_argument("--lang", default="en", choices=["en", "sv"], help="language of error messages")
    parser.add_argument("--perspective", default="buyer", help="the perspective to join with")
    args = parser.parse_args()
    url = args.url.rstrip("/")

    # 1. Join over the JSON API; the token is this participant's identity from now on.
    joined = requests.post(f"{url}/api/workshops/{args.code}/participants", json={"perspective": args.perspective},
                           headers={"Accept-Language": args.lang}, timeout=10)
    if joined.status_code != 201:
        say("join", ok=False, status=joined.status_code, message=joined.json()["error"]["message"])
        return 1
    token = joined.json()["token"]
    say("join", ok=True, participant_id=joined.json()["participant"]["id"])

    # 2. Register handlers BEFORE connecting: the server sends the snapshot from its connect
    #    handler, so it can arrive before connect() returns. The client reconnects by itself
    #    (each reconnect brings a fresh snapshot); requests keeps the balancer's sticky cookie.
    sio = socketio.Client()
    state, got_snapshot = {}, threading.Event()

    @sio.on("snapshot")
    def on_snapshot(snapshot):
        state.update(snapshot)
        got_snapshot.set()

    try:
        sio.connect(url, auth={"role": "participant", "token": token, "lang": args.lang}, wait_timeout=10)
    except socketio.exceptions.ConnectionError as refused:  # e.g. bad_token: a translated sentence
        say("connect", ok=False, message=str(refused))
        return 1
    if not got_snapshot.wait(10):
        say("connect", ok=False, message="No snapshot arrived.")
        return 1
    say("snapshot", version=state["version"], phase=state["workshop"]["phase"])

    # 3. One item, with a client_id made once and kept for every resend.
    item = {"client_id": uuid.uuid4().hex, "lane": state["lanes"][0]["key"], "text": "Example item from client.py"}
    ack, tries = send_until_acked(sio, "item.submit", item)
    if ack["ok"]:
        say("item.submit", ok=True, client_id=item["client_id"], item_id=ack["item"]["id"],
            duplicate=ack.get("duplicate", False), attempts=tries)
    else:
        say("item.submit", ok=False, client_id=item["client_id"], code=ack["error"]["code"],
            message=ack["error"]["message"])

    # 4. A ballot, only while the workshop votes on themes (a proposals round is left out here).
    voting = state["workshop"]["voting"]
    if state["workshop"]["phase"] != "prioritise" or voting.get("target", "themes") != "themes":
        say("ballot.set", skipped=True, phase=state["workshop"]["phase"])
    else:
        ballot = {"client_id": uuid.uuid4().hex, "round_id": voting["round_id"], **ballot_for(voting, state["themes"])}
        ack, tries = send_until_acked(sio, "ballot.set", ballot)
        if ack["ok"]:
            say("ballot.set", ok=True, client_id=ballot["client_id"], ballot=ack["me"]["ballot"], attempts=tries)
        else:
            say("ballot.set", ok=False, code=ack["error"]["code"], message=ack["error"]["message"])

    sio.disconnect()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
