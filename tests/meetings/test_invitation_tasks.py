"""Celery tasks and beat entries for invitations: delivery exactly once, retries, reminders."""

import datetime
import threading
import time

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from meetings.models import Invitation
from meetings.models.invitations import DeliveryStatus
from meetings.services.invitations import delivery, reminders, sending
from meetings.tasks import (
    deliver_invitation,
    deliver_invitations,
    send_invitation_reminders,
    sweep_invitations,
)
from rus.celery import app
from tests.meetings.invitation_support import make_invitation_setup
from tests.support.settings import settings_under

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf")]


def test_beat_runs_the_sweep_every_half_minute_and_the_reminders():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["invitations-sweep"]["task"] == sweep_invitations.name
    assert schedule["invitations-sweep"]["schedule"] == 30.0
    assert schedule["invitations-reminders"]["task"] == send_invitation_reminders.name
    for entry in ("invitations-sweep", "invitations-reminders"):
        assert schedule[entry]["task"] in app.tasks


def test_reminder_days_come_from_the_environment_seven_and_one_by_default(monkeypatch):
    """INVITATION_REMINDER_DAYS lists the days before the meeting, comma-separated (R7)."""
    default = settings_under(monkeypatch, INVITATION_REMINDER_DAYS=None)
    assert default["INVITATION_REMINDER_DAYS"] == [7, 1]
    configured = settings_under(monkeypatch, INVITATION_REMINDER_DAYS="14, 2")
    assert configured["INVITATION_REMINDER_DAYS"] == [14, 2]


def test_reminder_days_are_distinct_positive_and_nearest_first(settings):
    settings.INVITATION_REMINDER_DAYS = [7, 1, 7, 0, -3]
    assert reminders.reminder_days() == [1, 7]


def test_a_rendering_fault_fails_the_row_at_once_with_its_reason(
    monkeypatch, django_capture_on_commit_callbacks
):
    setup = make_invitation_setup(members=1)
    with django_capture_on_commit_callbacks(execute=False):
        sending.send_invitations(meeting=setup.meeting, user=setup.chair_user)
    invitation = Invitation.objects.get(person=setup.chair)

    def broken(meeting):
        raise ValueError("trasig mall")

    monkeypatch.setattr("meetings.pdf.render_agenda_pdf", broken)
    monkeypatch.setattr("meetings.pdf.render_agenda_pdf_with_pages", broken)  # its document's
    assert deliver_invitation.apply(args=[invitation.pk, invitation.mailing_id]).get() == "failed"
    invitation.refresh_from_db()
    assert invitation.status == DeliveryStatus.FAILED
    assert "trasig mall" in invitation.last_error
    assert mail.outbox == []


def test_sweep_task_publishes_rows_left_waiting(settings, django_capture_on_commit_callbacks):
    setup = make_invitation_setup(members=2)
    with django_capture_on_commit_callbacks(execute=False):  # as if the broker had been down
        sending.send_invitations(meeting=setup.meeting, user=setup.chair_user)
    Invitation.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_invitations.apply().get() == 4
    assert len(mail.outbox) == 4
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_invitations.apply().get() == 0


def test_reminder_task_queues_due_reminders(settings, django_capture_on_commit_callbacks):
    settings.INVITATION_REMINDER_DAYS = [30]
    setup = make_invitation_setup(members=1)
    with django_capture_on_commit_callbacks(execute=True):
        sending.send_invitations(meeting=setup.meeting, user=setup.chair_user)
    Invitation.objects.update(created_at=timezone.now() - datetime.timedelta(days=40))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_invitation_reminders.apply().get() == 3
    assert len(mail.outbox) == 3


@pytest.mark.django_db(transaction=True)
def test_two_tasks_racing_for_one_invitation_send_once(monkeypatch):
    """The row lock (SELECT … FOR UPDATE) makes the second task wait, then skip (PostgreSQL)."""
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks; CI runs this on PostgreSQL")
    setup = make_invitation_setup(members=1)
    for task in (deliver_invitation, deliver_invitations):
        monkeypatch.setattr(task, "apply_async", lambda *args, **kwargs: None)
    sending.send_invitations(meeting=setup.meeting, user=setup.chair_user)
    invitation = Invitation.objects.get(person=setup.chair)
    sent = []

    def slow_send(self, messages):
        time.sleep(0.5)
        sent.extend(messages)
        return len(messages)

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", slow_send)
    outcomes = []

    def run():
        try:
            outcomes.append(
                delivery.deliver(
                    invitation_id=invitation.pk, mailing_id=invitation.mailing_id
                ).status
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["sent", "skipped"]
    assert len(sent) == 1


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the embedded default's SQLite file only",
)
def test_worker_processes_on_the_sqlite_file_wait_for_each_other_instead_of_failing(tmp_path):
    """With REDIS_URL and the default SQLite file, several worker processes deliver at once.
    Each reads its row, sends, then marks it sent; with SQLite's deferred transactions the
    second writer failed at once with "database is locked" after its mail had gone out, so the
    row stayed queued and would be sent again. Transactions must take the write lock at BEGIN
    and wait for it (exactly once)."""
    from unittest import mock

    from django.db import transaction
    from django.db.utils import ConnectionHandler

    config = {**settings.DATABASES["default"], "NAME": str(tmp_path / "workers.sqlite3")}
    handler = ConnectionHandler({"default": config, "worker": config})
    with handler["default"].cursor() as cursor:
        cursor.execute("CREATE TABLE delivery (id INTEGER PRIMARY KEY, status TEXT)")
        cursor.execute("INSERT INTO delivery VALUES (1, 'queued'), (2, 'queued')")
    handler["default"].close()

    start = threading.Barrier(2, timeout=10)
    errors = []

    def deliver_like_a_worker(row_id):
        try:
            start.wait()
            with transaction.atomic(using="worker"), handler["worker"].cursor() as cursor:
                cursor.execute("SELECT status FROM delivery WHERE id = %s", [row_id])
                time.sleep(0.3)  # rendering and sending the mail
                cursor.execute("UPDATE delivery SET status = 'sent' WHERE id = %s", [row_id])
        except Exception as exc:  # noqa: BLE001 - the test reports what the worker hit
            errors.append(exc)
        finally:
            handler["worker"].close()

    with mock.patch("django.db.transaction.connections", handler):
        threads = [threading.Thread(target=deliver_like_a_worker, args=(i,)) for i in (1, 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert errors == []
    with handler["default"].cursor() as cursor:
        cursor.execute("SELECT status FROM delivery ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == ["sent", "sent"]
    handler["default"].close()
