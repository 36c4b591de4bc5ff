"""An app whose mail goes to a real SMTP server the tests start, and an organiser's workshop."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from tests.mail.smtp import Inbox, SMTPServer
from tests.security.conftest import make_app, make_people, make_world, sign_in_as
from workshop.extensions import db
from workshop.models_invitations import Mailing


@pytest.fixture
def inbox():
    return Inbox()


@pytest.fixture
def smtp(inbox):
    with SMTPServer(inbox) as server:
        yield server


@pytest.fixture
def mail_app(tmp_path, database_url, smtp):
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=database_url, **smtp.settings())
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def people(mail_app):
    return make_people()


@pytest.fixture
def world(mail_app, people):
    return make_world(people)


@pytest.fixture
def organiser(mail_app, people):
    client = mail_app.test_client()
    sign_in_as(client, people.organiser)
    return client


def finished_mailing(workshop_id: int, timeout: float = 10) -> Mailing:
    """The latest send of the workshop once it has finished (it runs after the request)."""
    deadline = time.monotonic() + timeout
    while True:
        db.session.expire_all()
        mailing = db.session.scalars(select(Mailing).where(Mailing.workshop_id == workshop_id)
                                     .order_by(Mailing.id.desc())).first()
        if mailing is not None and mailing.finished_at is not None:
            return mailing
        assert time.monotonic() < deadline, "the send did not finish"
        time.sleep(0.05)
