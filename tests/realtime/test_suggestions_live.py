"""Live grouping suggestions over real Socket.IO connections to the real server: the console is
sent fresh suggestions after a phone submits and after every grouping, without asking; a
suggestion about an item that was grouped disappears; phones and the projector never receive them;
a burst of submissions is acknowledged while the refreshes run."""
from __future__ import annotations

import threading
import uuid

from tests.live import live_server, screens  # noqa: F401  (fixtures)


class Suggestions:
    """Records the ``suggestions`` events a screen receives."""

    def __init__(self, screen):
        self.screen, self.bodies = screen, []
        screen.sio.on("suggestions", self._on)

    def _on(self, data):
        with self.screen.lock:
            self.bodies.append(data["suggestions"])
            self.screen.lock.notify_all()

    def wait(self, predicate, timeout: float = 30) -> dict:
        return self.screen.wait_for(lambda: next((b for b in reversed(self.bodies) if predicate(b)), None), timeout)


def _submit(phone, text: str) -> dict:
    reply = phone.call("item.submit", {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": text})
    assert reply["ok"], reply
    return reply["item"]


def test_the_console_gets_fresh_suggestions_after_submissions_and_groupings_without_asking(live_server, screens):
    created = live_server.create_workshop()
    console = screens(live_server, "facilitator", created["facilitator_token"])
    projector = screens(live_server, "projector", created["projector_token"])
    phone = screens(live_server, "participant", live_server.join(created["code"])["token"])
    seen = Suggestions(console)
    not_for_them = [Suggestions(projector), Suggestions(phone)]

    first = _submit(phone, "Avtalen följs inte upp efter tecknandet")
    body = seen.wait(lambda b: str(first["id"]) in b["placements"])
    assert body["engine"]["meaning"] is True and body["starters"]  # the think tank's starter themes

    assert console.call("phase.set", {"phase": "aggregate"})["ok"]
    theme = console.call("theme.create", {"name": "Uppföljning", "starter_key": "follow_up"})["theme"]["id"]
    seen.wait(lambda b: b["placements"].get(str(first["id"])) == [theme] and b["starters"] == [])
    assert console.call("item.assign", {"item_id": first["id"], "theme_id": theme})["ok"]
    seen.wait(lambda b: str(first["id"]) not in b["placements"])

    # A burst from several phones: every ack arrives while the refreshes run, and the console's
    # last suggestions cover every new contribution.
    assert console.call("phase.set", {"phase": "collect"})["ok"]
    phones = [screens(live_server, "participant", live_server.join(created["code"])["token"]) for _ in range(4)]
    replies: list[dict] = []

    def send(p, n):
        for k in range(5):
            replies.append(_submit(p, f"Vi hinner inte göra behovsanalysen, punkt {n}-{k}"))

    threads = [threading.Thread(target=send, args=(p, n)) for n, p in enumerate(phones)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(replies) == 20
    ids = {str(item["id"]) for item in replies}
    last = seen.wait(lambda b: ids <= set(b["placements"]))
    assert all(last["placements"][i] == [theme] for i in ids)
    assert all(s.bodies == [] for s in not_for_them)
