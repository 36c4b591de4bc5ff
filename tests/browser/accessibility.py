"""WCAG 2.1 A/AA checks with axe-core (from npm, installed by `make setup`), run inside the page.

The pages' strict CSP forbids inline scripts, so ``page.add_script_tag`` (which inserts an inline
<script>) is refused; ``page.evaluate`` runs the file through the browser's debugging protocol,
outside the page's CSP. axe-core is never served by the app: it exists only for these tests.
"""
from __future__ import annotations

from functools import lru_cache

from playwright.sync_api import Page

from tests.live import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@lru_cache(maxsize=1)
def _axe_source() -> str:
    assert AXE.exists(), f"{AXE} is missing: run `make setup` (npm ci installs axe-core)"
    return AXE.read_text(encoding="utf-8") + "\n;0"


def axe_violations(page: Page) -> list[str]:
    """One line per violated WCAG 2.1 A/AA rule: its id, help text and the first offending nodes."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    found = page.evaluate(
        """async (tags) => {
            const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags },
                                                             resultTypes: ["violations"] });
            return result.violations.map((v) => `${v.id}: ${v.help} -> ` +
                v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " " + n.failureSummary).join(" | "));
        }""", WCAG21_AA)
    return found


def assert_accessible(page: Page, where: str) -> None:
    """Zero axe-core violations of the WCAG 2.1 A and AA rules on the page as it is now."""
    violations = axe_violations(page)
    assert not violations, f"{where}: WCAG 2.1 A/AA violations:\n" + "\n".join(violations)
