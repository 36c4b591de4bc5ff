"""The JSON API fuzzed from its own OpenAPI document with schemathesis: inputs that fit the
document and inputs that break it, with each role's token, on a fresh workshop each time.

No input may get a 5xx, and an input the API refuses (any 4xx) must leave every table as it was.
Bounded (max_examples) so the whole file runs in well under a minute.
"""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from sqlalchemy import func, select

from tests.security.conftest import make_app, make_people, make_world
from workshop import create_app
from workshop.extensions import db
from workshop.http.openapi import build_spec

with create_app("testing").app_context():
    _PATHS = build_spec()["paths"]


def _breakable(spec: dict) -> bool:
    """Negative inputs only where there is one to break: a body, a typed path parameter, or the
    bearer header (any string is a valid join code, so a public route with only a code has none)."""
    typed = any(p["schema"].get("type") != "string" or "enum" in p["schema"] for p in spec.get("parameters", []))
    return bool(spec.get("requestBody")) or typed or spec.get("security") != []


CASES = sorted((path, method, mode) for path, methods in _PATHS.items() for method, spec in methods.items()
               for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
               if mode is GenerationMode.POSITIVE or _breakable(spec))
EXAMPLES = 10


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("fuzz"), RATE_LIMIT_ENABLED=False, SQLALCHEMY_DATABASE_URI="sqlite://")
    with app.app_context():
        db.create_all()
        app.config["people"] = make_people()
        app.config["schema"] = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
        yield app
        db.session.remove()
        db.engine.dispose()


def state() -> dict:
    """Every row count and every workshop's mutable columns: what a refused input must not move."""
    counts = {table.name: db.session.scalar(select(func.count()).select_from(table))
              for table in db.metadata.sorted_tables}
    rows = db.session.execute(select(*[c for c in db.metadata.tables["workshops"].columns])).all()
    return {"counts": counts, "workshops": sorted(tuple(map(str, row)) for row in rows)}


@pytest.mark.parametrize("path,method,mode", CASES, ids=lambda v: v.value if isinstance(v, GenerationMode) else v)
def test_no_input_crashes_the_api_and_a_refused_one_changes_nothing(fuzz_app, path, method, mode):
    operation = fuzz_app.config["schema"][path][method]

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(mode), role=st.sampled_from(["facilitator", "participant", "projector", None]),
           real_code=st.booleans())
    def fuzz(case, role, real_code):
        world = worlds.get("clean") or make_world(fuzz_app.config["people"])
        worlds["clean"] = world
        if real_code and "code" in (case.path_parameters or {}):
            case.path_parameters["code"] = world.code
        token = {"facilitator": world.facilitator_token, "participant": world.participant_token,
                 "projector": world.projector_token}.get(role)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        db.session.remove()
        before = state()
        response = case.call(headers=headers)
        db.session.remove()
        assert response.status_code < 500, (case.method, case.formatted_path, case.body, response.text[:300])
        if response.status_code >= 400:
            assert state() == before, (case.method, case.formatted_path, case.body, response.status_code)
        elif case.method.upper() != "GET":
            worlds.pop("clean")  # changed: the next example gets a fresh workshop

    worlds: dict = {}
    fuzz()
