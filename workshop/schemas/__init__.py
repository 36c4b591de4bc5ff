"""marshmallow schemas: the shape and types of everything that comes in, HTTP and socket alike.

Schemas never touch the database or the current user; whether a lane or a theme exists in this
workshop is for the service to decide. Error messages are lazy strings so they come out in the
language of whoever sent the input. ``fields`` holds the field types; ``room``, ``method`` and
``organiser`` the inputs of the room, of the full method and set-up, and of the organiser's pages.
"""
from __future__ import annotations

from .fields import *  # noqa: F401,F403
from .fields import _l, _length  # noqa: F401
from .method import *  # noqa: F401,F403
from .organiser import *  # noqa: F401,F403
from .room import *  # noqa: F401,F403
