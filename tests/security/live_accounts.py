"""Accounts on a real server process, made and used through its real pages (sign-up is open in
development, as the live test server runs)."""
from __future__ import annotations

import re
import time

import requests


def console_link(page: str) -> str | None:
    found = re.search(r'href="[^"]*/facilitator/([A-Za-z0-9_-]+)"', page)
    return found.group(1) if found else None


def signed_in(server, email: str, password: str = "correct horse battery staple") -> requests.Session:
    """An account made and signed in through the real pages (sign-up is open in development)."""
    http = requests.Session()
    page = http.get(server.url + "/account/sign-up", timeout=10).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    made = http.post(server.url + "/account/sign-up", data={"email": email, "password": password,
                                                            "csrf_token": csrf}, timeout=10)
    assert made.status_code == 200 and "/organiser" in made.url, made.text[:500]
    http.csrf = csrf
    return http


def form(http: requests.Session, url: str, **data) -> requests.Response:
    page = http.get(url.split("/organiser/", 1)[0] + "/organiser/", timeout=10).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return http.post(url, data={**data, "csrf_token": csrf}, timeout=10, allow_redirects=False)


def owned_workshop(server) -> tuple[requests.Session, str]:
    """A workshop made on the organiser's page by a fresh account: (their session, its code)."""
    owner = signed_in(server, f"owner-{time.monotonic_ns()}@example.org")
    created = form(owner, server.url + "/organiser/workshops", question="Hur köper vi bättre?",
                   language="sv", template="think-tank")
    return owner, created.headers["Location"].rstrip("/").rsplit("/", 1)[-1]


def invite_co_facilitator(server, owner: requests.Session, code: str) -> str:
    """Invite a fresh account; returns the console link its own page shows."""
    email = f"helper-{time.monotonic_ns()}@example.org"
    helper = signed_in(server, email)
    workshop_url = f"{server.url}/organiser/workshops/{code}"
    assert form(owner, workshop_url + "/co-facilitators", email=email).status_code == 303
    return console_link(helper.get(workshop_url, timeout=10).text)
