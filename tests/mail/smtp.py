"""A real SMTP server (aiosmtpd) on a free port, whose received messages the tests read back.

It can refuse chosen recipients (550, as a server does for an unknown mailbox) and hold every
message at DATA until released, to show that a send in progress never holds up anything else.
"""
from __future__ import annotations

import email
import email.policy
import threading
import time
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller

from tests.live import free_port


@dataclass
class Inbox:
    refuse: set[str] = field(default_factory=set)
    hold: threading.Event | None = None  # set: messages are answered; clear: DATA waits
    messages: list = field(default_factory=list)  # (envelope recipients, parsed message)
    arrived: threading.Event = field(default_factory=threading.Event)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.hold is not None:
            import asyncio
            while not self.hold.is_set():  # aiosmtpd's loop runs in its own thread
                await asyncio.sleep(0.02)
        parsed = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        self.arrived.set()
        return "250 Message accepted"

    def wait_for(self, count: int, timeout: float = 10) -> list:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            assert time.monotonic() < deadline, f"{len(self.messages)} of {count} messages arrived"
            time.sleep(0.05)
        return self.messages

    def to(self, address: str):
        return [message for rcpt, message in self.messages if address in rcpt]


class SMTPServer:
    def __init__(self, inbox: Inbox):
        self.inbox = inbox
        self.port = free_port()
        self.controller = Controller(inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "SMTPServer":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.inbox.hold is not None:
            self.inbox.hold.set()
        self.controller.stop()

    def settings(self) -> dict:
        """The app's settings for this server: plain SMTP on loopback, no sign-in."""
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port, "MAIL_USE_TLS": False,
                "MAIL_DEFAULT_SENDER": "Behovsworkshop <workshop@example.org>", "MAIL_TIMEOUT": 5}


def calendar_of(message):
    """The parsed .ics attached to a message, and the attachment itself."""
    from icalendar import Calendar
    parts = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1, [p.get_content_type() for p in message.iter_attachments()]
    raw = parts[0].get_content()
    return Calendar.from_ical(raw), parts[0]
