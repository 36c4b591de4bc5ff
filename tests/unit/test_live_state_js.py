"""The screens' reducer, static/js/live-state.js, under Node's own test runner: the hand-written
cases and every recorded change stream in tests/js (and, with LIVE_STREAMS set, those the
realtime, end-to-end and fault tests recorded in this run). Without Node this fails: the
browser's code is what is being proven, and nothing else can run it."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_node_test_runner_passes_on_the_reducer_and_the_recorded_streams():
    node = shutil.which("node")
    assert node, "Node.js runs static/js/live-state.js's tests: apt-get install nodejs (scripts/system-deps)"
    done = subprocess.run([node, "--test", "tests/js"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "# fail 0" in done.stdout and "# pass 0" not in done.stdout, done.stdout[-2000:]


def test_the_screens_keep_as_many_moderation_entries_as_a_snapshot_holds():
    from workshop.services.views import MODERATION_KEPT
    source = (ROOT / "static" / "js" / "live-state.js").read_text()
    assert f"export const MODERATION_KEPT = {MODERATION_KEPT};" in source
