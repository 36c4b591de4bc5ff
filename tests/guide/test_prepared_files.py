"""A real server makes a closed workshop's PDF and DOCX before anyone asks, and the organiser's
download is then the kept file (services/guide_files.py, GUIDE_PREPARE)."""
from __future__ import annotations

import re
import sqlite3
import time
import uuid

import requests

from tests.live import LiveServer


def kept_files(path) -> dict[str, bytes]:
    with sqlite3.connect(path) as connection:
        return dict(connection.execute("SELECT format, content FROM rendered_guides").fetchall())


def guide_metric(server: LiveServer, fmt: str, source: str) -> float:
    text = requests.get(server.url + "/metrics", timeout=10).text
    found = re.search(rf'workshop_guide_files_total{{format="{fmt}",source="{source}"}} ([0-9.]+)', text)
    return float(found.group(1)) if found else 0.0


def test_closing_a_workshop_makes_its_guide_files_and_the_download_is_the_kept_one(tmp_path):
    path = tmp_path / "prepared.db"
    server = LiveServer(f"sqlite:///{path}", tmp_path / "server.log", extra_env={"GUIDE_PREPARE": "1"})
    server.migrate()
    server.start(timeout=90)
    try:
        workshop = server.create_workshop()
        code, facilitator = workshop["code"], workshop["facilitator_token"]
        kim = server.join(code, name="Kim")
        sent = server.api("POST", f"/api/workshops/{code}/items", token=kim["token"],
                          json={"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "Ingen äger behovet"})
        assert sent.status_code in (200, 201), sent.text
        assert kept_files(path) == {}  # nothing is made while the workshop is open

        closed = server.api("PUT", f"/api/workshops/{code}/phase", token=facilitator, json={"phase": "closed"})
        assert closed.status_code == 200, closed.text
        deadline = time.monotonic() + 90  # two layouts in child processes on a loaded CI machine
        while set(kept_files(path)) != {"pdf", "docx"} and time.monotonic() < deadline:
            time.sleep(0.25)
        kept = kept_files(path)
        assert set(kept) == {"pdf", "docx"}, server.log_path.read_text()[-3000:]
        assert kept["pdf"].startswith(b"%PDF") and kept["docx"].startswith(b"PK")
        assert guide_metric(server, "pdf", "rendered") == 1

        downloaded = server.api("GET", f"/api/workshops/{code}/guide.pdf", token=facilitator)
        assert downloaded.status_code == 200 and downloaded.content == kept["pdf"]
        assert guide_metric(server, "pdf", "kept") == 1 and guide_metric(server, "pdf", "rendered") == 1

        # Reopened, the workshop's files are gone with the change that reopened it.
        reopened = server.api("PUT", f"/api/workshops/{code}/phase", token=facilitator, json={"phase": "collect"})
        assert reopened.status_code == 200, reopened.text
        assert kept_files(path) == {}
    finally:
        server.stop()
