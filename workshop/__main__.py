"""``python -m workshop``: serve the app on gevent, as ``make run`` does.

gevent must patch the standard library before anything else imports it, hence the first lines.
"""
from gevent import monkey

monkey.patch_all()

import logging  # noqa: E402
import os  # noqa: E402

from workshop import create_app, logs  # noqa: E402
from workshop.extensions import socketio  # noqa: E402
from workshop.http import capacity  # noqa: E402


def main() -> None:
    # As many open files as this process may have: each phone holds one (http/capacity.py).
    before, soft, hard = capacity.raise_descriptor_limit()
    app = create_app()
    # Logging is the entry point's business: the server logs, CLI commands stay quiet.
    logs.configure(app.config)
    max_connections = capacity.connection_cap(soft, app.config["MAX_CONNECTIONS"])
    logging.getLogger("workshop").info(
        "open files: soft limit %s (was %s, hard limit %s); at most %s connections", soft, before, hard,
        max_connections, extra={"nofile_soft": soft, "nofile_was": before, "nofile_hard": hard,
                                "max_connections": max_connections})
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    if app.config["LOG_FORMAT"] == "json":  # every line a JSON object, this one too
        logging.getLogger("workshop").info("listening on %s:%s", host, port, extra={"host": host, "port": port})
    else:
        print(f"Workshop is running at http://{shown}:{port}/  (Ctrl+C to stop)", flush=True)
    # gevent's own complaints (a request it cannot parse) go through logging too, so that with
    # LOG_FORMAT=json every line of the process is one JSON object.
    access_log = os.environ.get("ACCESS_LOG") == "1"
    error_log = logging.getLogger("gevent.pywsgi")
    if app.debug:  # FLASK_DEBUG=1: Flask-SocketIO's own start, with its reloader and debugger
        socketio.run(app, host=host, port=port, log_output=access_log, error_log=error_log)
        return
    # What socketio.run does on gevent, with a connection cap and a clear 503 beyond it.
    server = capacity.Server((host, port), app, max_connections, log="default" if access_log else None,
                             error_log=error_log)
    socketio.wsgi_server = server  # socketio.stop() stops it
    server.serve_forever()


if __name__ == "__main__":
    main()
