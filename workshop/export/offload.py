"""Rendering off the event loop: in a gevent server, the slow formats are made in a child process.

WeasyPrint (PDF), python-docx (DOCX) and openpyxl (XLSX) hold the CPU for seconds on a large guide
and never yield; in the server's own process that would stop every screen of every workshop.
``python -m workshop.export.child`` does the work instead, and gevent's subprocess waits on its
pipes cooperatively, so the room goes on while the organiser's file is made. Tests and CLI
commands are not monkey-patched: there everything runs in the calling process.
"""
from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

from flask_babel import force_locale

from ..hub import cooperative
from . import FORMATS

ROOT = Path(__file__).resolve().parents[2]
# The formats that take long enough to matter; the others are made in the request (0.1 s or less
# for 1,000 contributions, see docs/guide.md).
IN_A_CHILD = frozenset({"docx", "xlsx"})  # and the PDF's layout, see pdf.render_pdf


def in_child(job: tuple) -> bytes:
    """Run one job of ``workshop.export.child`` and return the file it wrote."""
    done = subprocess.run([sys.executable, "-m", "workshop.export.child"], input=pickle.dumps(job),
                          capture_output=True, timeout=600, cwd=str(ROOT))
    if done.returncode != 0 or not done.stdout:
        raise RuntimeError(f"rendering {job[0]} failed: " + done.stderr.decode("utf-8", "replace")[-2000:])
    return done.stdout


def render(fmt: str, guide, language: str) -> str | bytes:
    """The guide in ``fmt`` (a key of ``FORMATS``), in ``language``, wherever it is cheapest to make."""
    if fmt in IN_A_CHILD and cooperative():
        return in_child(("guide", fmt, guide, language))
    with force_locale(language):
        return FORMATS[fmt][1](guide)
