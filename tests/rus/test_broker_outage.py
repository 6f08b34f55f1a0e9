"""The worker outlives a Redis outage: with Redis (append-only, as in docker-compose.yml)
killed for a while, a real worker process keeps retrying the broker instead of exiting, and
mail queued meanwhile is delivered once Redis is back. Needs redis-server and PostgreSQL (CI)."""

import time

import pytest
from django.db import connection

from bench._processes import (
    MessageSink,
    RedisServer,
    database_url,
    log_tail,
    publishing_to,
    start_worker,
    stop,
    wait_for_worker,
    worker_environment,
)
from rus.celery import app
from rus.models import OutgoingMail
from rus.outbox import notices
from rus.outbox.models import DeliveryStatus
from rus.tasks import queue_mail

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

OUTAGE_SECONDS = 20
CONTEXT = {"reset_url": "https://samverkan.example.org/konto/aterstall/a/b/", "username": "a"}


@pytest.fixture
def own_redis(tmp_path):
    if not RedisServer.available():
        pytest.skip("redis-server is not installed")
    if connection.vendor != "postgresql":
        pytest.skip("the worker process shares the test database: PostgreSQL (CI) only")
    with RedisServer(tmp_path) as redis:
        yield redis


def test_worker_survives_a_redis_outage_and_delivers_what_was_queued_meanwhile(
    own_redis, tmp_path, settings
):
    log = tmp_path / "worker.log"
    with MessageSink() as sink, publishing_to(app, own_redis.url):
        env = worker_environment(
            database_url=database_url(connection.settings_dict),
            redis_url=own_redis.url,
            smtp_port=sink.port,
        )
        worker = start_worker(env, log, concurrency=2, quiet=False)
        try:
            wait_for_worker(app, worker, log)
            queue_mail(template="password_reset", to=["before@example.org"], context=CONTEXT)
            assert sink.wait_for(1, timeout=30), log_tail(log)

            own_redis.kill()
            during = queue_mail(
                template="password_reset", to=["during@example.org"], context=CONTEXT
            )
            time.sleep(OUTAGE_SECONDS)
            assert worker.poll() is None, f"the worker exited during the outage:\n{log_tail(log)}"
            during.refresh_from_db()
            assert (during.status, during.enqueued_at) == (DeliveryStatus.QUEUED, None)

            own_redis.start()
            settings.MAIL_SWEEP_AFTER_SECONDS = 0  # beat's sweep, without its grace period
            assert notices.sweep() == 1
            after = queue_mail(template="password_reset", to=["after@example.org"], context=CONTEXT)

            assert sink.wait_for(3, timeout=60), log_tail(log)
            assert worker.poll() is None, log_tail(log)
        finally:
            stop(worker)

    assert sorted(sink.recipients) == [
        "after@example.org",
        "before@example.org",
        "during@example.org",
    ]
    assert sink.duplicates == 0
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert after.pk != during.pk
