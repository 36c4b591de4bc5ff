"""Phones that behave like the browser, for fault tests: asyncio Socket.IO clients that reconnect
by themselves, present the last sequence they hold, take changes in order, resync on a gap, and
resend a command with the same client id until it is acknowledged. What they then hold is what
the browser's own reducer (static/js/live-state.js, run by Node) makes of what they took.

And the deployments the faults are injected into: one process on SQLite, or two processes on
PostgreSQL sharing a Redis message queue.
"""
from __future__ import annotations

import asyncio
import random
import uuid
from dataclasses import dataclass, field

import socketio

from tests import reducer
from tests.live import LiveServer

ACK_TIMEOUT = 5
DEADLINE = 90  # seconds a command may take to be acknowledged, faults included


class Phone:
    """A real Socket.IO client with the browser's recovery rules (static/js/realtime.js)."""

    def __init__(self, url: str, role: str, token: str):
        self.url, self.role, self.token = url, role, token
        self.seq: int | None = None  # the last change held, in this role's sequence; None before a snapshot
        self.taken: list[tuple[str, dict]] = []  # the snapshot and what was folded into it since, in order
        self._takes = 0  # messages taken in all, so a fold is redone only when one arrives
        self._folded: tuple[int, dict] | None = None  # ``state`` as of that many
        self.stream = reducer.stream_name(role)
        self.acked: dict[str, dict] = {}  # client id -> payload, for every acknowledged command
        self.last_ballot: dict | None = None
        self.ballots: list[dict] = []  # acknowledged ballot payloads, in order
        self.snapshots = 0
        self.refusals: list[str] = []
        self.currents = 0
        self.sio = socketio.AsyncClient(reconnection=True, reconnection_attempts=0, reconnection_delay=0.2,
                                        reconnection_delay_max=1.0, randomization_factor=0.5)
        self.sio.on("snapshot", self._on_snapshot)
        self.sio.on("current", self._on_current)
        self.sio.on("change", self._on_change)
        self.sio.on("changes", self._on_changes)
        self.sio.on("me", self._on_me)
        self.sio.on("item", self._on_item)
        self.sio.on("connect_error", self._on_connect_error)
        self._resyncing = False
        self._held: list[dict] = []  # changes that arrived during a resync, applied after it

    def _auth(self):
        return {"role": self.role, "token": self.token, "lang": "en",
                "since": self.seq}

    async def connect(self) -> "Phone":
        for attempt in range(10):  # a refusal for now (server_busy) is tried again, as the browser does
            try:
                await self.sio.connect(self.url, auth=self._auth, transports=["websocket"], wait_timeout=20)
                break
            except socketio.exceptions.ConnectionError as exc:
                self.refusals.append(str(exc))
                await asyncio.sleep(0.5 * (attempt + 1))
        await self.until(lambda: self.seq is not None)
        return self

    @property
    def state(self) -> dict | None:
        """What this screen holds: the browser's reducer over the snapshot and what was taken."""
        if self.seq is None:
            return None
        if self._folded is None or self._folded[0] != self._takes:
            self._folded = (self._takes, reducer.replay(self.taken))
        return self._folded[1]

    def _take(self, kind: str, data: dict) -> None:
        if kind == "snapshot":
            self.taken, self.seq = [], data["seq"]
        self.taken.append((kind, data))
        self._takes += 1

    async def close(self) -> None:
        await self.sio.disconnect()

    async def drop(self) -> None:
        """Cut the connection under the client, as a lost Wi-Fi does; it reconnects by itself."""
        ws = getattr(self.sio.eio, "ws", None)
        if ws is not None:
            await ws.close()

    async def _on_connect_error(self, data):
        """As the browser does: a refusal for now (``server_busy``) is tried again, later."""
        if isinstance(data, dict) and data.get("code") == "server_busy":
            asyncio.get_running_loop().create_task(self._connect_again())

    async def _connect_again(self) -> None:
        for attempt in range(20):
            await asyncio.sleep(min(5.0, 0.5 * 2 ** attempt) * random.uniform(0.5, 1.5))
            if self.sio.connected:
                return
            try:
                await self.sio.disconnect()
                await self.sio.connect(self.url, auth=self._auth, transports=["websocket"], wait_timeout=20)
                return
            except socketio.exceptions.ConnectionError:
                continue

    # --- what arrives ---------------------------------------------------------------------
    async def _on_snapshot(self, data):
        self.snapshots += 1
        self._take("snapshot", data)
        self._drain()

    async def _on_current(self, data):
        self.currents += 1
        if self.seq is None or data["seq"] != self.seq:
            self._resync()
            return
        self._take("current", data)

    async def _on_change(self, data):
        if self.seq is None or self._resyncing:
            self._held.append(data)
            return
        self._apply(data)

    async def _on_changes(self, batch):
        for data in batch["changes"]:  # a group commit's changes, in order
            await self._on_change(data)

    def _apply(self, data) -> None:
        if data["seq"] <= self.seq:
            return
        if data["seq"] != self.seq + 1:
            self._held.append(data)
            self._resync()
            return
        self._take("change", data)
        self.seq = data["seq"]

    def _drain(self) -> None:
        held, self._held = sorted(self._held, key=lambda c: c["seq"]), []
        for index, change in enumerate(held):
            if self._resyncing:
                self._held.extend(held[index:])
                return
            self._apply(change)

    async def _on_me(self, data):
        if self.seq is not None:
            self._take("me", data)

    async def _on_item(self, data):
        if self.seq is not None:
            self._take("item", data)

    def _resync(self) -> None:
        if not self._resyncing:
            self._resyncing = True
            asyncio.get_running_loop().create_task(self._fetch_snapshot())

    async def _fetch_snapshot(self) -> None:
        try:
            self._take("snapshot", await self.fresh())
        finally:
            self._resyncing = False
        self._drain()

    # --- what is sent ---------------------------------------------------------------------
    async def _answered(self, event: str, payload: dict) -> dict:
        """The first real answer to ``payload``, sent again as often as it takes: after a lost
        ack, while disconnected, and after waiting as long as a ``rate_limited`` answer says."""
        loop = asyncio.get_running_loop()
        end = loop.time() + DEADLINE
        while loop.time() < end:
            if self.sio.connected:
                try:
                    ack = await self.sio.call(event, payload, timeout=ACK_TIMEOUT)
                except socketio.exceptions.SocketIOError:
                    ack = None
                limited = ack is not None and not ack["ok"] and ack["error"]["code"] == "rate_limited"
                if ack is not None and not limited:
                    return ack
                if limited:
                    await asyncio.sleep(ack["error"]["retry_after"])
                    continue
            await asyncio.sleep(0.2)
        raise AssertionError(f"{event} was never answered")

    async def send(self, event: str, payload: dict) -> dict:
        """Send until acknowledged (the same payload, so the same client id, every time)."""
        ack = await self._answered(event, payload)
        assert ack["ok"], (event, payload, ack)
        # A first ack saying "duplicate" means an earlier try was stored and its ack lost.
        if event == "ballot.set" and payload["client_id"] not in self.acked:
            self.last_ballot = payload["allocation"]
            self.ballots.append(payload)
        self.acked[payload["client_id"]] = payload
        # As the browser does: the ack carries the stored item or ballot (the sending connection is
        # not sent the personal `item`/`me` event too; the author's other tabs are).
        kept = {key: ack[key] for key in ("item", "me") if ack.get(key)}
        if self.seq is not None and kept:
            self._take("ack", kept)
        return ack

    async def submit(self, text: str, lane: str = "challenge") -> dict:
        return await self.send("item.submit", {"client_id": uuid.uuid4().hex, "lane": lane, "text": text})

    async def vote(self, allocation: dict) -> dict:
        return await self.send("ballot.set", {"client_id": uuid.uuid4().hex,
                                              "allocation": {str(k): v for k, v in allocation.items()}})

    async def act(self, event: str, payload: dict) -> dict:
        """A facilitator's command, waiting out a reconnect. The tests act only between faults:
        these commands carry no client id, so a resend after a lost ack could apply twice."""
        ack = await self._answered(event, payload)
        assert ack["ok"], (event, ack)
        return ack

    async def fresh(self) -> dict:
        """The server's current state for this screen."""
        reply = await self._answered("sync", {})
        assert reply["ok"], reply
        return reply["snapshot"]

    async def until(self, predicate, timeout: float = 30) -> None:
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while not predicate():
            if loop.time() > end:
                held = self.seq, len((self.state or {}).get("items", []))
                raise AssertionError(f"timed out waiting on {self.role} (seq, items held: {held}, "
                                     f"connected: {self.sio.connected})")
            await asyncio.sleep(0.05)

    async def assert_in_step(self) -> dict:
        """This screen's view, built from its snapshot and the changes alone, equals the server's."""
        truth = await self.fresh()
        await self.until(lambda: self.seq >= truth["seq"] and not self._resyncing)
        live = self.state
        if live["seq"] == truth["seq"]:
            reducer.record(self.stream, self.role, self.taken, truth)
        for key in ("seq", "workshop", "themes", "results", "participants", "turnout", "me"):
            if key in truth:  # a phone's snapshot holds no counts of the room
                assert live[key] == truth[key], (self.role, key, live[key], truth[key])
        assert _items(live) == _items(truth), self.role
        return truth


def _items(state: dict) -> list:
    return sorted(({k: v for k, v in item.items() if k != "mine"} for item in state["items"]),
                  key=lambda item: item["id"])


@dataclass
class Deployment:
    """The server processes of one deployment; phones are spread over them."""

    name: str
    servers: list[LiveServer]
    phones: list[Phone] = field(default_factory=list)

    def url_for(self, n: int) -> str:
        return self.servers[n % len(self.servers)].url

    def kill(self, index: int = 0) -> None:
        """SIGKILL: no shutdown, no flushing; only what was committed survives."""
        process = self.servers[index].process
        process.kill()
        process.wait()

    def restart(self, index: int = 0) -> None:
        self.servers[index].start(timeout=60)

    async def phone(self, n: int, role: str, token: str) -> Phone:
        phone = await Phone(self.url_for(n), role, token).connect()
        self.phones.append(phone)
        return phone

    async def close(self) -> None:
        await asyncio.gather(*(phone.close() for phone in self.phones), return_exceptions=True)
