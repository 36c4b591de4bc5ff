"""Every operation the app has: importing this module imports each service that declares some
(``workshop/declarations.py``), in the order the documents list them.

Generated things read ``OPERATIONS`` from here: the socket handlers, the JSON API's routes, the
authorisation tables, the OpenAPI and AsyncAPI documents and docs/realtime.md.
"""
from __future__ import annotations

from .declarations import REGISTRY
from .services import submissions, participation, facilitation, privacy, review  # noqa: F401
from .services import spotlight, timers, proposals, moderation, setup, aggregation  # noqa: F401
from .services import suggesting, rounds, similar, editorial  # noqa: F401

OPERATIONS = REGISTRY
