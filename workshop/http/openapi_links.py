"""OpenAPI links: how one operation's answer feeds the next, so a client (and a stateful test)
can follow a workshop from its creation: its code, then its themes, items and proposals.

A producer names the path parameters its answer (or its own request) provides; every operation
whose path takes the producer's new parameter gets a link from each of the producer's success
answers. The bearer token a link's target needs is not a parameter: the creator's answer holds
the facilitator and projector tokens, joining's the participant's (``token``).
"""
from __future__ import annotations

import re

SAME_WORKSHOP = "$request.path.code"

# operationId: (the parameter it brings into being, {parameter: runtime expression}).
PRODUCERS: dict[str, tuple[str, dict[str, str]]] = {
    "create_workshop": ("code", {"code": "$response.body#/code"}),
    "join": ("code", {"code": SAME_WORKSHOP}),
    "create_theme": ("theme_id", {"code": SAME_WORKSHOP, "theme_id": "$response.body#/theme/id"}),
    "split_theme": ("theme_id", {"code": SAME_WORKSHOP, "theme_id": "$response.body#/theme/id"}),
    "add_item": ("item_id", {"code": SAME_WORKSHOP, "item_id": "$response.body#/item/id"}),
    "submit_proposal": ("proposal_id", {"code": SAME_WORKSHOP, "proposal_id": "$response.body#/proposal/id"}),
}
DESCRIPTIONS = {
    "create_workshop": "The new workshop (authenticate with its facilitator_token or projector_token).",
    "join": "The workshop just joined (authenticate with the token in this answer).",
}


def add_links(paths: dict[str, dict]) -> None:
    """Add the links in place to ``paths`` (an OpenAPI paths object)."""
    operations = [(path, op) for path, methods in paths.items() for op in methods.values()]
    by_id = {op["operationId"]: op for _, op in operations}
    for producer, (made, values) in PRODUCERS.items():
        source = by_id.get(producer)
        if source is None:
            continue
        links = {}
        for path, target in operations:
            taken = set(re.findall(r"{(\w+)}", path))
            if made not in taken or target is source:
                continue
            links[target["operationId"]] = {
                "operationId": target["operationId"],
                "parameters": {name: expression for name, expression in values.items() if name in taken},
                "description": DESCRIPTIONS.get(producer, f"The {made} this answer made."),
            }
        for status, response in source["responses"].items():
            if status.startswith("2") and links:
                response["links"] = links
