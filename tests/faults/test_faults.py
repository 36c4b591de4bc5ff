"""Faults injected into the real server processes while real clients work: a server killed and
restarted mid-workshop, connections dropped during a vote burst, and 200 phones reconnecting at
once. Afterwards every acknowledged item and ballot is stored exactly once, and every screen's
view, built from its snapshot and the changes alone, equals the server's state.

Each scenario runs on SQLite with one process and on PostgreSQL with Redis and two processes.
"""
from __future__ import annotations

import asyncio
import random
from collections import Counter

import pytest

pytestmark = pytest.mark.e2e


def run(scenario, deployment):
    async def main():
        try:
            await scenario(deployment)
        finally:
            await deployment.close()
    asyncio.run(main())


async def _restart(deployment, *indexes: int) -> None:
    loop = asyncio.get_running_loop()
    await asyncio.gather(*(loop.run_in_executor(None, deployment.restart, i) for i in indexes))


async def _every_acked_item_stored_once(console, phones) -> None:
    """The phones' acknowledged commands are items only; each is stored, once, and nothing else is."""
    stored = Counter(item["client_id"] for item in (await console.fresh())["items"])
    acked = {cid for phone in phones for cid in phone.acked}
    assert set(stored) == acked, "an acknowledged item was lost, or an unacknowledged one appeared"
    assert max(stored.values()) == 1, "an item was stored twice"


async def _in_step(*screens) -> None:
    for screen in screens:
        await screen.assert_in_step()


async def _room(deployment, phones: int):
    """A workshop with its console, projector and phones, spread over the deployment's servers."""
    first = deployment.servers[0]
    created = first.create_workshop()
    console = await deployment.phone(0, "facilitator", created["facilitator_token"])
    projector = await deployment.phone(1, "projector", created["projector_token"])
    tokens = [first.join(created["code"], random.choice(["buyer", "supplier", "legal"]))["token"]
              for _ in range(phones)]
    people = []
    for start in range(0, phones, 50):  # connect in waves, as a room does
        people += await asyncio.gather(*(deployment.phone(n, "participant", token)
                                         for n, token in enumerate(tokens[start:start + 50], start)))
    return created, console, projector, people


def test_a_server_killed_mid_workshop_loses_no_acknowledged_item(deployment):
    run(_killed_while_collecting, deployment)


async def _killed_while_collecting(deployment):
    created, console, projector, phones = await _room(deployment, 12)

    async def write(phone, n):
        for k in range(5):
            await phone.submit(f"Otydliga behov, röst {n}, punkt {k}")
            await asyncio.sleep(random.uniform(0, 0.05))

    writers = [asyncio.create_task(write(phone, n)) for n, phone in enumerate(phones)]
    await console.until(lambda: sum(len(p.acked) for p in phones) >= 12)
    deployment.kill(0)  # SIGKILL while items are in flight
    await asyncio.sleep(0.5)
    await _restart(deployment, 0)
    await asyncio.gather(*writers)

    assert sum(len(phone.acked) for phone in phones) == 12 * 5
    await _every_acked_item_stored_once(console, phones)
    await _in_step(console, projector, *phones)


def test_connections_dropped_during_a_vote_burst_count_every_ballot_once(deployment):
    run(_drops_during_vote_burst, deployment)


async def _drops_during_vote_burst(deployment):
    created, console, projector, phones = await _room(deployment, 30)
    items = await asyncio.gather(*(phone.submit(f"Behov {n}") for n, phone in enumerate(phones)))
    await console.act("phase.set", {"phase": "aggregate"})
    themes = [(await console.act("theme.create", {"name": f"Tema {n}"}))["theme"]["id"] for n in range(3)]
    for n, ack in enumerate(items):
        await console.act("item.assign", {"item_id": ack["item"]["id"], "theme_id": themes[n % 3]})
    await console.act("phase.set", {"phase": "prioritise"})
    await asyncio.gather(*(phone.until(lambda p=phone: p.state["workshop"]["phase"] == "prioritise")
                           for phone in phones))

    async def voter(phone, n):
        a, b, c = themes[n % 3], themes[(n + 1) % 3], themes[(n + 2) % 3]
        await phone.vote({a: 3, b: 2})
        await phone.vote({b: 2, c: 2, a: 1})  # a change of mind, during the drops

    async def dropper():
        for _ in range(4):
            await asyncio.sleep(0.05)
            await asyncio.gather(*(phone.drop() for phone in random.sample(phones, len(phones) // 2)))

    await asyncio.gather(dropper(), *(voter(phone, n) for n, phone in enumerate(phones)))

    # A stale duplicate of the first ballot, delivered late, changes nothing.
    stale_phone = phones[0]
    assert (await stale_phone.send("ballot.set", stale_phone.ballots[0]))["duplicate"] is True

    for phone in phones:
        truth = await phone.assert_in_step()
        assert truth["me"]["ballot"] == phone.last_ballot
    await console.act("results.reveal", {"revealed": True})
    results = (await console.fresh())["results"]
    expected = Counter()
    for phone in phones:
        expected.update({int(k): v for k, v in phone.last_ballot.items()})
    assert {e["theme_id"]: e["score"] for e in results["entries"]} == dict(expected)
    assert results["dots_cast"] == 5 * len(phones) and results["voters"] == len(phones)
    await _in_step(console, projector, *phones)


def test_two_hundred_phones_reconnecting_at_once_all_catch_up(deployment):
    run(_reconnect_storm, deployment)


async def _reconnect_storm(deployment):
    created, console, projector, phones = await _room(deployment, 200)
    await asyncio.gather(*(phone.submit(f"Punkt {n}") for n, phone in enumerate(phones)))
    await console.until(lambda: len(console.state["items"]) == 200, 60)

    everyone = range(len(deployment.servers))
    for index in everyone:
        deployment.kill(index)
    await asyncio.sleep(1)
    await _restart(deployment, *everyone)  # all 200 phones come back in the same moment
    # Generous: on a loaded 2-core CI machine 200 reconnects to two restarting processes queue up.
    await asyncio.gather(*(phone.until(lambda p=phone: p.sio.connected and p.currents + p.snapshots >= 2, 150)
                           for phone in phones))
    # Nothing a phone shows changed while the server was down: each got `current`, not a snapshot.
    # (A phone may reconnect twice if its first connection lands while a process is starting.)
    seen = Counter((phone.snapshots, phone.currents > 0) for phone in phones)
    assert set(seen) == {(1, True)}, f"(snapshots, got current) per phone: {dict(seen)}"

    await console.until(lambda: console.sio.connected, 60)
    await console.act("phase.set", {"phase": "aggregate"})
    await asyncio.gather(*(phone.until(lambda p=phone: p.state["workshop"]["phase"] == "aggregate")
                           for phone in phones))
    await _every_acked_item_stored_once(console, phones)
    await _in_step(console, projector, *phones)
