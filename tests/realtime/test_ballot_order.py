"""The last ballot a participant sends stands, in every deployment.

Thirty phones each send two different ballots back to back on one connection (the second leaves
before the first is acknowledged, as a phone does when someone taps quickly). Both are
acknowledged; what is stored must be the second, whether one process on SQLite serves them or
two processes share PostgreSQL and Redis (where a rate-limit check goes over the network and the
two ballots' handlers used to overtake each other).
"""
from __future__ import annotations

import threading
import uuid

import pytest

from tests.live import LiveServer, Screen, close_side_by_side

PHONES = 30


def _voting(server: LiveServer, screens) -> tuple[dict, Screen, list[int], list[dict]]:
    created = server.create_workshop()
    console = screens(server, "facilitator", created["facilitator_token"])
    people = [server.join(created["code"], "buyer") for _ in range(PHONES)]
    author = screens(server, "participant", people[0]["token"])
    assert author.call("item.submit", {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "Sen dialog"})["ok"]
    assert console.call("phase.set", {"phase": "aggregate"})["ok"]
    ids = [console.call("theme.create", {"name": f"Tema {n}"})["theme"]["id"] for n in range(3)]
    assert console.call("phase.set", {"phase": "prioritise"})["ok"]
    return created, console, ids, people


def _two_ballots_back_to_back(phone: Screen, first: dict, last: dict) -> list[dict]:
    """Send ``first`` and, without waiting for its ack, ``last``; return both acks."""
    acks: list[dict] = []
    done = threading.Event()

    def got(reply):
        acks.append(reply)
        if len(acks) == 2:
            done.set()

    phone.sio.emit("ballot.set", {"client_id": uuid.uuid4().hex, "allocation": first}, callback=got)
    phone.sio.emit("ballot.set", {"client_id": uuid.uuid4().hex, "allocation": last}, callback=got)
    assert done.wait(20), f"acks missing: {acks}"
    return acks


def _every_phone_keeps_its_last_ballot(servers: list[LiveServer], screens) -> None:
    created, console, (t1, t2, t3), people = _voting(servers[0], screens)
    phones = [Screen(servers[n % len(servers)], "participant", p["token"]) for n, p in enumerate(people)]
    connecting = [threading.Thread(target=phone.connect) for phone in phones]
    for thread in connecting:
        thread.start()
    for thread in connecting:
        thread.join()
    try:
        first, last = {str(t1): 3, str(t2): 2}, {str(t3): 3, str(t2): 1}
        results: dict[int, list[dict]] = {}
        barrier = threading.Barrier(PHONES)

        def vote(n: int, phone: Screen):
            barrier.wait(timeout=20)
            results[n] = _two_ballots_back_to_back(phone, first, last)

        voting = [threading.Thread(target=vote, args=(n, phone)) for n, phone in enumerate(phones)]
        for thread in voting:
            thread.start()
        for thread in voting:
            thread.join(timeout=60)
        assert len(results) == PHONES
        for acks in results.values():
            assert [a["ok"] for a in acks] == [True, True], acks
        stored = [phone.fresh()["me"]["ballot"] for phone in phones]
        wrong = [n for n, ballot in enumerate(stored) if ballot != last]
        assert wrong == [], f"{len(wrong)} of {PHONES} phones kept an earlier ballot: {[stored[n] for n in wrong]}"
        assert console.fresh()["turnout"]["voted"] == PHONES
    finally:
        close_side_by_side(phones)


def test_the_last_ballot_stands_on_one_process_with_sqlite(live_server, screens):
    _every_phone_keeps_its_last_ballot([live_server], screens)


@pytest.mark.postgres
def test_the_last_ballot_stands_on_two_processes_with_postgres_and_redis(two_servers, screens):
    _every_phone_keeps_its_last_ballot(two_servers, screens)
