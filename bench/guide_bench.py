"""Time the guide in every format for a large workshop (default 1,000 items, 300 participants).

Builds the workshop as domain state (no database, so the figure is the guide's own cost: the
model and each renderer), then renders every format in the registry and prints seconds and size
per format. CPU time is printed beside wall time: on a shared machine the wall time also counts
the time other processes held the cores. ``make bench-guide`` runs it; docs/guide.md records the
results.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from flask_babel import Babel, force_locale  # noqa: E402

from workshop.demo_data import DEMO_WORKSHOP  # noqa: E402
from workshop.domain.guide import build_guide  # noqa: E402
from workshop.domain.model import (Advice, Ballot, Item, Lane, Participant, Perspective, Theme,  # noqa: E402
                                   VotingRound, VotingRules, WorkshopState)
from workshop.export import FORMATS  # noqa: E402
from workshop.services.guide_files import fingerprint  # noqa: E402

PERSPECTIVES = (("buyer", "Upphandlare"), ("requester", "Beställande verksamhet"), ("end_user", "Slutanvändare"),
                ("supplier", "Leverantör"), ("legal", "Jurist"), ("management", "Ledning"))


def large_state(items: int, participants: int, themes: int, seed: int = 7) -> WorkshopState:
    """A workshop of the given size, with texts drawn from the demo and realistic unevenness."""
    rng = random.Random(seed)
    texts = [entry["text"] for entry in DEMO_WORKSHOP["items"]]
    names = [t["name"] for t in DEMO_WORKSHOP["themes"]]
    people = tuple(Participant(n, rng.choice(PERSPECTIVES)[0]) for n in range(1, participants + 1))
    theme_rows = tuple(Theme(n, f"{names[(n - 1) % len(names)]} ({n})", n) for n in range(1, themes + 1))
    item_rows = tuple(Item(n, rng.choice(("challenge", "success_factor")), f"{rng.choice(texts)} [{n}]",
                           rng.randint(1, themes) if rng.random() < 0.9 else None, rng.choice(people).id)
                      for n in range(1, items + 1))
    ballots = []
    for person in people:
        if rng.random() < 0.9:
            picks = rng.sample(range(1, themes + 1), 3)
            ballots.append(Ballot(person.id, person.perspective, {picks[0]: 2, picks[1]: 2, picks[2]: 1}))
    advice = tuple(Advice(n, p.id, rng.choice(list(DEMO_WORKSHOP["advice"].values())))
                   for n, p in enumerate(people, start=1) if rng.random() < 0.8)
    # The dot round, then a matrix round where half the room rates every theme: the rounds
    # appendix and the 2x2 chart are part of a real guide's cost.
    voting = VotingRules(dots=5, max_per_entry=2)
    ratings = tuple(Ballot(p.id, p.perspective, ratings={t.id: (rng.randint(1, 5), rng.randint(1, 5))
                                                         for t in theme_rows})
                    for p in people if rng.random() < 0.5)
    rounds = (VotingRound(1, 1, "Omgång 1", voting, ballots=tuple(ballots)),
              VotingRound(2, 2, "Nytta och genomförbarhet", VotingRules("matrix"), ballots=ratings))
    return WorkshopState(
        code="BENCH1", question=DEMO_WORKSHOP["question"], language="sv", template="think-tank", phase="closed",
        created_at=datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc), organiser=DEMO_WORKSHOP["organiser"],
        lanes=(Lane("challenge", "Utmaning"), Lane("success_factor", "Framgångsfaktor")),
        perspectives=tuple(Perspective(k, v) for k, v in PERSPECTIVES), participants=people, items=item_rows,
        themes=theme_rows, ballots=tuple(ballots), advice=advice, voting=voting, rounds=rounds, current_round_id=1,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--themes", type=int, default=24)
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated, default: all")
    parser.add_argument("--out", type=Path, help="also write each file into this folder")
    args = parser.parse_args()

    app = Flask(__name__, template_folder=str(ROOT / "templates"))
    Babel(app, default_translation_directories=str(ROOT / "workshop" / "translations"))
    state = large_state(args.items, args.participants, args.themes)
    print(f"Guide for {args.items} items, {args.participants} participants, {args.themes} themes")
    with app.app_context(), force_locale(state.language):
        start, cpu = time.perf_counter(), time.process_time()
        guide = build_guide(state)
        print(f"{'model':>10}  {time.perf_counter() - start:6.2f} s wall  {time.process_time() - cpu:6.2f} s cpu")
        total = 0.0
        for fmt in args.formats.split(","):
            start, cpu = time.perf_counter(), time.process_time()
            content = FORMATS[fmt][1](guide)
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            total += seconds
            data = content.encode("utf-8") if isinstance(content, str) else content
            print(f"{fmt:>10}  {seconds:6.2f} s wall  {cpu:6.2f} s cpu  {len(data) / 1024:6.0f} KiB")
            if args.out:
                args.out.mkdir(parents=True, exist_ok=True)
                (args.out / f"bench-guide.{fmt}").write_bytes(data)
        print(f"{'all':>10}  {total:6.2f} s wall")
        # A download of a guide whose file was kept (services/guide_files.py) costs the model, its
        # fingerprint and one primary-key read, whatever the format.
        start, cpu = time.perf_counter(), time.process_time()
        fingerprint(build_guide(state), "pdf", state.language)
        print(f"{'kept file':>10}  {time.perf_counter() - start:6.2f} s wall  {time.process_time() - cpu:6.2f} s cpu"
              "  (model and fingerprint; the file is one primary-key read)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
