"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd in a background thread)."""

import email
import email.policy
import socket
import threading
import time

from aiosmtpd.controller import Controller


def free_port(host="127.0.0.1"):
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, server):
        self.server = server

    async def handle_EHLO(self, smtp, session, envelope, hostname, responses):
        session.host_name = hostname
        self.server._connected(smtp)
        return responses

    async def handle_DATA(self, smtp, session, envelope):
        return self.server._receive(envelope)


class SMTPServer:
    """Collects every delivered mail in `.messages` as parsed `email.message.EmailMessage`.

    `refuse_next(n)` makes the next n deliveries fail with `451` (a temporary failure, which
    the mail task must retry); `refuse_next(n, code=550)` with a permanent one.
    `.envelopes` holds (mail_from, rcpt_tos) of accepted mails. `.connections` counts the
    connections that greeted it (EHLO); `drop_connections()` closes every open one from the
    server's side, as a server does with a connection it kept idle too long.
    """

    host = "127.0.0.1"

    def __init__(self):
        self.port = None
        self.messages = []
        self.envelopes = []
        self.refused = 0
        self.connections = 0
        self._sessions = []
        self._refuse = 0
        self._refuse_code = 451
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._controller = None

    def start(self, attempts=5):
        # The free port may be taken between asking and binding: then try another one.
        for attempt in range(attempts):
            self.port = free_port(self.host)
            self._controller = Controller(_Handler(self), hostname=self.host, port=self.port)
            try:
                self._controller.start()
                return self
            except OSError:
                if attempt == attempts - 1:
                    raise

    def stop(self):
        self._controller.stop()

    def drop_connections(self):
        with self._lock:
            sessions, self._sessions = self._sessions, []
        done = threading.Event()

        def drop():
            for session in sessions:
                if session.transport is not None:
                    session.transport.close()
            done.set()

        self._controller.loop.call_soon_threadsafe(drop)
        done.wait(5)

    def _connected(self, session):
        with self._lock:
            self.connections += 1
            self._sessions.append(session)

    def refuse_next(self, count=1, code=451):
        with self._lock:
            self._refuse = count
            self._refuse_code = code

    def wait_for(self, count=1, timeout=15.0):
        """Block until at least `count` messages arrived; return the messages (maybe fewer)."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.messages) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._arrived.wait(remaining)
            return list(self.messages)

    def _receive(self, envelope):
        with self._arrived:
            if self._refuse > 0:
                self._refuse -= 1
                self.refused += 1
                if self._refuse_code >= 500:
                    return f"{self._refuse_code} 5.7.1 Message refused"
                return f"{self._refuse_code} 4.3.0 Temporary failure, try again later"
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self._arrived.notify_all()
        return "250 Message accepted for delivery"
