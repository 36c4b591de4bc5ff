"""A workshop with someone in every role, built through the real services on a real database."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from tests.conftest import FreshLocaleClient
from workshop import create_app
from workshop.extensions import db
from workshop.models import Account
from workshop.operations import join, perform
from workshop.services import accounts
from workshop.services import workshops as ws
from workshop.services import founding

PASSWORD = "correct horse battery staple"


@dataclass
class World:
    code: str
    workshop_id: int
    facilitator_token: str
    projector_token: str
    participant_token: str
    participant_id: int
    theme_id: int
    item_id: int
    co_facilitator_token: str | None = None  # the invited co-facilitator's own console link


@dataclass(frozen=True)
class Person:
    id: int
    email: str


@dataclass
class People:
    organiser: Person
    co_facilitator: Person
    admin: Person
    stranger: Person


def make_app(tmp_path, **overrides):
    settings = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'security.db'}", "PUBLIC_URL": "http://workshop.test",
                **overrides}
    app = create_app("testing", **settings)
    app.test_client_class = FreshLocaleClient
    return app


def make_people() -> People:
    made = [accounts.create_account(f"{who}-{uuid.uuid4().hex[:6]}@example.org", PASSWORD, is_admin=who == "admin")
            for who in ("organiser", "co", "admin", "stranger")]
    return People(*(Person(account.id, account.email) for account in made))


def make_world(people: People, owned: bool = True) -> World:
    """An organiser's workshop in the aggregate phase with one participant, a theme and an item
    (``owned=False``: made without an account, so its facilitator link is its only steward)."""
    created = founding.create_workshop("How do we buy better?", "en", "think-tank", None)
    workshop_id, code = created.workshop.id, created.workshop.code
    co_token = None
    if owned:
        accounts.claim(workshop_id, db.session.get(Account, people.organiser.id), created.facilitator_token)
        accounts.invite(workshop_id, people.co_facilitator.email)
        co_token = accounts.co_facilitator_token(workshop_id, people.co_facilitator.id)
    participant, token = join(code, {"perspective": "buyer", "name": "Kim"})
    me = ws.Identity("participant", workshop_id, participant["id"])
    item = perform("item.submit", me, {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "Slow tenders"})
    facilitator = ws.Identity("facilitator", workshop_id)
    perform("phase.set", facilitator, {"phase": "aggregate"})
    theme = perform("theme.create", facilitator, {"name": "Speed"})
    return World(code, workshop_id, created.facilitator_token, created.projector_token, token, participant["id"],
                 theme.reply["theme"]["id"], item.reply["item"]["id"], co_token)


def sign_in_as(client, account: Person | None) -> None:
    """The session a successful sign-in leaves (sign-in itself is tested in test_accounts)."""
    with client.session_transaction() as session:
        session.clear()
        if account is not None:
            session["account_id"] = account.id


@pytest.fixture
def secure_app(tmp_path, database_url):
    """On SQLite and, when configured, PostgreSQL (deletion relies on the database's cascades)."""
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def people(secure_app):
    return make_people()


@pytest.fixture
def world(secure_app, people):
    return make_world(people)
