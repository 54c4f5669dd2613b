"""A real SMTP server on loopback for `make demo` and the tests (aiosmtpd), keeping every mail
it receives in a Maildir folder; hub/http/dev_mailbox.py shows them on a read-only page.

Not for production: it accepts any sender and recipient and delivers nowhere else."""
from __future__ import annotations

import asyncio
import email
import email.policy
import mailbox
import os
import threading
from dataclasses import dataclass

from aiosmtpd.controller import Controller

ENVELOPE_FROM, ENVELOPE_TO = "X-Envelope-From", "X-Envelope-To"
HOSTNAME = "contoso-dev-mail.localhost"    # what it says in its greeting (no DNS lookup)
MAX_MESSAGE_BYTES = 10_000_000


@dataclass(frozen=True)
class Received:
    key: str
    received_at: float       # seconds since the epoch, when it was stored
    envelope_from: str
    envelope_to: tuple[str, ...]
    subject: str
    sender: str
    to: str
    message_id: str


class DevMailbox:
    """The received mails in a Maildir folder: listed newest first, each read back whole."""

    def __init__(self, folder: str):
        self.folder = folder
        for part in ("tmp", "new", "cur"):      # Maildir makes them only in a new folder
            os.makedirs(os.path.join(folder, part), exist_ok=True)
        self.maildir = mailbox.Maildir(folder, create=False)
        self._lock = threading.Lock()

    def add(self, raw: bytes, envelope_from: str, envelope_to: list[str]) -> str:
        """Keep a mail as received, the envelope in two headers before its own."""
        head = (f"{ENVELOPE_FROM}: {_one_line(envelope_from)}\r\n"
                f"{ENVELOPE_TO}: {_one_line(', '.join(envelope_to))}\r\n").encode()
        with self._lock:
            return self.maildir.add(head + raw)

    def keys(self) -> list[str]:
        with self._lock:
            return list(self.maildir.keys())

    def messages(self) -> list[Received]:
        """Every mail, newest first."""
        found = []
        for key in self.keys():
            message = self.message(key)
            if message is None:
                continue
            found.append(Received(
                key, self._stored_at(key), str(message.get(ENVELOPE_FROM, "")),
                tuple(a.strip() for a in str(message.get(ENVELOPE_TO, "")).split(",") if a),
                str(message.get("Subject", "")), str(message.get("From", "")),
                str(message.get("To", "")), str(message.get("Message-ID", ""))))
        return sorted(found, key=lambda r: (r.received_at, r.key), reverse=True)

    def message(self, key: str) -> email.message.EmailMessage | None:
        """One mail parsed (email.policy.default), or None for a key it does not hold."""
        raw = self.raw(key)
        return None if raw is None else email.message_from_bytes(raw, policy=email.policy.default)

    def raw(self, key: str) -> bytes | None:
        with self._lock:
            if key not in self.maildir:     # only keys it made: never a path from outside
                return None
            try:
                return self.maildir.get_bytes(key)
            except KeyError:
                return None

    def clear(self) -> None:
        with self._lock:
            self.maildir.clear()

    def _stored_at(self, key: str) -> float:
        try:
            return os.path.getmtime(os.path.join(self.folder, self.maildir._lookup(key)))
        except (KeyError, OSError):
            return 0.0


class _Handler:
    def __init__(self, mailbox: DevMailbox, gate: threading.Event):
        self.mailbox = mailbox
        self.gate = gate            # set: replies at once; cleared: holds "250" (tests)
        self.holding = threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:
        key = self.mailbox.add(envelope.original_content or envelope.content,
                               envelope.mail_from or "", list(envelope.rcpt_tos))
        if not self.gate.is_set():
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.gate.wait)
            self.holding.clear()
        return f"250 OK: kept as {key}"


class _Controller(Controller):
    def _trigger_server(self):
        if self.port == 0 and self.server is not None:     # port 0: learn the one given
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class DevSmtpServer:
    """aiosmtpd on a loopback port, storing into a DevMailbox. Can be stopped and started
    again on the same port (tests of a server that goes down)."""

    def __init__(self, folder: str, *, host: str = "127.0.0.1", port: int = 0, **smtp_options):
        self.mailbox = DevMailbox(folder)
        self.host = host
        self.port = port
        self.smtp_options = smtp_options       # e.g. tls_context, authenticator (tests)
        self._gate = threading.Event()
        self._gate.set()
        self._handler = _Handler(self.mailbox, self._gate)
        self._controller: _Controller | None = None

    def start(self) -> "DevSmtpServer":
        options = {"enable_SMTPUTF8": True, "data_size_limit": MAX_MESSAGE_BYTES,
                   **self.smtp_options}
        self._controller = _Controller(self._handler, hostname=self.host, port=self.port,
                                       server_hostname=HOSTNAME, **options)
        self._controller.start()
        self.port = self._controller.port
        return self

    def stop(self) -> None:
        self._gate.set()
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def hold_replies(self) -> None:
        """Keep each mail received but hold the server's "250" until release_replies()."""
        self._gate.clear()

    def release_replies(self) -> None:
        self._gate.set()

    def holding(self) -> bool:
        """Whether a mail was received and its reply is being held."""
        return self._handler.holding.is_set()


def _one_line(text: str) -> str:
    return " ".join(str(text).split())
