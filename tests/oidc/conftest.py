"""A real OpenID provider (tests/oidc/provider.mjs, the `oidc-provider` package) and a real
server configured to sign organisers in with it, each on a free port; and a browser-like walk
through the provider's own sign-in form.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

from tests.live import ROOT, LiveServer, free_port, service_missing

CLIENT_ID, CLIENT_SECRET = "behovsworkshop", "client-secret-for-tests-only"
ADMIN_GROUP = "behovsworkshop-admins"
# The provider's people, by subject: the login its sign-in form takes.
PEOPLE = {
    "anna-0001": {"email": "anna@kommun.se", "email_verified": True, "name": "Anna", "groups": ["staff"]},
    "admin-0002": {"email": "ada@kommun.se", "email_verified": True, "groups": ["staff", ADMIN_GROUP]},
    "bob-0003": {"email": "bob@example.com", "email_verified": True},
    "dora-0004": {"email": "dora@kommun.se", "email_verified": True},
    "carl-0005": {"email": "carl@kommun.se", "email_verified": True},
    "mallory-0006": {"email": "carl@kommun.se", "email_verified": True},  # another subject, same address
    "eve-0007": {"email": "eve@kommun.se", "email_verified": False},
    "replay-0008": {"email": "rita@kommun.se", "email_verified": True},
    "forge-0009": {"email": "fred@kommun.se", "email_verified": True},
    "lina-0010": {"email": "lina@kommun.se", "email_verified": True},
}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Provider:
    def __init__(self, tmp: Path, app_url: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = tmp / "provider.json"
        config.write_text(json.dumps({
            "clients": [{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                         "redirect_uris": [f"{app_url}/account/oidc/callback"],
                         "post_logout_redirect_uris": [f"{app_url}/"]}],
            "accounts": PEOPLE}))
        node = shutil.which("node")
        if node is None:
            service_missing("Node.js (apt-get install nodejs; scripts/system-deps)")
        if not (ROOT / "node_modules" / "oidc-provider").is_dir():
            pytest.fail("oidc-provider is not installed: run `npm ci` (make setup does)")
        self.log = open(tmp / "provider.log", "wb")
        self.process = subprocess.Popen([node, str(ROOT / "tests" / "oidc" / "provider.mjs"), str(self.port),
                                         str(config)], cwd=ROOT, stdout=subprocess.PIPE, stderr=self.log)
        line = self.process.stdout.readline()  # blocks until it listens, or it exits
        if line.strip() != b"ready":
            self.stop()
            raise RuntimeError(f"the OpenID provider did not start; see {tmp / 'provider.log'}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.log.close()


@pytest.fixture(scope="module")
def oidc_stack(tmp_path_factory):
    """One provider and one server for the module; each test signs in as its own person."""
    tmp = tmp_path_factory.mktemp("oidc")
    database = tmp / "workshop.db"
    server = LiveServer(f"sqlite:///{database}", tmp / "server.log")
    provider = Provider(tmp, server.url)
    server.env.update({"OIDC_ISSUER": provider.url, "OIDC_CLIENT_ID": CLIENT_ID,
                       "OIDC_CLIENT_SECRET": CLIENT_SECRET, "OIDC_ALLOWED_DOMAINS": "kommun.se",
                       "OIDC_ADMIN_CLAIM": "groups", "OIDC_ADMIN_VALUES": ADMIN_GROUP,
                       "OIDC_SCOPES": "openid email profile groups", "OIDC_LABEL": "Kommunens inloggning",
                       "RATE_LIMIT_ENABLED": "0"})
    server.migrate()
    server.start()
    try:
        yield server, provider, database
    finally:
        server.stop()
        provider.stop()


def flask_cli(server: LiveServer, *args: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", *args], cwd=ROOT,
                          env={**server.env, **env}, capture_output=True, text=True, timeout=60)


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def through_provider(browser: requests.Session, response: requests.Response, login: str, app_url: str) -> str:
    """Follow the redirects from our server to the provider, fill in its sign-in form if it asks
    (as ``login``), and return the callback address the provider sends the browser back to,
    without calling it."""
    for _ in range(12):
        if response.is_redirect:
            location = urljoin(response.url, response.headers["Location"])
            if location.startswith(app_url + "/account/oidc/callback"):
                return location
            response = browser.get(location, allow_redirects=False, timeout=10)
            continue
        assert response.status_code == 200, (response.status_code, response.text[:500])
        form = re.search(r'<form[^>]*action="([^"]+)"[^>]*method="post"', response.text)
        assert form and 'name="login"' in response.text, f"not the provider's sign-in form: {response.text[:500]}"
        response = browser.post(urljoin(response.url, form.group(1).replace("&amp;", "&")),
                                data={"prompt": "login", "login": login, "password": "any"},
                                allow_redirects=False, timeout=10)
    raise AssertionError("the provider never sent the browser back")


def start_sign_in(browser: requests.Session, server: LiveServer, login: str, next_path: str | None = None) -> str:
    params = {"next": next_path} if next_path else None
    response = browser.get(server.url + "/account/oidc/start", params=params, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text[:500]
    assert response.headers["Location"].startswith(server.env["OIDC_ISSUER"] + "/auth?")
    return through_provider(browser, response, login, server.url)
