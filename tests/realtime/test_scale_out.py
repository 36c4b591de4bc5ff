"""Two server processes sharing PostgreSQL and a Redis message queue behave as one server."""
from __future__ import annotations

import uuid

import pytest

from tests.live import LiveServer


def test_clients_on_different_processes_see_everything(two_servers, screens):
    one, two = two_servers
    created = one.create_workshop()
    console = screens(one, "facilitator", created["facilitator_token"])
    projector = screens(two, "projector", created["projector_token"])
    phone_on_one = screens(one, "participant", one.join(created["code"])["token"])
    token = two.join(created["code"])["token"]
    phone_on_two = screens(two, "participant", token)
    other_tab_on_one = screens(one, "participant", token)  # the same person, another tab, another process

    reply = phone_on_two.call("item.submit", {"client_id": uuid.uuid4().hex, "lane": "challenge",
                                              "text": "Behoven kartläggs av fel personer"})
    assert reply["ok"], reply
    for screen in (console, projector):
        screen.wait_change("item.added")
    # Phones hear only of their own items: the author's other tab does, through the other process;
    # the sending connection has it in its ack already.
    other_tab_on_one.wait_for(lambda: other_tab_on_one.personal)
    assert other_tab_on_one.personal[0]["item"]["id"] == reply["item"]["id"]
    assert phone_on_two.personal == [] and phone_on_one.personal == []

    assert console.call("phase.set", {"phase": "aggregate"})["ok"]
    for screen in (projector, phone_on_one, phone_on_two):
        screen.wait_change("phase.changed", phase="aggregate")
    assert projector.fresh()["version"] == console.fresh()["version"]


def test_a_console_on_another_process_is_refused_once_its_link_is_rotated(two_servers, screens):
    one, two = two_servers
    created = one.create_workshop()
    console = screens(two, "facilitator", created["facilitator_token"])
    assert console.call("theme.create", {"name": "Före bytet"})["ok"]
    rotated = one.api("POST", f"/api/workshops/{created['code']}/links", token=created["facilitator_token"])
    assert rotated.status_code == 200, rotated.text
    # The old link, still connected to the other process, can change nothing any more.
    reply = console.call("theme.create", {"name": "Efter bytet"})
    assert reply["ok"] is False and reply["error"]["code"] == "bad_token"
    fresh = screens(two, "facilitator", rotated.json()["facilitator_token"])
    assert [t["name"] for t in fresh.fresh()["themes"]] == ["Före bytet"]
