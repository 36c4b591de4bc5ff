"""The server's background work, in one place: what runs apart from any request or event.

- **Started with a server process** (``start_server``; never in tests or CLI commands): the
  retention purge every ``PRIVACY_PURGE_EVERY`` seconds, the garbage collector's schedule
  (collector.py) and the meaning engine's warm-up, so the first grouping refresh does not pay for
  loading the model.
- **Started by a change**: the guide's PDF and DOCX made as soon as a workshop is closed or its
  guide finalised (``prepare_guide``), and an e-mail send (``deliver_mailing``).

Each job is a service function (privacy.purge, guide.export_guide, invitations.deliver) run here in
its own application context, in a greenlet in a server process or a thread elsewhere
(``hub.in_background``); a job that fails is logged and, where someone waits for its result,
recorded (a failed send is shown on the organiser's page). Nothing here changes state itself.
"""
from __future__ import annotations

import logging

from . import collector
from .extensions import db, socketio
from .hub import cooperative, in_background
from .models import Workshop
from .services import guide_files, invitations, privacy, vectors
from .services.guide import export_guide

log = logging.getLogger(__name__)


def start_server(app) -> None:
    """The jobs of a server process, started once it is built."""
    _purge_every(app, app.config.get("PRIVACY_PURGE_EVERY"))
    collector.start(socketio.sleep, socketio.start_background_task)
    socketio.start_background_task(vectors.warm_up)


def _purge_every(app, every) -> None:
    """Several processes may each run it: a purge is idempotent."""
    if not every:
        return

    def run_forever():
        while True:
            socketio.sleep(every)
            with app.app_context():
                try:
                    codes = privacy.purge()
                    if codes:
                        log.info("anonymised the personal data of %s workshop(s)", len(codes))
                except Exception:
                    log.exception("the scheduled purge failed; it runs again in %s s", every)
                finally:
                    db.session.remove()

    socketio.start_background_task(run_forever)


# --- The guide, made before anyone asks ---------------------------------------------------------

_preparing: dict[int, bool] = {}  # workshop id -> asked again while being prepared


def prepare_guide(app, workshop_id: int) -> None:
    """Make the workshop's PDF and DOCX in the background (a server process only: the layout runs
    in a child process and the room is served meanwhile). Asked again while it runs, it runs once
    more afterwards, for what changed."""
    if not cooperative():
        return
    if workshop_id in _preparing:
        _preparing[workshop_id] = True
        return
    _preparing[workshop_id] = False
    in_background(lambda: _prepare(app, workshop_id), "guide")


def _prepare(app, workshop_id: int) -> None:
    try:
        while True:
            with app.app_context():
                for fmt in guide_files.PREPARED_FORMATS:
                    workshop = db.session.get(Workshop, workshop_id)
                    if workshop is None:
                        return
                    export_guide(workshop, fmt)
                db.session.remove()
            if not _preparing.get(workshop_id):
                return
            _preparing[workshop_id] = False
    except Exception:  # the download will render it; a failure here must not go unnoticed
        log.exception("preparing the guide of workshop %s failed", workshop_id)
    finally:
        _preparing.pop(workshop_id, None)


# --- E-mail -------------------------------------------------------------------------------------

def deliver_mailing(app, mailing_id: int, links: dict):
    """Deliver after the request, off its path; an unexpected error is logged and recorded on the
    send, for the organiser's page. Returns the greenlet or thread (a test may wait for it)."""
    def work():
        with app.app_context():
            try:
                invitations.deliver(mailing_id, links)
            except Exception as exc:  # never lost silently: the organiser's page shows it
                log.exception("mailing %s failed", mailing_id)
                invitations.record_failure(mailing_id, exc)
            finally:
                db.session.remove()
    return in_background(work, "mailing")
