"""The authorisation matrix, walked cell by cell: every role against every HTTP route (each method
of every rule in the app's url_map) and every operation, allowed exactly where workshop.authz says.

A route or operation missing from the matrix fails the completeness tests; a cell the app
answers differently from the matrix fails the walk.
"""
from __future__ import annotations

import re

import pytest
from marshmallow import ValidationError

from tests.security.conftest import make_app, make_people, make_world, sign_in_as
from workshop import authz, create_app
from workshop.authz import Actor
from workshop.domain.errors import DomainError
from workshop.extensions import db
from workshop.operations import OPERATIONS, perform
from workshop.services import accounts
from workshop.services.workshops import Identity

TOKEN_ROLES = {"participant": "participant_token", "projector": "projector_token", "facilitator": "facilitator_token",
               "link-steward": "facilitator_token"}
ACCOUNT_ROLES = {"co-facilitator": "co_facilitator", "organiser": "organiser", "admin": "admin"}
# Extra rows, beside the roles: a co-facilitator with only their own link (no session), and one
# the organiser removed, with the link and the session they had.
CO_LINK, REMOVED = "co-facilitator link only", "removed co-facilitator"


def _app_routes(app) -> list[tuple[str, str, str]]:
    return sorted({(rule.endpoint, method, rule.rule) for rule in app.url_map.iter_rules()
                   for method in rule.methods - {"HEAD", "OPTIONS"}})


@pytest.fixture(scope="module")
def matrix_app(tmp_path_factory):
    # In memory: the walk builds a fresh workshop for each of its ~400 cells.
    app = make_app(tmp_path_factory.mktemp("matrix"), RATE_LIMIT_ENABLED=False, SQLALCHEMY_DATABASE_URI="sqlite://")
    with app.app_context():
        db.create_all()
        app.config["people"] = make_people()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_every_route_of_the_app_is_in_the_matrix_and_nothing_else(matrix_app):
    endpoints = {rule.endpoint for rule in matrix_app.url_map.iter_rules()}
    assert endpoints - set(authz.ROUTES) == set(), "routes nobody classified"
    assert set(authz.ROUTES) - endpoints == set(), "matrix entries for routes that do not exist"


def test_every_operation_is_in_the_matrix_and_every_event_is_an_operation():
    assert set(OPERATIONS) - set(authz.EVENTS) == set()
    assert set(authz.EVENTS) - set(OPERATIONS) == {"sync"}
    for rule in authz.ROUTES.values():
        assert rule.roles <= set(authz.ROLES)


def test_a_route_missing_from_the_matrix_is_refused(matrix_app, monkeypatch):
    monkeypatch.delitem(authz.ROUTES, "api.list_templates")
    assert matrix_app.test_client().get("/api/templates").status_code == 403


def _url(rule: str, world, people, token: str) -> str:
    values = {"code": world.code, "token": token, "theme_id": world.theme_id, "item_id": world.item_id,
              "fmt": "md", "account_id": people.co_facilitator.id, "filename": "css/base.css",
              "kind": "tag", "key": "tendering",
              "proposal_id": 1, "comment_id": 1}  # no proposal needed: the body is refused after authorisation
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), rule)


def _denied(response) -> bool:
    if response.status_code in (401, 403):
        return True
    return response.status_code in (302, 303) and "/account/sign-in" in response.headers.get("Location", "")


def _cell(app, role: str, endpoint: str, method: str, rule: str):
    """One request as ``role``, on a fresh workshop (a cell may delete it or rotate its links)."""
    people = app.config["people"]
    world = make_world(people, owned=role != "link-steward")
    client = app.test_client()
    headers, token, account = {}, "not-a-capability-token", None
    if role in TOKEN_ROLES:
        token = getattr(world, TOKEN_ROLES[role])
        headers["Authorization"] = f"Bearer {token}"
    if role in ACCOUNT_ROLES:
        account = getattr(people, ACCOUNT_ROLES[role])
    if role in ("co-facilitator", CO_LINK, REMOVED):
        token = world.co_facilitator_token  # a co-facilitator's console opens with their own link
    if role in (CO_LINK, REMOVED):
        headers["Authorization"] = f"Bearer {token}"
    if role == REMOVED:
        account = people.co_facilitator
        accounts.uninvite(world.workshop_id, account.id)
    sign_in_as(client, account)
    url = _url(rule, world, people, token)
    if rule.startswith("/api/"):
        return client.open(url, method=method, json={}, headers=headers)
    return client.open(url, method=method, data={}, headers=headers)


def _expected(role: str, endpoint: str) -> bool:
    if role == CO_LINK:  # everything a co-facilitator may do on a workshop, but their account pages
        return authz.can(authz.CO_FACILITATOR, endpoint) and not endpoint.startswith("organiser.") \
            and endpoint not in ACCOUNT_PAGES
    if role == REMOVED:
        return authz.can(authz.ANONYMOUS, endpoint) or endpoint in ACCOUNT_PAGES
    return authz.can(role, endpoint)


# Pages about one's account, not a workshop: a removed co-facilitator still has their account.
ACCOUNT_PAGES = {name for name, rule in authz.ROUTES.items() if rule.credential == authz.ACCOUNT}


@pytest.mark.parametrize("route", _app_routes(create_app("testing")),
                         ids=lambda r: f"{r[1]} {r[2]}")
def test_each_role_is_allowed_or_refused_on_each_route_as_the_matrix_says(matrix_app, route):
    """Each role, and the rows the capability-link attack found: the facilitator link of a
    workshop an organiser owns does not answer for it (delete, audit, links, retention), a
    co-facilitator acts with their own link, and a removed one holds nothing on the workshop."""
    endpoint, method, rule = route
    wrong = []
    for role in (*authz.ROLES, CO_LINK, REMOVED):
        response = _cell(matrix_app, role, endpoint, method, rule)
        assert response.status_code < 500, (role, response.status_code)
        expected = "allowed" if _expected(role, endpoint) else "denied"
        actual = "denied" if _denied(response) else "allowed"
        if expected != actual:
            wrong.append((role, expected, response.status_code))
    assert not wrong, wrong


def _identity(role: str, world, people) -> Identity:
    if role == "participant":
        return Identity("participant", world.workshop_id, world.participant_id)
    if role in ACCOUNT_ROLES:
        account = getattr(people, ACCOUNT_ROLES[role])
        return Actor("facilitator", world.workshop_id, None, actor_role=role, account_id=account.id,
                     email=account.email)
    if role == "link-steward":
        return Identity("facilitator", world.workshop_id)  # over a socket the link is a facilitator's
    return Identity(role, world.workshop_id)  # anonymous, projector, facilitator


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_each_role_may_perform_each_operation_only_as_the_matrix_says(matrix_app, name):
    """In-process, through operations.perform (the socket namespace and the JSON API call it);
    tests/security/test_socket_matrix.py does the same over real connections."""
    people = matrix_app.config["people"]
    wrong = []
    for role in authz.ROLES:
        world = make_world(people)
        try:
            perform(name, _identity(role, world, people), {})
            outcome = "allowed"
        except ValidationError:
            outcome = "allowed"  # past the authorisation, refused for its (empty) payload
        except DomainError as exc:
            outcome = "denied" if exc.code == "not_allowed" else "allowed"
        finally:
            db.session.rollback()
        expected = "allowed" if authz.can(role, name) else "denied"
        if outcome != expected:
            wrong.append((role, expected))
    assert not wrong, wrong
