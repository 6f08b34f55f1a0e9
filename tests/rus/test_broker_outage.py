"""The worker outlives a Redis outage: with Redis (append-only, as in docker-compose.yml)
killed for a while, a real worker process keeps retrying the broker instead of exiting, and
mail queued meanwhile is delivered once Redis is back. Needs redis-server and PostgreSQL (CI).

Celery 5.7.0's own consumer fails this test: when the connection is lost while a task's message
is unacknowledged, it closes the connection after collecting it, the Redis transport looks for
the connection's (now gone) client to restore the message, and the worker exits with
"Unrecoverable error: AttributeError('NoneType' object has no attribute 'hostname')"
(Celery 5.6.3 passes). `rus.celery.BrokerOutageConsumer` keeps 5.7.0's worker running."""

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


def status_of(mail):
    return OutgoingMail.objects.values_list("status", flat=True).get(pk=mail.pk)


def wait_until(predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


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
            # Redis goes away while a task is running, its message not yet acknowledged: the
            # case that made Celery 5.7's worker exit ("'NoneType' object has no attribute
            # 'hostname'") when it cleaned up the lost connection.
            sink.delay = 3
            before = queue_mail(
                template="password_reset", to=["before@example.org"], context=CONTEXT
            )
            assert wait_until(lambda: status_of(before) == DeliveryStatus.SENDING), log_tail(log)
            own_redis.kill()
            sink.delay = 0
            during = queue_mail(
                template="password_reset", to=["during@example.org"], context=CONTEXT
            )
            time.sleep(OUTAGE_SECONDS)
            assert worker.poll() is None, f"the worker exited during the outage:\n{log_tail(log)}"
            during.refresh_from_db()
            assert (during.status, during.enqueued_at) == (DeliveryStatus.QUEUED, None)

            own_redis.start()
            settings.MAIL_SWEEP_AFTER_SECONDS = 0  # beat's sweep, without its grace period
            # The mail queued meanwhile, and the one whose task was stopped mid-SMTP (unless it
            # had finished by then).
            assert notices.sweep() in (1, 2)
            after = queue_mail(template="password_reset", to=["after@example.org"], context=CONTEXT)

            assert sink.wait_for(3, timeout=60), log_tail(log)
            assert worker.poll() is None, log_tail(log)
        finally:
            stop(worker)

    assert set(sink.recipients) == {
        "after@example.org",
        "before@example.org",
        "during@example.org",
    }
    # The mail that was mid-SMTP when Redis went away may arrive twice: as the same message.
    assert sink.duplicates <= 1
    assert len(set(sink.recipients)) == 3
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert after.pk != during.pk
