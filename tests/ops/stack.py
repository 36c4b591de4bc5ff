"""The production stack, for tests: gunicorn processes started with the command of
docs/deployment.md, a throw-away TLS certificate, and HAProxy or nginx running the example files
in deploy/ with their placeholders filled in.
"""
from __future__ import annotations

import os
import shutil
import string
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests
import socketio
from sqlalchemy import create_engine, text

from tests.live import ROOT, LiveServer, Screen, free_port, service_missing

DEPLOY = ROOT / "deploy"


# ``gunicorn -c deploy/gunicorn.conf.py -k gevent -w 1 --bind ... wsgi:app``, the venv's gunicorn.
GUNICORN = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "-k", "gevent", "-w", "1",
            "--bind", "127.0.0.1:{port}", "wsgi:app"]


class GunicornServer(LiveServer):
    """A LiveServer run by gunicorn, as docs/deployment.md runs it, instead of ``python -m workshop``."""

    def __init__(self, database_url: str, log_path: Path, extra_env: dict | None = None):
        super().__init__(database_url, log_path, extra_env, command=GUNICORN)


def _answers(url: str, http: requests.Session | None = None) -> bool:
    try:
        return (http or requests).get(url, timeout=1).status_code == 200
    except requests.RequestException:
        return False


def wait_until(predicate, timeout: float, process: subprocess.Popen | None = None, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited early:\n{log.read_text()[-3000:] if log else ''}")
        result = predicate()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out{': see ' + str(log) if log else ''}")


def stop(process: subprocess.Popen | None) -> None:
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def fresh_postgres(server_url: str):
    """A database of its own next to ``server_url``'s (a generator: yields its URL, then drops it).
    Migrations run on it, so other files' ``create_all``/``drop_all`` never meet Alembic's table."""
    name = f"workshop_ops_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def need_binary(name: str) -> str:
    path = shutil.which(name) or next((p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if os.path.exists(p)), None)
    if not path:
        service_missing(f"{name} (apt-get install {name})")
    return path


def make_certificate(directory: Path) -> dict:
    """A self-signed certificate for 127.0.0.1: ``cert``, ``key`` and ``pem`` (both, for HAProxy)."""
    openssl = need_binary("openssl")
    cert, key, pem = directory / "cert.pem", directory / "key.pem", directory / "both.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    pem.write_text(cert.read_text() + key.read_text())
    return {"cert": cert, "key": key, "pem": pem}


class Balancer:
    """HAProxy or nginx on two free ports (HTTPS and a redirecting HTTP) in front of ``apps``."""

    def __init__(self, kind: str, apps: list[LiveServer], certificate: dict, directory: Path):
        self.kind, self.directory, self.certificate = kind, directory, certificate
        self.https_port, self.http_port = free_port(), free_port()
        self.url = f"https://127.0.0.1:{self.https_port}"
        self.http_url = f"http://127.0.0.1:{self.http_port}"
        self.values = {"WORKSHOP_HTTPS": f"127.0.0.1:{self.https_port}", "WORKSHOP_HTTP": f"127.0.0.1:{self.http_port}",
                       "WORKSHOP_APP1": f"127.0.0.1:{apps[0].port}", "WORKSHOP_APP2": f"127.0.0.1:{apps[1].port}",
                       "WORKSHOP_CERT": str(certificate["pem" if kind == "haproxy" else "cert"]),
                       "WORKSHOP_KEY": str(certificate["key"]), "WORKSHOP_ACCESS_LOG": str(directory / "access.log")}
        # HAProxy logs requests to its output; nginx to WORKSHOP_ACCESS_LOG.
        self.log_path = directory / f"{kind}.log"
        self.access_log_path = self.log_path if kind == "haproxy" else directory / "access.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> "Balancer":
        binary = need_binary(self.kind)
        if self.kind == "haproxy":
            # The file as shipped: HAProxy fills "${...}" from its environment.
            command, env = [binary, "-db", "-f", str(DEPLOY / "haproxy.cfg")], {**os.environ, **self.values}
        else:
            command = [binary, "-c", str(self._nginx_main()), "-p", str(self.directory),
                       "-e", str(self.directory / "nginx-error.log")]
            env = dict(os.environ)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        wait_until(lambda: _answers(self.url + "/healthz", self.session()), 20,
                   self.process, self.log_path)
        return self

    def _nginx_main(self) -> Path:
        """deploy/nginx.conf filled in as envsubst would, inside a minimal main file of our own
        (Debian's /etc/nginx/nginx.conf plays that part on a server)."""
        site = self.directory / "workshop.conf"
        site.write_text(string.Template((DEPLOY / "nginx.conf").read_text()).safe_substitute(self.values))
        d = self.directory
        main = d / "nginx-main.conf"
        main.write_text(f"""daemon off;
user root;
pid {d}/nginx.pid;
error_log {d}/nginx-error.log info;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
    include {site};
}}
""")
        return main

    def stop(self) -> None:
        stop(self.process)

    def session(self) -> requests.Session:
        """A fresh browser-like HTTP session (its own cookie jar) that trusts our certificate."""
        http = requests.Session()
        http.trust_env = False  # else REQUESTS_CA_BUNDLE, where set, overrides ``verify``
        http.verify = str(self.certificate["cert"])
        return http


class BalancedScreen(Screen):
    """A Screen that connects through a balancer, over the transports a test asks for, with its
    own cookie jar, as a browser would. Its WebSocket sends ``Origin`` (websocket-client adds
    the balancer's), so the app's same-origin check sees what the balancer relays."""

    def __init__(self, balancer: Balancer, role: str, token: str, transports: list[str] | None = None):
        super().__init__(balancer, role, token)
        self.transports = transports
        self.http = balancer.session()
        plain, self.sio = self.sio, socketio.Client(reconnection=False, http_session=self.http)
        for event, handler in plain.handlers.get("/", {}).items():  # Screen's own recorders
            self.sio.on(event, handler)

    def connect(self) -> "BalancedScreen":
        # A browser tries again when a first handshake through the balancer fails (nginx's passive
        # health checks may still count a backend's earlier failures): so does this screen.
        for attempt in range(3):
            try:
                self.sio.connect(self.server.url, auth={"role": self.role, "token": self.token,
                                                        "lang": self.lang},
                                 transports=self.transports, wait_timeout=10)
                break
            except socketio.exceptions.ConnectionError:
                if attempt == 2:
                    raise
                time.sleep(0.5)
        self.wait_for(lambda: self.snapshot is not None)
        return self

    @property
    def transport(self) -> str:
        return self.sio.transport()

    def cookie(self, name: str = "workshop_backend") -> str | None:
        return self.http.cookies.get(name)
