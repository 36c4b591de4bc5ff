"""The pure domain core: plain Python with no Flask, no SQLAlchemy and no I/O.

Everything here can be tested without an application, and every rule that decides what a
workshop may do lives here so that the socket handlers, the JSON API and the CLI share it.
"""
