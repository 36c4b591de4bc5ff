"""Every operation the app has: importing this module imports each service that declares some
(``workshop/declarations.py``), in the order the documents list them.

Generated things read ``OPERATIONS`` from here: the socket handlers, the JSON API's routes, the
authorisation tables, the OpenAPI and AsyncAPI documents and docs/realtime.md.
"""
from __future__ import annotations

from .declarations import REGISTRY, Operation
from .services import submissions, participation, facilitation, privacy, review
from .services import spotlight, timers, proposals, moderation, setup, aggregation
from .services import suggesting, rounds, similar, editorial

# The documents' order: by the modules listed here, then as each module declares them (which
# modules Python happens to import first must not reorder the generated documents).
DECLARING = (submissions, participation, facilitation, privacy, review, spotlight, timers, proposals,
             moderation, setup, aggregation, suggesting, rounds, similar, editorial)
_PLACE = {module.__name__: place for place, module in enumerate(DECLARING)}


def _place(operation: Operation) -> int:
    return _PLACE.get((operation.run or operation.many).__module__, len(_PLACE))


OPERATIONS: dict[str, Operation] = dict(sorted(REGISTRY.items(), key=lambda entry: _place(entry[1])))
