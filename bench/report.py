"""Write docs/benchmark.md and its plot from the results files in bench/results/.

    .venv/bin/python bench/report.py

Only the results files are read, so the report can be rebuilt at any time and always shows
what a run measured, on the machine it ran on. bench/run.py calls this after every run.
"""
from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import NullFormatter, ScalarFormatter  # noqa: E402

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
DOC = BENCH.parent / "docs" / "benchmark.md"
PLOT = RESULTS / "benchmark.png"
SETUPS = ("sqlite", "scale2")  # 1,000 phones; larger runs are kept as sqlite-N.json, scale2-N.json

# (key in a run's summary, label, format, target as text, test of the target or None)
ROWS = [
    ("joins_per_s", "joins/s (join + connect + snapshot)", "{:.0f}", "", None),
    ("join_p95_ms", "join p95 (ms)", "{:.0f}", "", None),
    ("submit_ack_p50_ms", "item.submit ack p50 (ms)", "{:.1f}", "", None),
    ("submit_ack_p95_ms", "item.submit ack p95 (ms)", "{:.1f}", "< 150", lambda v: v < 150),
    ("submit_ack_p99_ms", "item.submit ack p99 (ms)", "{:.1f}", "", None),
    ("projector_p50_ms", "projector update p50 (ms)", "{:.1f}", "", None),
    ("projector_p95_ms", "projector update p95 (ms)", "{:.1f}", "< 500", lambda v: v < 500),
    ("submits_acked", "items acknowledged", "{}", "all", None),
    ("unacked_stored", "  items never acknowledged but stored (in doubt, not lost)", "{}", "", None),
    ("submit_seconds", "submit burst: first send to last ack (s)", "{:.1f}", "", None),
    ("projector_missing", "acknowledged items the projector never got live", "{}", "", None),
    ("ballots_acked", "ballots acknowledged", "{}", "all", None),
    ("ballot_ack_p95_ms", "ballot.set ack p95 (ms)", "{:.0f}", "", None),
    ("votes_per_s", "votes/s (dots acked / first ballot sent to last ack)", "{:.0f}", ">= 2000", lambda v: v >= 2000),
    ("lost", "lost records", "{}", "0", lambda v: v == 0),
    ("duplicated", "duplicated records", "{}", "0", lambda v: v == 0),
    ("memory_per_participant_kb", "server memory per participant (KiB RSS)", "{:.0f}", "", None),
    ("server_cpu_s", "server CPU during the run (s)", "{:.1f}", "", None),
    ("server_cpu_join_s", "  of which joining", "{:.1f}", "", None),
    ("server_cpu_submit_s", "  of which the submit burst", "{:.1f}", "", None),
    ("server_cpu_vote_s", "  of which the vote burst", "{:.1f}", "", None),
    ("client_cpu_s", "load generator CPU, all its processes (s)", "{:.1f}", "", None),
    ("generators", "  load generator processes (Node.js)", "{}", "", None),
    ("client_loop_delay_p99_ms", "  load generator event-loop delay p99, worst process (ms)", "{:.0f}", "", None),
    ("other_cpu_s", "CPU of every other process meanwhile, PostgreSQL and Redis included (s)", "{:.1f}", "", None),
    ("disconnects", "connections dropped during the run", "{}", "", None),
    ("drop_reasons", "  why (who: reason)", "{}", "", None),
    ("resends", "resends (as a phone: ack timeout 8 s, disconnected, rate-limited)", "{}", "", None),
    ("refused_posts", "joins refused and sent again after Retry-After (HTTP status: count)", "{}", "", None),
]


def cell(value, fmt: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items()) or "none"
    return fmt.format(value)


def table(result: dict) -> list[str]:
    app, bare = result["runs"]["app"]["summary"], result["runs"]["bare"]["summary"]
    sent = result["participants"] * result["items_per_phone"]
    lines = ["| measure | workshop server | bare server | target | met |", "|---|---:|---:|---|---|"]
    for key, label, fmt, target, test in ROWS:
        met = "" if test is None or app.get(key) is None else ("yes" if test(app[key]) else "**no**")
        if key in ("submits_acked", "ballots_acked"):  # out of how many sent
            whole = sent if key == "submits_acked" else result["participants"]
            met, target = ("yes" if app.get(key) == whole else "**no**"), f"{whole}"
        lines.append(f"| {label} | {cell(app.get(key), fmt)} | {cell(bare.get(key), fmt)} | {target} | {met} |")
    ratio = result["ratio_ack_p95_app_bare"]
    rounds = result.get("rounds") or []
    each = f" (median of {len(rounds)} rounds: " + ", ".join(f"{r['ratio']:.2f}" for r in rounds) + ")" \
        if len(rounds) > 1 else ""
    lines.append(f"| item.submit ack p95, workshop / bare{each} | {ratio:.2f} | 1 | <= 2 | "
                 f"{'yes' if ratio <= 2 else '**no**'} |")
    for use_case, b in (app.get("batches") or {}).items():  # from the server's /metrics after the run
        lines.append(f"| group commit `{use_case}`: batches, commands per batch, ms per batch | "
                     f"{b['batches']}, {b['commands_mean']:.1f}, {b['ms_mean']:.2f} | – | | |")
    lines.append(f"| error acks | {cell(app.get('errors'), '{}')} | {cell(bare.get('errors'), '{}')} | "
                 f"no `rate_limited` | {'**no**' if app.get('errors', {}).get('rate_limited') else 'yes'} |")
    return lines


def profile_lines(profile: dict | None) -> list[str]:
    if not profile or not profile.get("samples"):
        return []
    phase = profile.get("phase", "all")
    during = {"all": "during joining and the two bursts", "join": "while the phones joined",
              "submit": "during the submit burst", "vote": "during the vote burst"}[phase]
    lines = ["", f"Where the workshop server's time went {during}, from a run with "
             f"`PROFILE={1 if phase == 'all' else phase}` on {profile['date']} with {profile['participants']} participants (py-spy, "
             f"{profile['samples']} samples at 100 Hz; shares of all samples; the first process only):", "",
             "| workshop function (and everything below it) | share | | hottest frames (self) | share |",
             "|---|---:|---|---|---:|"]
    for mine, own in zip(profile["workshop"], profile["self"]):
        lines.append(f"| `{mine['frame']}` | {mine['share']:.0%} | | `{own['frame']}` | {own['share']:.0%} |")
    return lines


def plot(results: list[dict]) -> None:
    figure, axes = plt.subplots(len(results), 2, figsize=(11, 3.6 * len(results)), squeeze=False)
    for row, result in zip(axes, results):
        for ax, keys, title in ((row[0], ("submit_ack_ms", "projector_ms"), "item.submit ack and projector update"),
                                (row[1], ("ballot_ack_ms",), "ballot.set ack (vote burst)")):
            for kind, style in (("app", "-"), ("bare", ":")):
                for key, colour in zip(keys, ("tab:blue", "tab:orange")):
                    values = sorted(result["runs"][kind]["raw"][key])
                    if values:
                        ax.plot(values, [(i + 1) / len(values) for i in range(len(values))], style, color=colour,
                                label=f"{'workshop' if kind == 'app' else 'bare'}: {key[:-3].replace('_', ' ')}")
            ax.set_xscale("log")
            ax.xaxis.set_major_formatter(ScalarFormatter())
            ax.xaxis.set_minor_formatter(NullFormatter())
            ax.set_xlabel("latency (ms, log scale)")
            ax.set_ylabel("share of events")
            ax.set_title(f"{result['label']}, {result['participants']} phones: {title}", fontsize=9)
            ax.grid(True, which="both", alpha=0.3)
            ax.legend(fontsize=7, loc="lower right")
    figure.tight_layout()
    figure.savefig(PLOT, dpi=110)


def machine_lines(m: dict) -> list[str]:
    return [f"- {m['nproc']} CPUs: {m['cpu']}; {m['memory_gb']} GB memory; Linux {m['kernel']}",
            f"- Python {m['python']}, Node.js {m['node']}; load average before the run: {m.get('loadavg', '?')}"]


def load(name: str) -> dict | None:
    path = RESULTS / name
    return json.loads(path.read_text()) if path.exists() else None


def main() -> None:
    results = [r for r in (load(f"{setup}.json") for setup in SETUPS) if r]
    results += sorted((json.loads(p.read_text()) for p in RESULTS.glob("*-*.json") if not p.stem.endswith("-profile")),
                      key=lambda r: (r["scale"], r["participants"]))
    if not results:
        raise SystemExit("no results in bench/results/; run `make bench` first")
    plot(results)
    out = ["# Benchmark", "",
           "One workshop, N phones, a projector and a console, driven over real Socket.IO connections by",
           "`bench/load.mjs`; the same load is then run against a bare Flask-SocketIO server",
           "(`bench/bare_server.py`: same gevent stack, no database, no logic) so the cost of the",
           "workshop's own code shows on any machine. This file is written by `bench/report.py` from",
           "`bench/results/*.json`; run `make bench` (`N=` participants, default 1000; `SCALE=2` for two",
           "server processes on PostgreSQL with Redis; `ROUNDS=` app-and-bare rounds, default 3, the",
           "tables show the round with the median ratio; `PROFILE=1` to profile the server with py-spy).", "",
           "The guide's export (every format of a 1,000-contribution guide, timed per format) has its own",
           "benchmark, `make bench-guide`; its figures are in docs/guide.md, section Performance.", ""]
    notes = BENCH / "NOTES.md"  # what the figures mean and how they came about, kept by hand
    if notes.exists():
        out += [notes.read_text(encoding="utf-8").rstrip(), ""]
    for result in results:
        app = result["runs"]["app"]["summary"]
        out += [f"## {result['label']}, {result['participants']} participants", "",
                f"Run {result['date']} on:", "", *machine_lines(result["machine"]), "",
                f"Each phone joins ({result['ramp']} at a time), then submits {result['items_per_phone']} items at "
                f"random moments within {result['window_s']:g} s (the room offers "
                f"{result['participants'] * result['items_per_phone'] / result['window_s']:.0f} items/s), then "
                f"the console creates {result['themes']} themes and every phone sends its whole ballot "
                f"(5 dots over 3 themes) at once. Ballots carried a `client_id`: "
                f"{'yes' if app.get('ballot_client_id') else 'no (the server refused it)'}.", "",
                *table(result), *profile_lines(load(f"{result['setup']}-profile.json")), ""]
    out += [f"![Latency distributions]({Path('..') / PLOT.relative_to(BENCH.parent)})", "",
            "## How it measures", "",
            "- **Ack latency**: from `emit` to the ack callback on the phone's socket, for acks with `ok: true`.",
            "- **Projector update**: from a phone's `item.submit` to the projector's `change` of type "
            "`item.added` carrying that `client_id`. With several load generator processes (`GENERATORS=`, by "
            "default one per 3,000 phones) the phones are shared among them and the projector and console stay "
            "in the first; times cross processes as absolute times of the same machine clock.",
            "- **Lost and duplicated**: after the run the console reveals the results and asks for a fresh "
            "snapshot (`sync`). Every acknowledged item's `client_id` must be there exactly once with the "
            "text and lane sent; the tally by theme and perspective must hold every acknowledged ballot "
            "(a ballot whose ack never came widens the bound); and every phone's own `sync` must show the "
            "ballot it sent. Any miss is `lost`, any extra copy `duplicated`; the run exits non-zero then.",
            "- **Memory per participant**: server RSS (`VmRSS`, /proc/PID/status, summed over the server "
            "processes) after all phones connected, minus before the first join, divided by N.",
            "- **CPU**: utime + stime from /proc/PID/stat of the server processes (not PostgreSQL's or "
            "Redis's), from before the first join to the last ballot ack.",
            "- **Joins/s**: N divided by the time from the first join request to the last phone's first "
            "snapshot; a join is `POST /api/workshops/{code}/participants`, the socket connect and the snapshot.",
            "- **The load generator** is Node.js with `socket.io-client` (one event loop, a thousand sockets). "
            "Driving the bare server's submit burst with python-socketio's AsyncClient instead gave the same "
            "latencies within a few milliseconds, so neither client is what is measured at this load; the "
            "bare server's figures are the floor this machine and client can show. The load generator's "
            "CPU time is in the table: it shares the machine with the server.",
            "- **Other load**: the row *CPU of every other process* is the machine's busy time (/proc/stat) "
            "less the server's and the load generator's; anything well above zero (for SQLite) means the "
            "figures were taken on a shared, busy machine and are worse than a quiet one would give.",
            "- The benchmark reports and never fails on slowness; only lost or duplicated data fails it.", ""]
    DOC.write_text("\n".join(out))
    print(f"wrote {DOC.relative_to(BENCH.parent)} and {PLOT.relative_to(BENCH.parent)}")


if __name__ == "__main__":
    main()
