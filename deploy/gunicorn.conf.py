"""Gunicorn settings for one workshop server process. Run from the project directory:

    gunicorn -c deploy/gunicorn.conf.py -k gevent -w 1 --bind 127.0.0.1:8001 wsgi:app

ONE gevent worker per process: a Socket.IO client's session lives in the process that accepted
its handshake, and gunicorn cannot route a client back to the same worker, so scale out with
more processes behind a sticky balancer (deploy/haproxy.cfg, deploy/nginx.conf), never with
``-w``. The gevent worker monkey-patches the standard library before it imports ``wsgi:app``;
WebSockets then go through simple-websocket on gunicorn's socket (gevent-websocket is not
needed). So nothing here imports the app, and ``preload_app`` stays off: a module imported
before patching keeps unpatched locks.

Logging: every line of the process, gunicorn's own included, has the app's format (JSON in
production). ``workshop/logs.py`` is loaded by file path so the master never imports the app.
"""
import importlib.util
import os

from config import config_class, from_environment  # settings only: imports nothing but os

worker_class = "gevent"
workers = 1
preload_app = False
accesslog = None  # the app writes one access line per request itself, without paths or tokens
graceful_timeout = 10  # seconds open WebSockets get on a restart; clients reconnect on their own
# X-Forwarded-Proto from these addresses makes requests https (secure cookies, HSTS): the balancer.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def _logs_module():
    package = importlib.util.find_spec("workshop").submodule_search_locations[0]  # not imported
    spec = importlib.util.spec_from_file_location("workshop_logs_for_gunicorn", os.path.join(package, "logs.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_settings = {"LOG_FORMAT": config_class().LOG_FORMAT, "LOG_LEVEL": config_class().LOG_LEVEL, **from_environment()}
logconfig_dict = _logs_module().dict_config(_settings["LOG_FORMAT"], _settings["LOG_LEVEL"])
