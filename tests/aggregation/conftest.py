"""Shared by the aggregation tests: the measured quality of the grouping suggestions is shown in
the ordinary test output (a terminal summary section), not only with ``-s``."""
from __future__ import annotations

MEASURES: list[str] = []


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if MEASURES:
        terminalreporter.section("grouping suggestions on tests/corpus/items.json")
        for line in MEASURES:
            terminalreporter.write_line(line)
