"""Prometheus metrics of this server process: who is connected, how many events, how fast acks are.

Each server process exposes its own figures at ``/metrics``; Prometheus scrapes every process
and sums them. These are measurements about the process, not application state: nothing reads
them to make a decision. Labels are ids, role names, event names, outcome codes and Flask
endpoint names: bounded sets, never tokens, join codes or text.
"""
from __future__ import annotations

import threading

from prometheus_client import CollectorRegistry, Counter, GCCollector, Gauge, Histogram, ProcessCollector

registry = CollectorRegistry(auto_describe=True)
# The process's own figures too: CPU, memory and the garbage collector's collections by generation
# (python_gc_collections_total{generation="2"} counts the pauses that walk every object).
GCCollector(registry=registry)
ProcessCollector(registry=registry)

connected = Gauge("workshop_connected_screens", "Socket.IO connections open on this process",
                  ["workshop", "role"], registry=registry)
events = Counter("workshop_socket_events_total", "Socket events handled", ["event", "outcome"],
                 registry=registry)
ack_seconds = Histogram("workshop_ack_seconds", "Time from receiving a socket event to its ack",
                        ["event"], registry=registry,
                        buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5))
http_requests = Counter("workshop_http_requests_total", "HTTP requests answered by Flask",
                        ["endpoint", "method", "status"], registry=registry)
http_seconds = Histogram("workshop_http_request_seconds", "Time to answer an HTTP request", ["endpoint"],
                         registry=registry,
                         buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
full_collections = Histogram("workshop_gc_full_collection_seconds",
                             "Full garbage collections (the process pauses meanwhile), by why they ran now",
                             ["reason"], registry=registry, buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5))
batch_commands = Histogram("workshop_batch_commands", "Commands applied together in one group-commit transaction",
                           ["use_case"], registry=registry, buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256, 500))
batch_seconds = Histogram("workshop_batch_seconds", "Time one group-commit transaction took, commit included",
                          ["use_case"], registry=registry,
                          buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1))
guide_files = Counter("workshop_guide_files_total",
                      "Guide downloads of the slow formats, by whether the file was kept, made, or waited for",
                      ["format", "source"], registry=registry)

# Open screens per (workshop, role), so a workshop whose last screen closed drops its series
# instead of leaving one zero per workshop ever held in this process.
_open: dict[tuple[str, str], int] = {}
_lock = threading.Lock()


def screen_connected(workshop_id: int, role: str) -> None:
    key = (str(workshop_id), role)
    with _lock:
        _open[key] = _open.get(key, 0) + 1
        connected.labels(*key).set(_open[key])


def screen_disconnected(workshop_id: int, role: str) -> None:
    key = (str(workshop_id), role)
    with _lock:
        remaining = _open.get(key, 0) - 1
        if remaining > 0:
            _open[key] = remaining
            connected.labels(*key).set(remaining)
        elif key in _open:
            del _open[key]
            connected.remove(*key)


def event_handled(event: str, seconds: float, outcome: str) -> None:
    """``outcome`` is "ok", an error code such as "invalid" or "rate_limited", or "error"."""
    events.labels(event, outcome).inc()
    ack_seconds.labels(event).observe(seconds)


def batch_applied(use_case: str, commands: int, seconds: float) -> None:
    """``use_case`` is the batch's function ("add_items", "set_ballots", "join_many")."""
    batch_commands.labels(use_case).observe(commands)
    batch_seconds.labels(use_case).observe(seconds)


def request_handled(endpoint: str, method: str, status: int, seconds: float) -> None:
    """``endpoint`` is the Flask endpoint name ("api.create_workshop"), or "unmatched"."""
    http_requests.labels(endpoint, method, str(status)).inc()
    http_seconds.labels(endpoint).observe(seconds)


def full_collection(reason: str, seconds: float) -> None:
    """``reason`` is "idle" (the room was quiet) or "overdue" (busy for too long to wait)."""
    full_collections.labels(reason).observe(seconds)


def guide_file(fmt: str, source: str) -> None:
    """``source`` is "kept" (served as made before), "rendered" or "waited" (for the same file
    being made for another request)."""
    guide_files.labels(fmt, source).inc()
