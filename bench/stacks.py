"""Where the server's time goes: a summary of py-spy's raw stacks (``py-spy record --format raw``).

Each line of the raw format is ``frame;frame;...;frame COUNT``. The summary keeps the workshop's
own functions by inclusive share (how much of the sampled time was spent in them or below them)
and the top frames by self share (where the CPU actually was), which is enough to tell the
database, the tally, the snapshot and the Socket.IO machinery apart without a flame graph.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

# Dispatch frames every event passes through; they say nothing about where the time goes.
WRAPPERS = re.compile(r"trigger_event|_handler\.<locals>|_command|perform |_rolled_back_on_error|<lambda>")


def short(frame: str) -> str:
    """``func (path/to/module.py:12)`` -> ``func (module.py)``: one row per function, not per line."""
    match = re.match(r"(.*) \((?:.*/)?([^/:]+):\d+\)$", frame)
    return f"{match.group(1)} ({match.group(2)})" if match else frame


def summarise(path: Path, top: int = 12) -> dict:
    inclusive, own, total = Counter(), Counter(), 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n, frames = int(count), stack.split(";")
        total += n
        own[short(frames[-1])] += n
        for frame in {short(f) for f in frames if "workshop/" in f}:
            inclusive[frame] += n
    if not total:
        return {"samples": 0, "workshop": [], "self": []}
    mine = [(f, n) for f, n in inclusive.most_common() if not WRAPPERS.search(f)][:top]
    return {"samples": total,
            "workshop": [{"frame": f, "share": n / total} for f, n in mine],
            "self": [{"frame": f, "share": n / total} for f, n in own.most_common(top)]}


if __name__ == "__main__":
    summary = summarise(Path(sys.argv[1]))
    print(f"{summary['samples']} samples")
    for title in ("workshop", "self"):
        print(f"-- {title}")
        for row in summary[title]:
            print(f"{row['share']:6.1%}  {row['frame']}")
