"""One SMTP connection per worker process (per thread), reused from one message to the next.

Opening a connection (TCP, EHLO, STARTTLS, login) costs about as much as sending a message, so
the outbox keeps the connection open between deliveries: opened lazily by the first message,
closed after any error, after MAIL_CONNECTION_MAX_MESSAGES messages, when it has been idle for
MAIL_CONNECTION_IDLE_SECONDS (before the server's own idle timeout would cut it) and when the
worker process stops. A connection inherited through a fork is dropped, never used or closed.

Exactly once: a server may still drop a connection it kept idle, or refuse it with 421, and a
reused connection only finds out when it next talks. When that happens before the DATA command
was sent, the server has not got the message: it is sent on a new connection at once, and the
row is not marked failed. From DATA on the message may have arrived; then the error goes to the
outbox's usual failure path (a retry with the same Message-ID), as on a new connection.
"""

import logging
import os
import smtplib
import threading
import time

from celery.signals import worker_process_shutdown
from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends import smtp as django_smtp

logger = logging.getLogger(__name__)

DJANGO_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


class _TracksData:
    """Remembers whether the current message reached the DATA command."""

    data_begun = False

    def mail(self, *args, **kwargs):
        self.data_begun = False
        return super().mail(*args, **kwargs)

    def data(self, msg):
        self.data_begun = True
        return super().data(msg)


class TrackingSMTP(_TracksData, smtplib.SMTP):
    pass


class TrackingSMTPSSL(_TracksData, smtplib.SMTP_SSL):
    pass


class EmailBackend(django_smtp.EmailBackend):
    """Django's SMTP backend, with connections that tell whether a message reached DATA."""

    @property
    def connection_class(self):
        return TrackingSMTPSSL if self.use_ssl else TrackingSMTP


class _Shared(threading.local):
    backend = None
    key = None
    pid = None
    sent = 0
    last_used = 0.0


_shared = _Shared()


def _settings_key():
    return (
        settings.EMAIL_BACKEND,
        settings.EMAIL_HOST,
        settings.EMAIL_PORT,
        settings.EMAIL_HOST_USER,
        settings.EMAIL_USE_TLS,
        settings.EMAIL_USE_SSL,
    )


def _new_backend():
    if settings.EMAIL_BACKEND == DJANGO_SMTP_BACKEND:
        return get_connection(f"{__name__}.EmailBackend")
    return get_connection()


def close():
    """Close this process's connection (QUIT), if it has one."""
    backend, _shared.backend = _shared.backend, None
    if backend is None:
        return
    try:
        backend.close()
    except Exception:  # already broken: nothing to say goodbye to
        logger.debug("Closing the SMTP connection failed", exc_info=True)


def _acquire():
    """This process's open connection and whether it was used before."""
    if _shared.backend is not None and _shared.pid != os.getpid():
        _shared.backend = None  # the parent's socket, inherited through fork: not ours
    if _shared.backend is not None and (
        _shared.key != _settings_key()
        or _shared.sent >= settings.MAIL_CONNECTION_MAX_MESSAGES
        or time.monotonic() - _shared.last_used > settings.MAIL_CONNECTION_IDLE_SECONDS
    ):
        close()
    if _shared.backend is not None:
        return _shared.backend, True
    backend = _new_backend()
    try:
        backend.open()
    except BaseException:
        try:
            backend.close()
        except Exception:
            logger.debug("Closing a half-open SMTP connection failed", exc_info=True)
        raise
    _shared.backend, _shared.key, _shared.pid = backend, _settings_key(), os.getpid()
    _shared.sent = 0
    return backend, False


def _data_begun(backend):
    """Did the failed message reach DATA? Unknown (another backend) counts as yes."""
    return getattr(getattr(backend, "connection", None), "data_begun", True)


def _connection_lost(error):
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    if getattr(error, "smtp_code", None) == 421:  # "service not available, closing channel"
        return True
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def _send_on(backend, message):
    message.connection = backend
    message.send()


def send(message):
    """Send `message` on this process's connection (see the module docstring)."""
    backend, reused = _acquire()
    try:
        _send_on(backend, message)
    except BaseException as error:  # a half-done exchange: never reuse that connection
        not_handed_over = not _data_begun(backend)
        close()
        if not (reused and not_handed_over and _connection_lost(error)):
            raise
        logger.info("The SMTP server closed a reused connection (%s); reconnecting", error)
        backend, _ = _acquire()
        try:
            _send_on(backend, message)
        except BaseException:
            close()
            raise
    _shared.sent += 1
    _shared.last_used = time.monotonic()


@worker_process_shutdown.connect
def _close_on_shutdown(**kwargs):
    close()
