"""A worker killed with kill -9 mid-run and restarted: every invitation is delivered, at most
one twice (the same Message-ID: the one that was mid-SMTP), and quickly. The smaller sibling of
`make bench` (bench/worker_kill.py, 300 invitations). Needs redis-server and PostgreSQL (CI)."""

import pytest
from django.db import connection

from bench._processes import RedisServer
from bench.worker_kill import kill_and_restart

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_killing_the_worker_mid_run_loses_nothing_and_duplicates_at_most_one():
    if connection.vendor != "postgresql":
        pytest.skip("the worker process shares the test database: PostgreSQL (CI) only")
    if not RedisServer.available():
        pytest.skip("redis-server is not installed")

    figures = kill_and_restart(
        invitations=40,
        kill_after=20,
        timeout=50,
        # One message in flight: a kill can catch at most that one between the mail server's
        # "250 accepted" and the commit of "sent" (with N pool processes, at most N).
        concurrency=1,
        # Beat's sweep on a test's clock: every 2 s, stale after 10 s.
        environment={
            "MAIL_SWEEP_EVERY_SECONDS": 2,
            "MAIL_SWEEP_AFTER_SECONDS": 2,
            "MAIL_SWEEP_STALE_SECONDS": 10,
        },
    )

    assert figures["delivered"] == 40, figures
    assert figures["duplicates"] <= figures["kills"], figures
    assert figures["duplicates_by_recipient"] == figures["duplicates"], figures
    assert figures["rows_sent"] == 40, figures
    assert figures["minutes_to_complete"] < 1, figures
    assert 0 < figures["killed_after_delivered"] < 40, figures
