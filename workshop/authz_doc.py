"""The authorisation matrix of docs/security.md, written from ``authz`` so the two never drift.

``python -m workshop.authz_doc`` rewrites the tables between their markers in docs/security.md;
tests/security/test_docs.py fails when the document and the code disagree.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from . import authz

DOC = Path(__file__).resolve().parents[1] / "docs" / "security.md"
COLUMNS = {authz.ANONYMOUS: "anon", authz.PARTICIPANT: "part", authz.PROJECTOR: "proj",
           authz.FACILITATOR: "fac", authz.LINK_STEWARD: "fac¹", authz.CO_FACILITATOR: "co-fac",
           authz.ORGANISER: "org", authz.ADMIN: "admin"}
MARKERS = {"routes": ("<!-- routes:begin (generated: python -m workshop.authz_doc) -->", "<!-- routes:end -->"),
           "events": ("<!-- events:begin (generated: python -m workshop.authz_doc) -->", "<!-- events:end -->")}


def _marks(roles: frozenset[str]) -> list[str]:
    return ["✓" if role in roles else "–" for role in authz.ROLES]


def route_table(app) -> str:
    """Every rule of the app's url_map, in the order the app registered them."""
    rows = ["| route | " + " | ".join(COLUMNS[r] for r in authz.ROLES) + " | notes |",
            "|" + "---|" * (len(authz.ROLES) + 2)]
    seen = set()
    for rule in app.url_map.iter_rules():
        if (rule.rule, rule.endpoint) in seen:
            continue
        seen.add((rule.rule, rule.endpoint))
        methods = " ".join(sorted(rule.methods - {"HEAD", "OPTIONS"}))
        entry = authz.ROUTES[rule.endpoint]
        rows.append(f"| `{methods} {rule.rule}` ({rule.endpoint}) | " + " | ".join(_marks(entry.roles))
                    + f" | {entry.note} |")
    return "\n".join(rows)


def event_table() -> str:
    rows = ["| event | " + " | ".join(COLUMNS[r] for r in authz.ROLES) + " |",
            "|" + "---|" * (len(authz.ROLES) + 1)]
    rows += [f"| `{name}` | " + " | ".join(_marks(roles)) + " |" for name, roles in authz.EVENTS.items()]
    return "\n".join(rows)


def rewrite(text: str, tables: dict[str, str]) -> str:
    for key, (begin, end) in MARKERS.items():
        pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
        text = pattern.sub(lambda _m: f"{begin}\n{tables[key]}\n{end}", text)
    return text


def generated(app) -> dict[str, str]:
    return {"routes": route_table(app), "events": event_table()}


def main() -> int:
    from . import create_app

    app = create_app("testing")
    DOC.write_text(rewrite(DOC.read_text(encoding="utf-8"), generated(app)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
