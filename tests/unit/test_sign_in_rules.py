"""Who the organisation's OpenID provider may sign in, and as what (workshop/domain/sign_in.py)."""
from __future__ import annotations

import pytest

from workshop.domain import sign_in as rules


def test_the_address_is_lower_cased_and_an_unverified_one_refused():
    assert rules.email_of({"email": " Anna@Kommun.SE "}) == "anna@kommun.se"
    assert rules.email_of({"email": "anna@kommun.se", "email_verified": True}) == "anna@kommun.se"
    for claims in ({"email": "anna@kommun.se", "email_verified": False}, {}, {"email": 7}, {"email": "no-at"}):
        with pytest.raises(rules.SignInRefused):
            rules.email_of(claims)


def test_domains_match_exactly_and_none_allows_any():
    assert rules.domain_allowed("a@kommun.se", ())
    assert rules.domain_allowed("a@kommun.se", ("region.se", "kommun.se"))
    assert not rules.domain_allowed("a@sub.kommun.se", ("kommun.se",))
    assert not rules.domain_allowed("a@evilkommun.se", ("kommun.se",))
    with pytest.raises(rules.SignInRefused) as refused:
        rules.check_domain("a@example.com", ("kommun.se",))
    assert refused.value.params == {"domain": "example.com"} and refused.value.status == 403


def test_the_administrator_claim_as_a_string_or_a_list():
    assert rules.is_admin({"groups": ["staff", "admins"]}, "groups", ("admins",)) is True
    assert rules.is_admin({"roles": "admins"}, "roles", ("admins",)) is True
    assert rules.is_admin({"groups": ["staff"]}, "groups", ("admins",)) is False
    assert rules.is_admin({"groups": {"admins": 1}}, "groups", ("admins",)) is False
    assert rules.is_admin({"groups": ["admins"]}, "groups", ()) is None  # not configured: never changed


def test_the_subject_must_be_a_short_string():
    assert rules.subject_of({"sub": "248289761001"}) == "248289761001"
    for claims in ({}, {"sub": ""}, {"sub": 5}, {"sub": "x" * 256}):
        with pytest.raises(Exception):
            rules.subject_of(claims)
