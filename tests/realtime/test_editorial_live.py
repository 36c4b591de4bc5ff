"""The editorial layer on a real server: a save reaches every console open on the workshop (two
tabs of one facilitator, whichever of them or the API saved), never the projector or the phones
(the projector counts it as an `unseen` change, so it sees no gap and never resyncs for it);
and a bad value in any field is a 400 naming the field, in the caller's language, changing nothing."""
from __future__ import annotations

import uuid


def _theme(live_server, code: str, token: str) -> int:
    person = live_server.join(code, "buyer", "Anna")
    assert live_server.api("POST", f"/api/workshops/{code}/items", token=person["token"], json={
        "client_id": uuid.uuid4().hex, "lane": "challenge", "text": "Users are asked too late"}).ok
    assert live_server.api("PUT", f"/api/workshops/{code}/phase", token=token, json={"phase": "aggregate"}).ok
    made = live_server.api("POST", f"/api/workshops/{code}/themes", token=token, json={"name": "Early user voice"})
    assert made.status_code == 201, made.text
    return made.json()["theme"]["id"]


def test_a_save_reaches_every_open_console_and_no_other_screen(live_server, screens):
    created = live_server.create_workshop("How do we buy assistive technology?", "en")
    code, fac = created["code"], created["facilitator_token"]
    theme = _theme(live_server, code, fac)
    first = screens(live_server, "facilitator", fac)
    second = screens(live_server, "facilitator", fac)
    projector = screens(live_server, "projector", created["projector_token"])
    phone = screens(live_server, "participant", live_server.join(code)["token"])

    ack = first.call("editorial.set", {"version": 0, "conclusion": "Ask the users first."})
    assert ack["ok"] and ack["version"] == 1, ack
    for console in (first, second):
        console.wait_change("editorial.changed", scope="workshop", version=1)
    saved = live_server.api("PUT", f"/api/workshops/{code}/editorial/themes/{theme}", token=fac,
                            json={"version": 0, "synthesis": "Users come in late."})
    assert saved.ok, saved.text
    for console in (first, second):
        console.wait_change("editorial.changed", scope=f"theme-{theme}", theme_id=theme, version=1)
    reading = second.call("editorial.get", {})
    assert reading["editorial"]["workshop"]["conclusion"] == "Ask the users first."
    # A change every screen sees, after the saves: by then the projector and the phone would hold them.
    assert first.call("phase.set", {"phase": "prioritise"})["ok"]
    for screen in (projector, phone):
        screen.wait_for(lambda screen=screen: any(c["type"] == "phase.changed" for c in screen.changes))
    assert not [c for c in projector.changes + phone.changes if c["type"] == "editorial.changed"]
    # The projector counted each console-only save as an `unseen` change: no gap in its sequence,
    # so it never had to ask for a fresh snapshot, and what it folded equals one.
    seqs = [c["seq"] for c in projector.changes]
    assert seqs == list(range(projector.snapshot["seq"] + 1, projector.snapshot["seq"] + 1 + len(seqs)))
    assert [c["type"] for c in projector.changes].count("unseen") == 2
    assert [kind for kind, _ in projector.received].count("snapshot") == 1
    assert projector.live_state()["themes"] == projector.fresh()["themes"]


def test_bad_editorial_input_is_a_400_naming_the_field_over_http_and_socket(live_server, screens):
    created = live_server.create_workshop("How do we buy assistive technology?", "en")
    code, fac = created["code"], created["facilitator_token"]
    theme = _theme(live_server, code, fac)
    path = f"/api/workshops/{code}/editorial/themes/{theme}"
    for due in ("2027-02-30", "31/03/2027", "tomorrow"):
        refused = live_server.api("PUT", path, token=fac, headers={"Accept-Language": "sv"},
                                  json={"version": 0, "support_description": "A checklist", "support_due": due})
        assert refused.status_code == 400, (due, refused.text)
        error = refused.json()["error"]
        assert error["code"] == "invalid" and list(error["fields"]) == ["support_due"], error
        assert error["message"].startswith("Kontrollera det du har angett: Klart senast: ange ett datum som finns")
    undecided = live_server.api("PUT", path, token=fac, json={"version": 0, "support_owner": "Anna"})
    assert undecided.status_code == 400 and list(undecided.json()["error"]["fields"]) == ["support_description"]
    too_long = live_server.api("PUT", f"/api/workshops/{code}/editorial", token=fac,
                               json={"version": 0, "conclusion": "x" * 4001})
    assert too_long.status_code == 400
    assert too_long.json()["error"]["fields"] == {"conclusion": ["Overall conclusion: enter at most 4000 characters."]}
    console = screens(live_server, "facilitator", fac)
    ack = console.call("theme.editorial.set", {"theme_id": theme, "version": 0, "support_description": "x",
                                               "support_due": "2027-02-30"})
    assert ack["ok"] is False and list(ack["error"]["fields"]) == ["support_due"]
    assert live_server.api("GET", f"/api/workshops/{code}/editorial", token=fac).json()["editorial"]["themes"][0][
        "version"] == 0  # nothing saved
    # A cleared date field means no date.
    saved = live_server.api("PUT", path, token=fac, json={"version": 0, "support_description": "A checklist",
                                                         "support_due": "", "support_kind": ""})
    assert saved.status_code == 200, saved.text
    assert saved.json()["content"]["support"]["due"] is None
