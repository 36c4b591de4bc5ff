"""Logging set-up: plain text for a developer's terminal, one JSON object per line in production.

The server entry points call ``configure`` (``python -m workshop``) or load this file through
``deploy/gunicorn.conf.py``. The gunicorn master loads it by file path, before gevent has patched
anything, so this module imports only the standard library: importing the app there would bind
unpatched locks (SQLAlchemy's pool takes ``threading.RLock`` at import) into the worker.

Privacy: records carry ids, event names, outcomes and durations, never tokens, names or what
people wrote (items, advice, proposals, comments), so a withdrawal or anonymisation has nothing to
take out of the logs (tests/security/test_withdrawal_leaves_nothing.py reads the log at DEBUG).
``JsonFormatter`` also blanks extra fields whose names suggest such content, as a safety net.
"""
from __future__ import annotations

import json
import logging
import logging.config
import sys
from datetime import datetime, timezone

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# Every attribute a plain LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}
# Extra fields never written, whatever a caller passes: they would carry secrets or people's words.
_PRIVATE = {"token", "facilitator_token", "projector_token", "auth", "authorization", "password",
            "secret", "participant_name", "text", "question", "organiser", "advice", "cookie",
            # what participants write besides items and advice, and a paper ballot's label
            "description", "who_needs", "comment", "label"}


class JsonFormatter(logging.Formatter):
    """``{"timestamp", "level", "logger", "message", ...extra fields}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "timestamp": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = "[redacted]" if key.lower() in _PRIVATE else value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to records logged while an HTTP request is handled.

    Flask is looked up, never imported: in the gunicorn master it is not loaded, and there is no
    request there anyway.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        flask = sys.modules.get("flask")
        if flask is not None and not hasattr(record, "request_id") and flask.has_request_context():
            request_id = flask.g.get("request_id")
            if request_id:
                record.request_id = request_id
        return True


def dict_config(log_format: str = "text", level: str = "INFO") -> dict:
    """A ``logging.config.dictConfig`` document: one stderr handler on the root logger, with
    gunicorn's error log sent through it, so every line of a process has the same shape.

    gunicorn's access log is dropped: its lines hold the raw path, and a path may hold a
    facilitator's token; the app writes its own access line instead (``workshop.http.ops``).
    """
    formatter = {"()": JsonFormatter} if log_format == "json" else {"format": TEXT_FORMAT}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"workshop": formatter},
        "filters": {"request_id": {"()": RequestIdFilter}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                                "formatter": "workshop", "filters": ["request_id"]},
                     "discard": {"class": "logging.NullHandler"}},
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {"gunicorn.error": {"level": level, "handlers": [], "propagate": True},
                    "gunicorn.access": {"handlers": ["discard"], "propagate": False},
                    # An explicit level keeps python-engineio and python-socketio from adding
                    # a plain-text handler of their own; ERROR is what they log by default.
                    "engineio.server": {"level": "ERROR"}, "socketio.server": {"level": "ERROR"},
                    "alembic": {"level": "WARNING"}},  # its plugin set-up chatter at import
    }


def configure(config) -> None:
    """Set up logging from an app's settings (``LOG_FORMAT``, ``LOG_LEVEL``)."""
    logging.config.dictConfig(dict_config(config.get("LOG_FORMAT", "text"), config.get("LOG_LEVEL", "INFO")))
