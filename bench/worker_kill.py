"""300 invitations through a real worker that is killed with kill -9 mid-run and restarted.

Redis of its own (redis-server on a free port), a Celery worker and Celery beat as
subprocesses with the production settings (the sweep's stale limit included), and a local SMTP
sink that records each message's Message-ID. Halfway through, the worker and its pool are
killed (SIGKILL to the process group, as a crash or the OOM killer would) and started again.
Reports delivered invitations, duplicates (the same Message-ID received twice) and minutes from
"send" to the last invitation. Target: every invitation delivered, at most one duplicate per
kill, all within 5 minutes. Needs PostgreSQL (the worker's sender locks) and redis-server.
"""

import os
import tempfile
import time
from pathlib import Path

INVITATIONS = int(os.environ.get("BENCH_KILL_INVITATIONS", "300"))
# Messages in flight at once; a kill duplicates at most one per process (the one caught between
# the mail server's "250 accepted" and the commit of "sent"), so one process keeps the target.
CONCURRENCY = int(os.environ.get("BENCH_KILL_CONCURRENCY", "1"))
TARGET_MINUTES = 5


def kill_and_restart(*, invitations, kill_after, timeout, environment=None, concurrency=2):
    """Send `invitations`, kill the worker after `kill_after` arrived, restart it, wait for the
    rest (at most `timeout` seconds). Returns the figures; the caller judges them."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count

    from bench._processes import (
        MessageSink,
        RedisServer,
        database_url,
        kill_hard,
        log_tail,
        publishing_to,
        start_beat,
        start_worker,
        stop,
        wait_for_worker,
        worker_environment,
    )
    from bench.invitations import _build_meeting
    from meetings.models import Invitation
    from meetings.models.invitations import DeliveryStatus
    from meetings.services.invitations import sending
    from rus.celery import app

    tmpdir = Path(tempfile.mkdtemp(prefix="samverkan-kill-"))
    meeting, chair = _build_meeting(invitations)
    user = get_user_model().objects.create_user("bench-kill-chair", password="x")
    chair.user = user
    chair.save(update_fields=["user"])
    worker = beat = None
    log = tmpdir / "worker.log"
    with RedisServer(tmpdir) as redis, MessageSink() as sink, publishing_to(app, redis.url):
        env = worker_environment(
            database_url=database_url(connection.settings_dict),
            redis_url=redis.url,
            smtp_port=sink.port,
            **(environment or {}),
        )
        try:
            worker = start_worker(env, log, concurrency=concurrency, quiet=False)
            wait_for_worker(app, worker, log)
            beat = start_beat(env, tmpdir / "beat.log", tmpdir / "celerybeat-schedule")

            started = time.monotonic()
            sending.send_invitations(meeting=meeting, user=user)
            deadline = started + timeout
            while sink.unique < kill_after and time.monotonic() < deadline:
                time.sleep(0.01)
            kill_hard(worker)
            killed_at = sink.unique
            worker = start_worker(env, log, concurrency=concurrency, quiet=False)

            sink.wait_for(invitations, timeout=max(deadline - time.monotonic(), 0))
            # Done when every row is settled too: a row the kill left "sending" after the mail
            # server accepted it is resent once by the sweep, and that duplicate counts.
            unsettled = Invitation.objects.filter(meeting=meeting).exclude(
                status__in=(DeliveryStatus.SENT, DeliveryStatus.FAILED)
            )
            while unsettled.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
            elapsed = time.monotonic() - started
            time.sleep(2.0)  # a late duplicate would arrive now
        finally:
            stop(beat)
            stop(worker)
        rows = dict(
            Invitation.objects.filter(meeting=meeting)
            .values_list("status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {
            "invitations": invitations,
            "delivered": sink.unique,
            "duplicates": sink.duplicates,
            "duplicates_by_recipient": len(sink.recipients) - len(set(sink.recipients)),
            "kills": 1,
            "killed_after_delivered": killed_at,
            "minutes_to_complete": round(elapsed / 60, 2),
            "rows_sent": rows.get(DeliveryStatus.SENT, 0),
            "rows_failed": rows.get(DeliveryStatus.FAILED, 0),
            "resent_after_crash": Invitation.objects.filter(
                meeting=meeting, resent_uncertain=True
            ).count(),
            "worker_log_tail": "" if sink.unique == invitations else log_tail(log)[-800:],
        }


def run():
    from django.db import connection

    from bench._processes import RedisServer

    if connection.vendor != "postgresql":
        return {"skipped": "needs PostgreSQL (set DATABASE_URL): the sender locks are its own"}
    if not RedisServer.available():
        return {"skipped": "needs redis-server on the PATH"}
    figures = kill_and_restart(
        invitations=INVITATIONS,
        kill_after=INVITATIONS // 2,
        timeout=TARGET_MINUTES * 60 + 60,
        concurrency=CONCURRENCY,
    )
    figures["worker_concurrency"] = CONCURRENCY
    log_tail = figures.pop("worker_log_tail")
    if (
        figures["delivered"] != INVITATIONS
        or max(figures["duplicates"], figures["duplicates_by_recipient"]) > figures["kills"]
        or figures["minutes_to_complete"] > TARGET_MINUTES
    ):
        raise RuntimeError(f"Target missed: {figures}\n{log_tail}")
    return figures
