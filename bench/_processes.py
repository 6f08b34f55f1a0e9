"""Real processes for the mail benchmarks and the tests that kill them: a Redis server of our
own, Celery worker and beat subprocesses, and an SMTP sink that counts Message-IDs.

(A module starting with "_" is not a benchmark: the runner skips it.)
"""

import asyncio
import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port(host="127.0.0.1"):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class MessageSink:
    """A local SMTP server (aiosmtpd) that keeps each accepted message's Message-ID and
    recipients: `duplicates` counts messages that arrived more than once."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.port = free_port()
        self.message_ids = []
        self.recipients = []
        self.bytes = 0
        self.delay = 0.0  # seconds before answering DATA: a slow mail server
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        headers = envelope.content.split(b"\r\n\r\n", 1)[0]
        message = message_from_bytes(headers, policy=default_policy)
        with self._lock:
            self.message_ids.append(str(message.get("Message-ID", "")))
            self.recipients.extend(envelope.rcpt_tos)
            self.bytes += len(envelope.content)
        return "250 Message accepted for delivery"

    @property
    def count(self):
        return len(self.message_ids)

    @property
    def unique(self):
        return len(set(self.message_ids))

    @property
    def duplicates(self):
        return self.count - self.unique

    def wait_for(self, unique, timeout):
        deadline = time.monotonic() + timeout
        while self.unique < unique and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.unique >= unique

    def __enter__(self):
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's per-command log
        self._controller.start()
        return self

    def __exit__(self, *exc):
        self._controller.stop()


class RedisServer:
    """A redis-server on a free port with append-only persistence (as in docker-compose.yml),
    which can be killed and started again on the same port and data directory."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    @staticmethod
    def available():
        return shutil.which("redis-server") is not None

    def start(self, timeout=10):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.directory),
                "--appendonly",
                "yes",
                "--save",
                "",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.kill()


def database_url(settings_dict):
    """The URL of the (PostgreSQL) database this process uses, for a worker subprocess."""
    user = settings_dict.get("USER") or ""
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


def worker_environment(*, database_url, redis_url, smtp_port, **extra):
    from django.conf import settings

    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rus.settings",
        "DATABASE_URL": database_url,
        # The files this process wrote (the agenda PDF rendered on approval), as in production,
        # where the web and the worker share the media storage.
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "REDIS_URL": redis_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "LOG_LEVEL": "WARNING",
        **{key: str(value) for key, value in extra.items()},
    }


def _celery():
    return shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"


def start_worker(env, log_path, *, concurrency=2, quiet=True):
    """`celery -A rus worker` in a session of its own (so that killpg takes its children).

    `quiet=False` runs it as deployed (docker-compose.yml, deploy/systemd): with gossip,
    mingle and heartbeats, which take part in reconnecting after a broker outage."""
    quiet_options = ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    return subprocess.Popen(
        [
            _celery(),
            "-A",
            "rus",
            "worker",
            "--loglevel=INFO",
            f"--concurrency={concurrency}",
            *(quiet_options if quiet else []),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(log_path, "ab"),  # noqa: SIM115 (the worker owns it until it exits)
        start_new_session=True,
    )


def start_beat(env, log_path, schedule_path):
    return subprocess.Popen(
        [_celery(), "-A", "rus", "beat", "--loglevel=WARNING", "--schedule", str(schedule_path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(log_path, "ab"),  # noqa: SIM115
        start_new_session=True,
    )


def kill_hard(process):
    """kill -9 the process and every child it started (a crash, or the OOM killer)."""
    if process is not None and process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def stop(process):
    """A warm shutdown: the main process lets running tasks finish, then stops its children."""
    if process is not None and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            kill_hard(process)


def log_tail(log_path):
    try:
        return Path(log_path).read_text(errors="replace")[-3000:]
    except OSError:
        return ""


def wait_for_worker(app, process, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The worker exited: {log_tail(log_path)}")
        if app.control.ping(timeout=0.5):
            return
    raise RuntimeError("The worker did not answer within a minute.")


@contextlib.contextmanager
def publishing_to(app, broker_url):
    """Tasks published from this process go to `broker_url` (not run eagerly) meanwhile."""
    saved = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = broker_url
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield app
    finally:
        app.conf.task_always_eager, app.conf.broker_url = saved
        app._pool = None
        app.amqp._producer_pool = None
