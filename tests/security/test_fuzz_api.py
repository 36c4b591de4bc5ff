"""The JSON API fuzzed from its own OpenAPI document with schemathesis: inputs that fit the
document and inputs that break it, on every operation, with each role's token (and none, and a
revoked one), on a fresh workshop each time.

No input may get a 5xx; every answer must be one the document promises for that operation (its
status, media type, headers and body schema); a missing or revoked token is 401 and a valid one
without the right 403; and an input the API refuses (any 4xx) must leave every table as it was.
Bounded (max_examples) so the whole file runs in about a minute on two cores.
"""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, negative_data_rejection,
                                               response_headers_conformance, response_schema_conformance,
                                               status_code_conformance)
from sqlalchemy import func, select

from tests.security.conftest import make_app, make_people, make_world
from workshop import authz, create_app
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
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
# The roles a bearer token can hold, no token at all, and a token the server does not know (a
# revoked link's). The session-cookie roles are walked in test_matrix.py.
ROLES = ["facilitator", "participant", "projector", None, "revoked"]


def expected_refusal(role: str | None, endpoint: str) -> int | None:
    """401 without a valid credential, 403 with one that lacks the right, None when allowed in."""
    if authz.can(authz.ANONYMOUS, endpoint):
        return None
    if role in (None, "revoked"):
        return 401
    return None if authz.can(role, endpoint) else 403


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
    endpoint = "api." + operation.definition.raw["operationId"]
    checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data(), role=st.sampled_from(ROLES), real_code=st.booleans())
    def fuzz(data, role, real_code):
        world = worlds.get("clean") or make_world(fuzz_app.config["people"])
        worlds["clean"] = world
        token = {"facilitator": world.facilitator_token, "participant": world.participant_token,
                 "projector": world.projector_token, "revoked": "revoked-" + world.facilitator_token}.get(role)
        # The real workshop and the role's token are given to schemathesis rather than written over
        # its case, so that it knows which parts of a negative case are still negative.
        real_code = real_code and "{code}" in path
        case = data.draw(operation.as_strategy(
            mode, path_parameters={"code": world.code} if real_code else None,
            headers={"Authorization": f"Bearer {token}"} if token else None))
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        db.session.remove()
        before = state()
        response = case.call(headers=headers)
        db.session.remove()
        assert response.status_code < 500, (case.method, case.formatted_path, case.body, response.text[:300])
        case.validate_response(response, checks=checks, headers=headers)
        # A negative case may have replaced the header with a broken one: judge by what was sent.
        sent = response.request.headers.get("Authorization")
        tokens = {f"Bearer {token}": role} if token else {}
        refusal = expected_refusal(tokens.get(sent, "revoked" if sent else None), endpoint)
        if response.status_code in (401, 403):
            assert response.status_code == (refusal or 403), (role, case.method, case.formatted_path)
        if refusal and real_code:
            assert response.status_code in (refusal, 404), (role, case.method, case.formatted_path)
        if response.status_code >= 400:
            assert state() == before, (case.method, case.formatted_path, case.body, response.status_code)
        elif case.method.upper() != "GET":
            worlds.pop("clean")  # changed: the next example gets a fresh workshop

    worlds: dict = {}
    fuzz()
