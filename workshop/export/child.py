"""``python -m workshop.export.child``: one slow rendering job on stdin, the file on stdout.

A gevent server renders its slow formats here, in a process of its own (see ``offload``):
WeasyPrint, python-docx and openpyxl never yield, and in the server's own process a large
guide would stop every screen of every workshop for as long as they take.

The job is a pickle written by the server itself (never anything a user sent): either
``("pdf", html)``, the print HTML to lay out, or ``("guide", format, guide, language)``, a guide
model to render. It reads nothing else and fetches nothing: the HTML embeds its stylesheet and
charts. The process runs at a lower priority than the server, so the room wins the CPU, and it
leaves without tearing down the millions of objects a large layout made (a fifth of a second or
more of freeing that nobody needs).
"""
from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NICENESS = 10


def run(job: tuple) -> bytes:
    kind = job[0]
    if kind == "pdf":
        from workshop.export.pdf import write_pdf
        return write_pdf(job[1])
    if kind == "guide":
        _, fmt, guide, language = job
        from flask import Flask
        from flask_babel import Babel, force_locale

        from workshop.export import FORMATS
        app = Flask(__name__, template_folder=str(ROOT / "templates"))
        Babel(app, default_translation_directories=str(ROOT / "workshop" / "translations"))
        with app.app_context(), force_locale(language):
            content = FORMATS[fmt][1](guide)
        return content.encode("utf-8") if isinstance(content, str) else content
    raise ValueError(f"unknown job {kind!r}")


def main() -> None:
    try:
        os.nice(NICENESS)
    except OSError:  # pragma: no cover - a platform without priorities
        pass
    content = run(pickle.loads(sys.stdin.buffer.read()))
    sys.stdout.buffer.write(content)
    sys.stdout.buffer.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
