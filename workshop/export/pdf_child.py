"""``python -m workshop.export.pdf_child``: the print HTML on stdin, the PDF on stdout.

The server lays out a guide's PDF here, in a process of its own, so that WeasyPrint's long,
never-yielding layout does not stop the server's screens (see ``pdf._laid_out_in_a_child``).
It reads nothing else and fetches nothing: the HTML embeds its stylesheet and charts.
"""
from __future__ import annotations

import sys

from workshop.export.pdf import write_pdf


def main() -> None:
    html = sys.stdin.buffer.read().decode("utf-8")
    sys.stdout.buffer.write(write_pdf(html))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
