"""docs/realtime.md's event and error tables are the code's: regenerate them and compare."""
from __future__ import annotations

import re

from workshop import protocol_doc
from workshop.operations import OPERATIONS


def test_the_protocol_tables_match_the_code(sqlite_app):
    with sqlite_app.app_context():
        tables = protocol_doc.generated()
    text = protocol_doc.DOC.read_text(encoding="utf-8")
    assert protocol_doc.rewrite(text, tables) == text, "run `python -m workshop.protocol_doc` and commit docs/realtime.md"


def test_every_event_and_code_the_client_author_missed_is_listed(sqlite_app):
    with sqlite_app.app_context():
        events, errors = protocol_doc.event_table(), protocol_doc.error_table()
    for name in list(OPERATIONS) + ["sync"]:
        assert f"| `{name}` |" in events
    codes = re.findall(r"^\| `([a-z_]+)` \|", errors, re.M)
    assert len(codes) == len(set(codes)), "a code is listed twice"
    for code in ("item_merged_own", "round_no_entries", "payload_too_large", "unknown_event", "rate_limited"):
        assert code in codes
    round_create = next(line for line in events.splitlines() if line.startswith("| `round.create` |"))
    assert "`round_no_entries`" in round_create


def test_the_scan_finds_the_codes_a_service_raises_through_the_functions_it_calls():
    from workshop.services import submissions
    assert {"round_not_current", "ballot_budget", "client_id_taken", "phase_forbids"} <= protocol_doc.codes_of(
        submissions.set_ballots)


def test_the_asyncapi_document_is_the_code_s(sqlite_app):
    """docs/asyncapi.json is generated from the declarations; every reference in it resolves."""
    import json

    from workshop import asyncapi_doc

    with sqlite_app.app_context():
        text = asyncapi_doc.rendered()
    assert asyncapi_doc.DOC.read_text(encoding="utf-8") == text, \
        "run `python -m workshop.asyncapi_doc` and commit docs/asyncapi.json"
    document = json.loads(text)
    messages = document["channels"]["workshop"]["messages"]
    assert {messages[op["messages"][0]["$ref"].rsplit("/", 1)[1]]["name"] for key, op in
            document["operations"].items() if not key.startswith("push_")} == set(OPERATIONS)

    def resolve(ref: str):
        node = document
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
        return node

    refs = re.findall(r'"\$ref": "(#/[^"]+)"', text)
    assert refs and all(resolve(ref) is not None for ref in refs)
