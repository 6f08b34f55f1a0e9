"""Celery configuration: every periodic job names a task the worker knows."""

from django.conf import settings

from rus.celery import app


def registered_task_names():
    app.loader.import_default_modules()  # what a worker does at start: autodiscover tasks
    return set(app.tasks)


def test_every_beat_entry_names_a_registered_task():
    known = registered_task_names()

    unknown = {
        name: entry["task"]
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["task"] not in known
    }

    assert unknown == {}


def test_mail_tasks_are_registered_under_their_documented_names():
    known = registered_task_names()
    assert {"rus.tasks.deliver_mail", "rus.tasks.sweep_mail"} <= known
    # Messages queued before the outbox still find their task (it moves them into the outbox).
    assert "rus.tasks.send_mail_task" in known


def test_celery_reads_its_settings_from_django():
    assert app.conf.timezone == "Europe/Stockholm"
    assert app.conf.task_acks_late is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_connection_timeout == settings.CELERY_BROKER_CONNECTION_TIMEOUT
