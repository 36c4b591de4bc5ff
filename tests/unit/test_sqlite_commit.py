"""A SQLite commit waits for the disk without stopping the gevent process (workshop/sqlite_commit.py).

Run in a child process, because only a monkey-patched process (the server's) offloads commits."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent("""
    from gevent import monkey
    monkey.patch_all()
    import json, sys, time
    import gevent
    from sqlalchemy import text
    from workshop import create_app, hub, sqlite_commit
    from workshop.extensions import db

    app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite:///" + sys.argv[1])
    out = {}
    with app.app_context():
        raw = db.engine.raw_connection()
        out["connection"] = type(raw.driver_connection).__module__ + "." + type(raw.driver_connection).__name__
        raw.close()
        db.session.execute(text("CREATE TABLE notes (n INTEGER)"))
        db.session.commit()
        ticks = []

        def ticker():
            while True:
                ticks.append(1)
                gevent.sleep(0.0005)

        # A call that blocks in C without the GIL, as an fsync does: the other greenlet goes on.
        native_sleep = monkey.get_original("time", "sleep")
        g = gevent.spawn(ticker)
        gevent.sleep(0)
        ticks.clear()
        gevent.spawn(hub.off_the_loop, lambda: native_sleep(0.2)).get()
        out["ticks_while_blocked"] = len(ticks)
        # Real commits (synchronous=FULL, each one a flush), from a greenlet of its own as a
        # socket event's handler runs.
        def commits(start):
            with app.app_context():
                for n in range(start, start + 50):
                    db.session.execute(text("INSERT INTO notes VALUES (:n)"), {"n": n})
                    db.session.commit()

        # A disk whose every flush counts as slow: the commits go to the pool, the other greenlet runs.
        sqlite_commit.SLOW_FLUSH_S = 0.0
        ticks.clear()
        gevent.spawn(commits, 0).get()
        out["ticks_while_committing_on_a_busy_disk"] = len(ticks)
        # A disk no flush is slow on: the commits flush in place (no hand-over to pay for).
        sqlite_commit.SLOW_FLUSH_S = 1e9
        sqlite_commit._Disk.busy_until = 0.0
        ticks.clear()
        gevent.spawn(commits, 50).get()
        out["ticks_while_committing_on_a_quick_disk"] = len(ticks)
        g.kill()
        out["stored"] = db.session.execute(text("SELECT count(*) FROM notes")).scalar()
    print(json.dumps(out))
""")


def test_commits_wait_for_a_busy_disk_on_a_pool_thread_while_other_greenlets_run(tmp_path):
    done = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "c.db")], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["connection"] == "workshop.sqlite_commit.Connection"
    assert out["ticks_while_blocked"] >= 20  # 0.2 s at 0.5 ms a tick; none if the call blocked the hub
    assert out["ticks_while_committing_on_a_busy_disk"] > 0  # each commit yields while it waits
    assert out["ticks_while_committing_on_a_quick_disk"] == 0  # flushed in place, never yielding
    assert out["stored"] == 100  # and every commit is stored


def test_without_gevent_a_commit_runs_where_it_is_called():
    from workshop import hub
    import threading
    seen = []
    hub.off_the_loop(lambda: seen.append(threading.current_thread()))
    assert seen == [threading.current_thread()]
