"""Where a call runs in a gevent server: on the event loop's own OS thread, or off it.

A server process is monkey-patched and serves every screen from one OS thread. Code that is about
to block in C for long (a disk flush, a PDF layout) asks ``cooperative()`` and, if so, moves the
wait off that thread, so the other screens are served meanwhile. Tests and CLI commands are not
patched: there every call runs where it is made.
"""
from __future__ import annotations

import threading

import gevent
from gevent import monkey


def cooperative() -> bool:
    """Under gevent's monkey-patching, on the OS thread that runs the hub, in whichever greenlet
    (never on a pool thread). The OS thread's own id is compared: once patched, ``threading``
    answers per greenlet."""
    if not monkey.is_module_patched("socket"):
        return False
    return monkey.get_original("_thread", "get_ident")() == gevent.get_hub().thread_ident


def in_background(work, name: str):
    """Start ``work()`` apart from the caller and return at once: a greenlet in a server process
    (its waits yield to the screens), a daemon thread elsewhere (tests, CLI). Returns the greenlet
    or thread, for a caller that wants to wait (a test)."""
    if cooperative():
        return gevent.spawn(work)
    thread = threading.Thread(target=work, name=name, daemon=True)
    thread.start()
    return thread


def off_the_loop(work):
    """Run ``work()`` (a blocking call that releases the GIL) without blocking other greenlets."""
    if cooperative():
        return gevent.get_hub().threadpool.apply(work)
    return work()
