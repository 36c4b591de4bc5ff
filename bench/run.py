"""Run the benchmark: start the servers, drive bench/load.mjs against each, write the results.

    .venv/bin/python bench/run.py --participants 1000            # one process, SQLite
    .venv/bin/python bench/run.py --participants 200 --scale 2   # two processes, PostgreSQL + Redis

The workshop server is started exactly as ``make run`` starts it (migrate with Alembic, then
``python -m workshop``), and the bare server (bench/bare_server.py) the same way, one after the
other so they never share the CPU. The results land in bench/results/<setup>.json, the report
(docs/benchmark.md and its plot) is rewritten from every results file there, and the last line
printed is the one-line summary. The run fails (exit 1) only when data was lost or doubled, or
when it could not run at all; slowness is reported, never a failure.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import threading
import shutil
import signal
import time
import urllib.request
import uuid
from contextlib import ExitStack
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
from tests.live import LiveServer  # noqa: E402  the same server process the realtime tests run
RESULTS = BENCH / "results"
PYTHON = sys.executable
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/0"


def postgres_database(stack: ExitStack) -> str:
    """A fresh PostgreSQL database of our own, dropped when the run ends."""
    import psycopg
    name = "bench_" + uuid.uuid4().hex[:12]
    with psycopg.connect(POSTGRES + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(POSTGRES + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    stack.callback(drop)
    return f"{POSTGRES}/{name}"


def start_servers(stack: ExitStack, kind: str, scale: int, work: Path,
                  args_participants: int = 1000) -> list[LiveServer]:
    """``scale`` processes of the app or the bare server; two or more share rooms through Redis."""
    env = {"SECRET_KEY": "bench-" + uuid.uuid4().hex, "WORKSHOP_ENV": "development",
           # The whole load comes from one address and one workshop: the room's join limits (sized
           # for a real room, see docs/security.md) would refuse the benchmark's own phones.
           "RATE_LIMIT_JOINS_PER_ADDRESS": f"{max(args_participants, 600) * 2} per minute",
           # ...and every phone's join and socket come from that one address too (README: RATE_LIMIT_HTTP).
           "RATE_LIMIT_HTTP": f"{max(args_participants, 1000) * 10} per minute",
           "RATE_LIMIT_JOINS_PER_WORKSHOP": f"{max(args_participants, 2000) * 2} per minute",
           "WORKSHOP_MAX_PARTICIPANTS": str(max(args_participants * 2, 5000))}
    if scale > 1:
        env |= {"SOCKETIO_MESSAGE_QUEUE": REDIS, "SOCKETIO_CHANNEL": f"bench-{kind}-{uuid.uuid4().hex[:8]}"}
    database = ""
    command = None  # the app, as `make run` starts it
    if kind == "app":
        database = postgres_database(stack) if scale > 1 else f"sqlite:///{work / 'bench.db'}"
    else:
        command = [PYTHON, str(BENCH / "bare_server.py")]
    servers = []
    for index in range(scale):
        server = LiveServer(database, work / f"{kind}-{index}.log", env, command)
        if kind == "app" and index == 0:
            server.migrate()
        stack.callback(server.stop)
        servers.append(server.start())
    return servers


def drive(servers: list[LiveServer], kind: str, args, work: Path) -> dict:
    """Run the Node load generator against ``servers``; optionally profile the first one."""
    config = {"mode": kind, "urls": [s.url for s in servers], "pids": [s.process.pid for s in servers],
              "participants": args.participants, "items": args.items, "window_s": args.window,
              "ramp": args.ramp, "themes": args.themes, "clk_tck": os.sysconf("SC_CLK_TCK"),
              "generators": args.generators or generators_for(args.participants)}
    (work / f"{kind}.json").write_text(json.dumps(config))
    profiler = None
    # The whole run (joins and both bursts), or one phase of it: start and stop at its marks.
    start_mark, stop_mark = {"all": (None, "voted"), "join": ("before_join", "connected"),
                             "submit": ("connected", "submitted"), "vote": ("before_vote", "voted")}[args.profile or "all"]

    def start_profiler():
        return subprocess.Popen([str(Path(PYTHON).parent / "py-spy"), "record", "--pid", str(config["pids"][0]),
                                 "--format", "raw", "--rate", "100", "-o", str(work / "profile.txt")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    profiling = bool(args.profile) and kind == "app"
    if profiling and start_mark is None:
        profiler = start_profiler()
    load = subprocess.Popen(["node", str(BENCH / "load.mjs"), str(work / f"{kind}.json"),
                             str(work / f"{kind}-result.json")], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(args.timeout, load.kill)
    watchdog.start()
    try:
        for line in load.stderr:
            sys.stderr.write(line)
            if profiling and profiler is None and start_mark and f"[{kind}] {start_mark} {{" in line:
                profiler = start_profiler()
            if profiler and f"[{kind}] {stop_mark} {{" in line:
                profiler.send_signal(signal.SIGINT)
                profiler.wait(60)
                profiler = None
                profiling = False
    finally:
        watchdog.cancel()
        if profiler:
            profiler.send_signal(signal.SIGINT)
            profiler.wait(60)
    if load.wait() != 0:
        raise RuntimeError(f"the load generator failed (exit {load.returncode}) against the {kind} server")
    raw = json.loads((work / f"{kind}-result.json").read_text())
    if kind == "app":
        raw["batches"] = batches_of(servers)
    return raw


def generators_for(participants: int) -> int:
    """Load generator processes for ``participants`` phones: one per 3,000 phones, at most 4, so
    that no Node.js event loop holds more than a few thousand sockets (its CPU is reported)."""
    return min(4, 1 + participants // 3000)


def batches_of(servers: list[LiveServer]) -> dict:
    """The group commit's batches over the whole run, from every server's /metrics: how many,
    how many commands each held and how long each transaction took, on average per use case."""
    from prometheus_client.parser import text_string_to_metric_families
    sums: dict = {}
    for server in servers:
        try:
            text = urllib.request.urlopen(f"{server.url}/metrics", timeout=120).read().decode()
        except OSError as exc:  # a server still busy letting thousands of phones go: the run's figures stand
            print(f"bench: no group-commit figures, /metrics did not answer ({exc})", file=sys.stderr)
            return {}
        for family in text_string_to_metric_families(text):
            if family.name not in ("workshop_batch_commands", "workshop_batch_seconds"):
                continue
            for sample in family.samples:
                if sample.name.endswith(("_sum", "_count")):
                    key = (family.name, sample.name.rsplit("_", 1)[1])
                    sums.setdefault(sample.labels["use_case"], {}).setdefault(key, 0.0)
                    sums[sample.labels["use_case"]][key] += sample.value
    out = {}
    for use_case, v in sums.items():
        count = v.get(("workshop_batch_commands", "count"), 0)
        if count:
            out[use_case] = {"batches": int(count),
                             "commands_mean": v[("workshop_batch_commands", "sum")] / count,
                             "ms_mean": 1000 * v[("workshop_batch_seconds", "sum")] / count}
    return out


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summarise(raw: dict) -> dict:
    """The figures the report shows, from the load generator's raw samples."""
    s, n = raw["samples"], raw["participants"]
    summary = {"joins_per_s": raw["joins_per_s"], "join_p95_ms": percentile(raw["join_ms"], 95),
               "memory_per_participant_kb": (s["connected"]["rss_kb"] - s["before_join"]["rss_kb"]) / n,
               "server_rss_mb": s["voted"]["rss_kb"] / 1024,
               "server_cpu_s": s["voted"]["cpu_s"] - s["before_join"]["cpu_s"],
               "client_cpu_s": s["voted"]["client_cpu_s"] - s["before_join"]["client_cpu_s"]}
    # What the rest of the machine used meanwhile: a busy machine makes every figure worse.
    summary["other_cpu_s"] = (s["voted"]["machine_busy_s"] - s["before_join"]["machine_busy_s"]
                              - summary["server_cpu_s"] - summary["client_cpu_s"])
    for phase, (start, end) in {"join": ("before_join", "connected"), "submit": ("connected", "submitted"),
                                "vote": ("before_vote", "voted")}.items():
        summary[f"server_cpu_{phase}_s"] = s[end]["cpu_s"] - s[start]["cpu_s"]
        summary[f"{phase}_wall_s"] = (s[end]["t"] - s[start]["t"]) / 1000
    for key in ("submit_ack_ms", "projector_ms", "ballot_ack_ms"):
        for p in (50, 95, 99):
            summary[f"{key[:-3]}_p{p}_ms"] = percentile(raw[key], p)
    for key in ("submits_acked", "submit_seconds", "ballots_acked", "dots_acked", "vote_seconds", "votes_per_s",
                "projector_missing", "projector_duplicates", "lost", "duplicated", "errors", "disconnects",
                "resends", "drop_reasons",
                "phone_change_events", "client_loop_delay_p99_ms", "ballot_client_id", "tally_short", "tally_over",
                "ballot_mismatches", "items_lost", "unacked_stored", "batches", "generators", "refused_posts"):
        if key in raw:
            summary[key] = raw[key]
    return summary


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "?")
    meminfo = Path("/proc/meminfo").read_text().split()
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return {"nproc": os.cpu_count(), "cpu": model, "memory_gb": round(int(meminfo[1]) / 1024 / 1024, 1),
            "python": platform.python_version(), "node": node, "kernel": platform.release(),
            "loadavg": " ".join(Path("/proc/loadavg").read_text().split()[:3])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", "-n", type=int, default=1000)
    parser.add_argument("--scale", type=int, default=1, choices=(1, 2),
                        help="1: one process on SQLite; 2: two processes on PostgreSQL with Redis")
    parser.add_argument("--items", type=int, default=3, help="items each phone submits")
    parser.add_argument("--window", type=float, default=10, help="seconds over which the room submits")
    parser.add_argument("--ramp", type=int, default=100, help="phones joining at a time")
    parser.add_argument("--themes", type=int, default=5)
    parser.add_argument("--generators", type=int, help="load generator processes (default: 1 per 3,000 phones, at most 4)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds one load run may take")
    parser.add_argument("--profile", nargs="?", const="all", choices=["all", "join", "submit", "vote"],
                        help="profile the (first) workshop server with py-spy: the whole run, or one phase")
    parser.add_argument("--rounds", type=int, default=3,
                        help="app and bare runs, alternating; the report shows the round with the median ratio")
    parser.add_argument("--no-report", action="store_true", help="do not rewrite docs/benchmark.md")
    parser.add_argument("--only", choices=("app", "bare"), help="measure one server only (no results file)")
    args = parser.parse_args()
    setup = "sqlite" if args.scale == 1 else "scale2"
    if args.participants != 1000:  # kept beside the 1,000-phone results, not over them
        setup = f"{setup}-{args.participants}"
    label = "1 process, SQLite" if args.scale == 1 else "2 processes, PostgreSQL + Redis"
    runs, host = {}, machine()  # the load average before the run says whether the machine was quiet
    work = BENCH / ".work"  # configs, raw results and server logs of the last run, kept to look at
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    kinds = [args.only] if args.only else ["app", "bare"]
    pairs = []  # one {kind: run} per round
    for round_ in range(1 if args.only else args.rounds):
        # The order alternates, so a machine that slows down over the run favours neither server.
        pair = {}
        for kind in kinds if round_ % 2 == 0 else kinds[::-1]:
            print(f"bench: {kind} server ({label}), {args.participants} participants, round {round_ + 1}",
                  file=sys.stderr, flush=True)
            with ExitStack() as stack:  # every server of this kind is stopped when its run ends, also on failure
                raw = drive(start_servers(stack, kind, args.scale, work, args.participants), kind, args, work)
            pair[kind] = {"summary": summarise(raw),
                          "raw": {k: raw[k] for k in ("submit_ack_ms", "projector_ms", "ballot_ack_ms", "join_ms")}}
        pairs.append(pair)
    if args.only:
        print(json.dumps(pairs[0][args.only]["summary"], indent=1))
        return 0
    rounds = [{"app_ack_p95_ms": p["app"]["summary"]["submit_ack_p95_ms"],
               "bare_ack_p95_ms": p["bare"]["summary"]["submit_ack_p95_ms"]} for p in pairs]
    for r in rounds:
        r["ratio"] = r["app_ack_p95_ms"] / r["bare_ack_p95_ms"] if r["bare_ack_p95_ms"] else None
    # The table shows the round with the median ratio: one noisy run (a pause on the shared machine
    # in either server) moves the ratio a lot, the median of a few much less.
    middle = sorted(range(len(rounds)), key=lambda i: rounds[i]["ratio"] or 0)[len(rounds) // 2]
    runs = pairs[middle]
    app = runs["app"]["summary"]
    ratio = rounds[middle]["ratio"]
    lost = sum(p["app"]["summary"]["lost"] for p in pairs)
    duplicated = sum(p["app"]["summary"]["duplicated"] for p in pairs)
    result = {"setup": setup, "label": label, "participants": args.participants, "scale": args.scale,
              "items_per_phone": args.items, "window_s": args.window, "ramp": args.ramp, "themes": args.themes,
              "ratio_ack_p95_app_bare": ratio, "rounds": rounds, "median_round": middle + 1, "machine": host,
              "date": time.strftime("%Y-%m-%d %H:%M %Z"), "runs": runs}
    RESULTS.mkdir(exist_ok=True)
    if args.profile and (work / "profile.txt").exists():  # kept apart: a later unprofiled run keeps it
        from stacks import summarise as summarise_profile  # bench/stacks.py, beside this file
        profile = {"date": result["date"], "participants": args.participants, "phase": args.profile,
                   **summarise_profile(work / "profile.txt")}
        (RESULTS / f"{setup}-profile.json").write_text(json.dumps(profile, indent=1))
    (RESULTS / f"{setup}.json").write_text(json.dumps(result, indent=1))
    if not args.no_report:
        subprocess.run([PYTHON, str(BENCH / "report.py")], cwd=ROOT, check=True)
    for kind, run in runs.items():
        print(f"bench: {kind}: " + json.dumps({k: round(v, 2) if isinstance(v, float) else v
                                                for k, v in run["summary"].items()}), file=sys.stderr)
    print("bench: ratio per round: " + ", ".join(f"{r['ratio']:.2f}" for r in rounds), file=sys.stderr)
    print(f"bench: participants={args.participants} ack_p95_ms={app['submit_ack_p95_ms']:.1f} "
          f"projector_p95_ms={app['projector_p95_ms']:.1f} votes_per_s={app['votes_per_s']:.0f} "
          f"lost={lost} duplicated={duplicated} ratio_ack_p95_app_bare={ratio:.2f}", flush=True)
    return 1 if lost or duplicated else 0


if __name__ == "__main__":
    sys.exit(main())
