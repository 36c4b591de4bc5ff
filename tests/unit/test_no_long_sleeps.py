"""The fast loop stays fast: outside the fault and browser tests, no test sleeps longer than a
second. A test that waits for time to pass moves the clock instead (workshop/clock.py,
``clock.use(FakeClock())`` in-process, ``LiveServer.advance_clock`` for a server process).

A static scan: every ``sleep(...)`` call's argument must be a literal of at most one second, or
an expression listed below with the reason it stays short."""
from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
EXEMPT = ("faults", "browser")  # they exercise real outages and real browsers
LONGEST = 1.0
# Sleeps whose length is not a literal, each bounded elsewhere.
BOUNDED = {
    ("live.py", "REREAD_SECONDS * 2"),  # the server's clock re-read interval, 50 ms
    ("unit/test_group_commit.py", "self.pause"),  # a Recorder's pause, 0.05 s at most
    ("security/test_socket_security.py", "reply['error']['retry_after']"),  # a refill of the console's bucket
}


def sleeps(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            if name == "sleep":
                yield node


def long_sleeps(root: Path = TESTS) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] in EXEMPT:
            continue
        for call in sleeps(ast.parse(path.read_text(encoding="utf-8"))):
            argument = call.args[0]
            where = f"tests/{relative.as_posix()}:{call.lineno}"
            try:
                seconds = float(ast.literal_eval(argument))
            except (ValueError, TypeError, SyntaxError):
                if (relative.as_posix(), ast.unparse(argument)) not in BOUNDED:
                    found.append(f"{where}: sleep({ast.unparse(argument)}) is not a literal; move the clock")
                continue
            if seconds > LONGEST:
                found.append(f"{where}: sleeps {seconds:g} s; move the clock instead")
    return found


def test_no_test_outside_the_fault_and_browser_tests_sleeps_longer_than_a_second():
    assert long_sleeps() == []


def test_the_scan_finds_a_long_literal_sleep_and_one_of_unknown_length_but_not_in_the_fault_tests(tmp_path):
    for folder in ("unit", "realtime", "faults"):
        (tmp_path / folder).mkdir()
    (tmp_path / "unit" / "test_a.py").write_text("import time\ntime.sleep(0.5)\ngevent.sleep(1)\ntime.sleep(10)\n")
    # What the locked-timer test did before the clock could be moved: sleep through the timer.
    (tmp_path / "realtime" / "test_b.py").write_text("time.sleep(max(0.0, left) + 0.5)\n")
    (tmp_path / "faults" / "test_c.py").write_text("time.sleep(30)\n")
    assert long_sleeps(tmp_path) == [
        "tests/realtime/test_b.py:1: sleep(max(0.0, left) + 0.5) is not a literal; move the clock",
        "tests/unit/test_a.py:4: sleeps 10 s; move the clock instead",
    ]
