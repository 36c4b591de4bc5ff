"""The event and error-code tables of docs/realtime.md, written from the code so they never drift.

``python -m workshop.protocol_doc`` rewrites the tables between their markers;
tests/realtime/test_protocol_docs.py fails when the document and the code disagree.

Who may send an event is ``authz.EVENTS``; its payload is the fields of its schema in
``operations.OPERATIONS``; the codes it can return are found by reading the code it runs: the
operation's function and, through the names they call, every function of the project it reaches,
scanned for the domain errors they raise (``DomainError("code", message)`` and its subclasses).
The error table is every such code in ``workshop/``, once, with its English message.
"""
from __future__ import annotations

import ast
import inspect
import re
import sys
import textwrap
import types
from functools import cache
from pathlib import Path

from . import authz
from .domain import errors
from .operations import OPERATIONS

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "realtime.md"
MARKERS = {"events": ("<!-- protocol-events:begin (generated: python -m workshop.protocol_doc) -->",
                      "<!-- protocol-events:end -->"),
           "errors": ("<!-- protocol-errors:begin (generated: python -m workshop.protocol_doc) -->",
                      "<!-- protocol-errors:end -->")}
# What any event can be answered with, whatever it runs (realtime/namespace.py, operations.py).
EVERY_EVENT = {
    "invalid": "The payload does not fit the event's schema; `fields` names each field and what is wrong.",
    "not_allowed": "This screen's role may not send this event.",
    "bad_token": "The link was rotated or revoked: the connection may change nothing more.",
    "rate_limited": "Sent too fast; `retry_after` says how many seconds to wait. Resend it then, with the same `client_id`.",
    "payload_too_large": "The packet is over `max_bytes` (8192): never read. Do not resend it.",
    "invalid_packet": "The packet is not JSON.",
    "unknown_event": "No event of this name (also a reserved name such as `connect`).",
    "server_error": "Something failed on the server; nothing was changed. Resend it with the same `client_id`.",
}
_DEPTH = 6


def _error_classes() -> set[str]:
    found, todo = set(), [errors.DomainError]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo += cls.__subclasses__()
    return found


def _message(node: ast.Call, scope: dict) -> str | None:
    if len(node.args) < 2:
        return None
    arg = node.args[1]
    if isinstance(arg, ast.Call) and arg.args and isinstance(arg.args[0], ast.Constant):  # N_("...")
        arg = arg.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value
    if isinstance(arg, ast.Name) and isinstance(scope.get(arg.id), str):
        return scope[arg.id]
    if isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name):
        owner = scope.get(arg.value.id)
        value = getattr(owner, arg.attr, None) if isinstance(owner, types.ModuleType) else None
        return value if isinstance(value, str) else None
    return None


def _raised(tree: ast.AST, scope: dict, classes: set[str]) -> dict[str, str | None]:
    """The codes of domain errors made in ``tree``: ``Cls("code", message)`` with a literal code."""
    codes: dict[str, str | None] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else \
            node.func.attr if isinstance(node.func, ast.Attribute) else None
        first = node.args[0]
        if name in classes and isinstance(first, ast.Constant) and isinstance(first.value, str):
            codes.setdefault(first.value, _message(node, scope))
    return codes


def _callees(fn, tree: ast.AST) -> list:
    """The project's functions that ``fn`` names: ``name(...)``, ``module.name(...)``, or passed on."""
    scope = getattr(fn, "__globals__", {})
    found = []
    for node in ast.walk(tree):
        target = None
        if isinstance(node, ast.Name):
            target = scope.get(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            owner = scope.get(node.value.id)
            if isinstance(owner, types.ModuleType):
                target = getattr(owner, node.attr, None)
        if inspect.isfunction(target) and (target.__module__ or "").startswith("workshop."):
            found.append(target)
    return found


def _named(fn) -> list:
    """The project's functions a lambda names (``module.function`` or ``function``)."""
    names, scope, found = fn.__code__.co_names, fn.__globals__, []
    for name in names:
        target = scope.get(name)
        candidates = [getattr(target, n, None) for n in names] if isinstance(target, types.ModuleType) else [target]
        found += [c for c in candidates if inspect.isfunction(c) and (c.__module__ or "").startswith("workshop.")]
    return found


@cache
def _tree(fn) -> ast.AST | None:
    try:
        return ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return None


def codes_of(fn, classes: set[str] | None = None) -> set[str]:
    """Every domain error code ``fn`` can raise, following the project's functions it calls."""
    classes = classes or _error_classes()
    seen, todo, codes = set(), [(fn, 0)], set()
    while todo:
        current, depth = todo.pop()
        if current in seen or depth > _DEPTH:
            continue
        seen.add(current)
        if current.__name__ == "<lambda>":  # its source is the line around it: follow its names
            todo += [(c, depth + 1) for c in _named(current)]
            continue
        tree = _tree(current)
        if tree is None:
            continue
        codes |= set(_raised(tree, current.__globals__, classes))
        todo += [(c, depth + 1) for c in _callees(current, tree)]
    return codes


def _fields(schema) -> str:
    loaded = schema()
    parts = [f"`{name}`" + ("" if field.required else "?") for name, field in loaded.load_fields.items()]
    return ", ".join(parts) if parts else "–"


def event_table() -> str:
    rows = ["| event | sent by | payload fields (`?` optional) | error codes (besides those of every event) |",
            "|---|---|---|---|",
            "| `sync` | " + ", ".join(sorted(authz.EVENTS.get("sync", ()))) + " | `version`? | – |"]
    for name, operation in OPERATIONS.items():
        fn = operation.many or operation.run
        codes = sorted(codes_of(fn) - set(EVERY_EVENT))
        who = ", ".join(sorted(authz.EVENTS[name]))
        rows.append(f"| `{name}` | {who} | {_fields(operation.schema)} | "
                    + (", ".join(f"`{c}`" for c in codes) or "–") + " |")
    return "\n".join(rows)


def all_codes() -> dict[str, str | None]:
    """Every domain error code in ``workshop/`` with its message, scanned from the source files."""
    classes = _error_classes()
    codes: dict[str, str | None] = {}
    for path in sorted((ROOT / "workshop").rglob("*.py")):
        module_name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        module = sys.modules.get(module_name)
        scope = vars(module) if module else {}
        for code, message in _raised(ast.parse(path.read_text(encoding="utf-8")), scope, classes).items():
            if codes.get(code) is None:
                codes[code] = message
    return codes


def error_table() -> str:
    rows = ["| code | meaning (the English message; clients show the translated `message`) |", "|---|---|"]
    rows += [f"| `{code}` | {meaning} (any event) |" for code, meaning in EVERY_EVENT.items()]
    rows += [f"| `{code}` | {_cell(message)} |" for code, message in sorted(all_codes().items())
             if code not in EVERY_EVENT]
    return "\n".join(rows)


def _cell(message: str | None) -> str:
    if not message:
        return "–"
    return re.sub(r"%\((\w+)\)s", r"{\1}", message).replace("|", "\\|").replace("\n", " ")


def generated() -> dict[str, str]:
    return {"events": event_table(), "errors": error_table()}


def rewrite(text: str, tables: dict[str, str]) -> str:
    for key, (begin, end) in MARKERS.items():
        pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
        text = pattern.sub(lambda _m: f"{begin}\n{tables[key]}\n{end}", text)
    return text


def main() -> int:
    from . import create_app

    with create_app("testing").app_context():
        DOC.write_text(rewrite(DOC.read_text(encoding="utf-8"), generated()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
