"""A real Celery worker thread on Redis for tests (celery.contrib.testing.worker)."""

import contextlib

from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

from rus.celery import app as celery_app


def _close_worker_connections(**kwargs):
    # The worker thread opens its own database connections; close them after each task so
    # that test database teardown (PostgreSQL: DROP DATABASE) finds nobody connected.
    connections.close_all()


@contextlib.contextmanager
def running_worker(broker_url):
    """Run tasks for real: not eagerly, through `broker_url`, in a solo worker thread."""
    conf = celery_app.conf
    saved = {"task_always_eager": conf.task_always_eager, "broker_url": conf.broker_url}
    conf.task_always_eager = False
    if conf.broker_url != broker_url:
        conf.broker_url = broker_url
        celery_app.pool.force_close_all()
        celery_app._pool = None
    celery_app.control.purge()
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            yield celery_app
    finally:
        task_postrun.disconnect(_close_worker_connections)
        celery_app.control.purge()
        if conf.broker_url != saved["broker_url"]:
            conf.broker_url = saved["broker_url"]
            celery_app.pool.force_close_all()
            celery_app._pool = None
        conf.task_always_eager = saved["task_always_eager"]
