"""500 invitations through a real Celery worker, Redis and a local SMTP server, in three rounds
interleaved with the plain smtplib loops (BENCH_INVITATION_ROUNDS); the medians are reported.

The worker runs as a subprocess (`celery -A rus worker`), so it needs a database it can share
with this process: the runner's PostgreSQL test database when DATABASE_URL is set, otherwise a
throwaway SQLite file (WAL mode). Reports messages per second, the total time from pressing
"send" to the last message accepted by the SMTP server, and the worker's peak memory (VmHWM of
the main process and of the largest pool child). Skipped when REDIS_URL is unset.
"""

import datetime
import logging
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

RECIPIENTS = int(os.environ.get("BENCH_INVITATIONS", "500"))
# Rounds of (the invitations, then the smtplib loops), interleaved as the issue measured; the
# medians are reported, so that one stall of this shared machine does not decide the result.
ROUNDS = int(os.environ.get("BENCH_INVITATION_ROUNDS", "3"))
CONCURRENCY = int(os.environ.get("BENCH_WORKER_CONCURRENCY", "2"))
ROOT = Path(__file__).resolve().parent.parent


class CountingSMTP:
    """A local SMTP server (aiosmtpd) that counts accepted messages and their recipients."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        from tests.support.smtp import free_port

        self.port = free_port()
        self.count = 0
        self.recipients = []
        self.bytes = 0
        self.sample = None  # the first message's bytes, for the smtplib loop
        self.arrivals = []  # perf_counter() of each message
        self.connections = 0
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.arrivals.append(time.perf_counter())
            self.count += 1
            self.recipients.extend(envelope.rcpt_tos)
            self.bytes += len(envelope.content)
            if self.sample is None:
                self.sample = (envelope.mail_from, envelope.content)
        return "250 Message accepted for delivery"

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self._lock:
            self.connections += 1
        session.host_name = hostname
        return responses

    def __enter__(self):
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's per-command log
        self._controller.start()
        return self

    def __exit__(self, *exc):
        self._controller.stop()


def smtplib_loop(smtp, count, *, shared):
    """The reference: `count` copies of a real invitation sent with plain smtplib to the same
    server, one connection per message or one connection for all; returns messages per second."""
    import smtplib

    mail_from, content = smtp.sample
    before = smtp.count
    started = time.perf_counter()
    client = smtplib.SMTP("127.0.0.1", smtp.port) if shared else None
    for n in range(count):
        if not shared:
            client = smtplib.SMTP("127.0.0.1", smtp.port)
        client.sendmail(mail_from, [f"loop{n}@bench.example.org"], content)
        if not shared:
            client.quit()
    if shared:
        client.quit()
    elapsed = time.perf_counter() - started
    if smtp.count - before != count:
        raise RuntimeError(f"The smtplib loop sent {smtp.count - before} of {count} messages.")
    return count / elapsed


def _peak_rss_kb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _rss_kb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class RSSSampler(threading.Thread):
    """The largest resident memory of a process and its children together, sampled every
    0.1 s while it runs (the worker's peak memory for the scoreboard)."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self._stopping = threading.Event()

    def run(self):
        while not self._stopping.is_set():
            total = _rss_kb(self.pid) + sum(_rss_kb(child) for child in _children(self.pid))
            self.peak_kb = max(self.peak_kb, total)
            self._stopping.wait(0.1)

    def stop(self):
        self._stopping.set()
        self.join(timeout=5)
        return self.peak_kb


def _cpu_seconds(pids):
    """User and system CPU time of the processes together (their own, not their children's)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _children(pid):
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return children


def _database_url_for_worker(tmpdir):
    """Point this process and the worker at the same database; returns the worker's URL."""
    from django.core.management import call_command
    from django.db import connections

    connection = connections["default"]
    settings_dict = connection.settings_dict
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        path = Path(tmpdir) / "bench-invitations.sqlite3"
        # Rename first: Django keeps an in-memory SQLite connection open on close().
        settings_dict["NAME"] = str(path)
        connection.close()
        settings_dict["OPTIONS"] = {
            **settings_dict.get("OPTIONS", {}),
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
        }
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
        call_command("migrate", verbosity=0, interactive=False)
        return f"sqlite:///{path}?timeout=30&transaction_mode=IMMEDIATE"
    user = settings_dict.get("USER") or ""
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


def _build_meeting(recipients=RECIPIENTS, round_number=0):
    """A council of its chair and `recipients` - 1 people (their own for each round), an agenda
    approved through the approval service: its agenda PDF is rendered on approval (eagerly,
    here), as in real use, before anyone sends the invitations."""
    from councils.models import Council, Membership, Organisation, Person
    from meetings.models import AgendaItem, Meeting
    from meetings.services.agenda import approve_agenda

    organisation = Organisation.objects.create(
        name=f"Bench kommun {round_number}", kind="municipality"
    )
    council = Council.objects.create(
        name=f"Regionala samverkansrådet (bench {round_number})",
        slug=f"bench-rsr-{round_number}",
        kind=Council.Kind.REGIONAL,
    )
    people = Person.objects.bulk_create(
        Person(
            given_name=f"Person{n}",
            family_name="Bench",
            email=f"person{n}.round{round_number}@bench.example.org",
            organisation=organisation,
        )
        for n in range(recipients)
    )
    Membership.objects.bulk_create(
        Membership(
            person=person,
            council=council,
            organisation=organisation,
            role=Membership.Role.CHAIR if n == 0 else Membership.Role.MEMBER,
            start_date=datetime.date(2020, 1, 1),
        )
        for n, person in enumerate(people)
    )
    starts_at = datetime.datetime.now(datetime.UTC).replace(microsecond=0) + datetime.timedelta(
        days=14
    )
    meeting = Meeting.objects.create(
        council=council,
        title="Månadsmöte",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        place="Härnösand",
        video_link="https://meet.example.org/bench",
    )
    for n, title in enumerate(
        ["Öppnande", "Regional kompetensförsörjning", "Påverkansagendan 2027", "Avslutning"], 1
    ):
        AgendaItem.objects.create(
            meeting=meeting, position=n, title=title, kind=AgendaItem.Kind.INFORMATION
        )
    approve_agenda(meeting=meeting, user=None)
    return meeting, people[0]


def _start_worker(env, log_path):
    celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
    return subprocess.Popen(
        [
            celery,
            "-A",
            "rus",
            "worker",
            "--loglevel=WARNING",
            f"--concurrency={CONCURRENCY}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(log_path, "wb"),  # noqa: SIM115 (the worker owns it until it exits)
        start_new_session=True,
    )


def _log_tail(log_path):
    try:
        return Path(log_path).read_text(errors="replace")[-3000:]
    except OSError:
        return ""


def _wait_for_worker(app, process, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The worker exited: {_log_tail(log_path)}")
        if app.control.ping(timeout=0.5):
            return
    raise RuntimeError("The worker did not answer within a minute.")


def run():
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        return {"skipped": "REDIS_URL is not set: this benchmark needs Redis and a real worker"}

    from django.conf import settings
    from django.contrib.auth import get_user_model

    from meetings import documents
    from meetings.models import Invitation
    from meetings.models.invitations import DeliveryStatus
    from meetings.services.invitations import sending
    from rus.celery import app

    tmpdir = tempfile.mkdtemp(prefix="samverkan-bench-")
    saved_database = dict(settings.DATABASES["default"])
    saved_conf = {
        "task_always_eager": app.conf.task_always_eager,
        "broker_url": app.conf.broker_url,
    }
    worker = None
    try:
        worker_database = _database_url_for_worker(tmpdir)
        meetings = []
        for number in range(ROUNDS):
            meeting, chair = _build_meeting(round_number=number)
            if documents.rendered_agenda(meeting) is None:
                raise RuntimeError("The approval did not render the agenda PDF.")
            user = get_user_model().objects.create_user(f"bench-chair-{number}", password="x")
            chair.user = user
            chair.save(update_fields=["user"])
            meetings.append((meeting, user))

        app.conf.task_always_eager = False
        app.conf.broker_url = redis_url
        app._pool = None
        app.amqp._producer_pool = None
        app.control.purge()

        with CountingSMTP() as smtp:
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "rus.settings",
                "DATABASE_URL": worker_database,
                "MEDIA_ROOT": str(settings.MEDIA_ROOT),  # the agenda PDF rendered on approval
                "REDIS_URL": redis_url,
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(smtp.port),
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "LOG_LEVEL": "WARNING",
                # As deployed (docker-compose.yml): DEBUG off, which logs no queries.
                "DEBUG": "0",
                "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
            }
            log_path = Path(tmpdir) / "worker.log"
            worker = _start_worker(env, log_path)
            _wait_for_worker(app, worker, log_path)

            sampler = RSSSampler(worker.pid)
            sampler.start()
            worker_pids = [worker.pid, *_children(worker.pid)]
            rounds, worker_cpu = [], 0.0
            deadline = time.monotonic() + float(os.environ.get("BENCH_TIMEOUT", "600"))
            for meeting, user in meetings:
                before, first_arrival = smtp.count, len(smtp.arrivals)
                cpu_before = _cpu_seconds(worker_pids)
                started = time.perf_counter()
                sending.send_invitations(meeting=meeting, user=user)
                send_action_s = time.perf_counter() - started  # the chair's request
                while smtp.count - before < RECIPIENTS and time.monotonic() < deadline:
                    if worker.poll() is not None:
                        raise RuntimeError("The worker died during the benchmark.")
                    time.sleep(0.02)
                elapsed = time.perf_counter() - started
                worker_cpu += _cpu_seconds(worker_pids) - cpu_before
                arrivals = smtp.arrivals[first_arrival:]
                if len(arrivals) < RECIPIENTS:
                    break
                tenth = arrivals[len(arrivals) // 10]
                rounds.append(
                    {
                        "rate": RECIPIENTS / elapsed,
                        "elapsed": elapsed,
                        "send_action_s": send_action_s,
                        "first_message_s": arrivals[0] - started,
                        "steady": (len(arrivals) - len(arrivals) // 10) / (arrivals[-1] - tenth),
                        "loop_per_message": smtplib_loop(smtp, RECIPIENTS, shared=False),
                        "loop_shared": smtplib_loop(smtp, RECIPIENTS, shared=True),
                    }
                )
            time.sleep(1.0)  # any duplicate would arrive now
            worker_peak_kb = sampler.stop()

            main_peak = _peak_rss_kb(worker.pid)
            child_peak = max((_peak_rss_kb(pid) for pid in _children(worker.pid)), default=0)
            invited = [address for address in smtp.recipients if "@bench.example.org" in address]
            invited = [address for address in invited if not address.startswith("loop")]
            delivered, unique = len(invited), len(set(invited))
            average_kb = smtp.bytes / max(smtp.count, 1) / 1024
            connections = smtp.connections
        sent_rows = Invitation.objects.filter(status=DeliveryStatus.SENT).count()
        expected = RECIPIENTS * ROUNDS
        if len(rounds) != ROUNDS or delivered != expected or unique != expected:
            raise RuntimeError(
                f"Expected {expected} messages once each, got {delivered} "
                f"({unique} addresses). Worker log:\n{_log_tail(log_path)}"
            )

        def median(key):
            return statistics.median(result[key] for result in rounds)

        rate = median("rate")
        loop_per_message, loop_shared = median("loop_per_message"), median("loop_shared")
        return {
            "invitations": RECIPIENTS,
            "rounds": ROUNDS,
            "messages_received": delivered,
            "duplicates": delivered - unique,
            "rows_marked_sent": sent_rows,
            "worker_concurrency": CONCURRENCY,
            "total_s": round(median("elapsed"), 2),
            "smtp_connections": connections,
            "messages_per_s": round(rate, 1),
            "messages_per_s_each_round": ", ".join(f"{r['rate']:.1f}" for r in rounds),
            "send_action_s": round(median("send_action_s"), 2),
            "first_message_s": round(median("first_message_s"), 2),
            "after_the_first_tenth_per_s": round(median("steady"), 1),
            "smtplib_loop_per_message_per_s": round(loop_per_message, 1),
            "smtplib_loop_per_message_each_round": ", ".join(
                f"{r['loop_per_message']:.1f}" for r in rounds
            ),
            "smtplib_loop_one_connection_per_s": round(loop_shared, 1),
            "ratio_to_loop_per_message": round(rate / loop_per_message, 2),
            "ratio_to_loop_per_message_each_round": ", ".join(
                f"{r['rate'] / r['loop_per_message']:.2f}" for r in rounds
            ),
            "ratio_to_loop_one_connection": round(rate / loop_shared, 2),
            "worker_cpu_ms_per_message": round(worker_cpu * 1000 / max(delivered, 1), 2),
            "message_size_kb": round(average_kb, 1),
            "worker_peak_rss_mb": round(worker_peak_kb / 1024, 1),
            "worker_main_peak_rss_mb": round(main_peak / 1024, 1),
            "worker_child_peak_rss_mb": round(child_peak / 1024, 1),
            "database": "sqlite file" if worker_database.startswith("sqlite") else "postgresql",
        }
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        app.conf.task_always_eager = saved_conf["task_always_eager"]
        app.conf.broker_url = saved_conf["broker_url"]
        app._pool = None
        app.amqp._producer_pool = None
        from django.db import connections

        connections["default"].close()
        connections["default"].settings_dict.clear()
        connections["default"].settings_dict.update(saved_database)
        shutil.rmtree(tmpdir, ignore_errors=True)
