"""The outbox every mail goes through: a stable Message-ID, "sending" committed before SMTP,
an uncertain row resent once and never more, the sweep of lost tasks, one retry policy."""

import datetime
import smtplib
import socket
import ssl
import threading

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import connection, connections
from django.test import TestCase
from django.utils import timezone

from meetings.models import Invitation
from meetings.services.invitations import outbox as invitation_outbox
from meetings.services.invitations import sending
from rus.celery import app
from rus.models import OutgoingMail
from rus.outbox import delivery, notices
from rus.outbox.failures import FailureKind, classify
from rus.outbox.models import DeliveryStatus
from rus.tasks import deliver_mail, queue_mail
from tests.meetings.invitation_support import FAKE_PDF, clear_pdf_cache, make_invitation_setup

RESET_CONTEXT = {"reset_url": "https://samverkan.example.org/konto/aterstall/a/b/", "username": "a"}

pytestmark = pytest.mark.django_db


def queued_mail():
    """A notice in the outbox whose task was not published (as if the broker were down)."""
    with TestCase.captureOnCommitCallbacks(execute=False):
        return queue_mail(template="password_reset", to=["a@example.org"], context=RESET_CONTEXT)


def as_left_by_a_dead_worker(row):
    """The row as a worker killed during the SMTP conversation leaves it."""
    row.status = DeliveryStatus.SENDING
    row.sending_since = timezone.now() - datetime.timedelta(seconds=5)
    row.message_id = row.message_id or "<crashed@example.org>"
    row.save()
    return row


def test_each_mail_gets_a_message_id_once_and_keeps_it_through_retries(mailoutbox, monkeypatch):
    row = queued_mail()
    sends = []

    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.send_messages

    def fail_first(self, messages):
        sends.append(messages[0].message()["Message-ID"])
        if len(sends) == 1:
            raise smtplib.SMTPDataError(451, b"try again later")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", fail_first)

    assert notices.deliver(row.pk).status == "retry"
    row.refresh_from_db()
    assert row.message_id.startswith("<") and row.message_id.endswith(">")
    assert notices.deliver(row.pk).status == "sent"

    assert sends == [row.message_id, row.message_id]
    [message] = mailoutbox
    assert message.message()["Message-ID"] == row.message_id


@pytest.mark.django_db(transaction=True)
def test_sending_is_committed_before_smtp_and_a_live_sender_is_left_alone(monkeypatch):
    """While one worker talks SMTP, the row reads "sending" to everyone, and a second task (or
    the sweep) leaves it alone: its sender holds the row's sender lock."""
    if connection.vendor != "postgresql":
        pytest.skip("the sender lock is PostgreSQL's advisory lock; CI runs on PostgreSQL")
    row = OutgoingMail.objects.create(
        template="password_reset", to=["a@example.org"], context=RESET_CONTEXT
    )
    from django.core.mail.backends.locmem import EmailBackend

    observed = {}

    def meanwhile(self, messages):
        def second_worker():
            try:
                observed["status"] = OutgoingMail.objects.get(pk=row.pk).status
                observed["second task"] = notices.deliver(row.pk).status
                observed["sweep"] = notices.sweep(now=timezone.now() + datetime.timedelta(hours=1))
            finally:
                connections.close_all()

        thread = threading.Thread(target=second_worker)
        thread.start()
        thread.join()
        return len(messages)

    monkeypatch.setattr(EmailBackend, "send_messages", meanwhile)

    assert notices.deliver(row.pk).status == "sent"
    assert observed == {"status": DeliveryStatus.SENDING, "second task": "skipped", "sweep": 0}


def test_a_row_left_sending_by_a_dead_worker_is_resent_once_with_the_same_message_id(
    mailoutbox,
):
    row = as_left_by_a_dead_worker(queued_mail())

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert notices.sweep() == 1  # no worker holds it: the sweep publishes it at once

    [message] = mailoutbox
    assert message.message()["Message-ID"] == "<crashed@example.org>"
    row.refresh_from_db()
    assert (row.status, row.resent_uncertain) == (DeliveryStatus.SENT, True)


def test_an_uncertain_row_that_crashes_again_is_failed_not_sent_a_third_time(mailoutbox):
    row = as_left_by_a_dead_worker(queued_mail())
    row.resent_uncertain = True  # the one resend after the first crash crashed too
    row.save()

    assert deliver_mail.apply(args=[row.pk]).get() == "failed"

    assert mailoutbox == []
    row.refresh_from_db()
    assert (row.status, row.failure_kind) == (DeliveryStatus.FAILED, FailureKind.UNCERTAIN)
    assert "fråga mottagaren" in str(row.failure_explanation)

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert notices.resend(mails=[row]) == 1  # a person decides: the same message again
    [message] = mailoutbox
    assert message.message()["Message-ID"] == "<crashed@example.org>"


def test_the_sweep_republishes_a_lost_task_within_minutes_not_half_an_hour(settings, mailoutbox):
    assert settings.MAIL_SWEEP_STALE_SECONDS <= 5 * 60
    with TestCase.captureOnCommitCallbacks(execute=False):
        row = queue_mail(template="password_reset", to=["a@example.org"], context=RESET_CONTEXT)
    OutgoingMail.objects.filter(pk=row.pk).update(enqueued_at=timezone.now())  # published, lost

    soon = timezone.now() + datetime.timedelta(seconds=settings.MAIL_SWEEP_STALE_SECONDS - 5)
    assert notices.sweep(now=soon) == 0
    later = timezone.now() + datetime.timedelta(seconds=settings.MAIL_SWEEP_STALE_SECONDS + 1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert notices.sweep(now=later) == 1
    assert len(mailoutbox) == 1


def test_retries_start_at_two_seconds_randomised_doubling_and_capped(settings):
    settings.MAIL_RETRY_BACKOFF_SECONDS = 2
    settings.MAIL_RETRY_BACKOFF_MAX_SECONDS = 120
    for _ in range(50):
        countdowns = [delivery.retry_countdown(n) for n in range(1, 10)]
        assert 2 <= countdowns[0] <= 3
        assert 4 <= countdowns[1] <= 6
        assert 8 <= countdowns[2] <= 12
        assert max(countdowns) <= 120
    assert len({delivery.retry_countdown(1) for _ in range(20)}) > 1  # randomised


def test_workers_hand_back_unfinished_tasks_and_outlast_a_broker_outage():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.broker_connection_retry_on_startup is True
    assert conf.broker_connection_max_retries is None
    # Redis redelivers an unacknowledged message only after the visibility timeout: longer
    # than a task may run plus the longest retry countdown, else a running task is duplicated.
    from django.conf import settings

    timeout = conf.broker_transport_options["visibility_timeout"]
    assert timeout > conf.task_time_limit + settings.MAIL_RETRY_BACKOFF_MAX_SECONDS
    assert timeout <= 10 * 60


def test_a_permanent_refusal_of_an_invitation_fails_it_after_one_attempt(monkeypatch):
    """One retry policy for all mail: SMTP 5xx is not retried for invitations either."""
    clear_pdf_cache()
    monkeypatch.setattr("meetings.pdf.render_agenda_pdf", lambda meeting: FAKE_PDF)
    setup = make_invitation_setup(members=1)
    with TestCase.captureOnCommitCallbacks(execute=False):
        sending.send_invitations(meeting=setup.meeting, user=setup.chair_user)
    invitation = Invitation.objects.get(person=setup.chair)
    attempts = []

    def refuse(self, messages):
        attempts.append(messages)
        raise smtplib.SMTPRecipientsRefused({invitation.email: (550, b"5.1.1 No such user")})

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)

    outcome = invitation_outbox.deliver_invitation.apply(
        args=[invitation.pk, invitation.mailing_id]
    )

    assert outcome.get() == "failed"
    assert len(attempts) == 1
    invitation.refresh_from_db()
    assert (invitation.status, invitation.attempts, invitation.failure_kind) == (
        DeliveryStatus.FAILED,
        1,
        FailureKind.ADDRESS_REFUSED,
    )


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (ConnectionRefusedError(111, "Connection refused"), FailureKind.UNREACHABLE),
        (socket.gaierror(-2, "Name or service not known"), FailureKind.UNREACHABLE),
        (TimeoutError("timed out"), FailureKind.TIMEOUT),
        (SoftTimeLimitExceeded(), FailureKind.TIMEOUT),
        (
            smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
            FailureKind.DISCONNECTED,
        ),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), FailureKind.AUTHENTICATION),
        (ssl.SSLError("certificate verify failed"), FailureKind.ENCRYPTION),
        (
            smtplib.SMTPRecipientsRefused({"a@x.se": (550, b"no such user")}),
            FailureKind.ADDRESS_REFUSED,
        ),
        (
            smtplib.SMTPRecipientsRefused({"a@x.se": (452, b"mailbox full")}),
            FailureKind.MAILBOX_FULL,
        ),
        (smtplib.SMTPDataError(552, b"quota exceeded"), FailureKind.MAILBOX_FULL),
        (smtplib.SMTPDataError(554, b"spam"), FailureKind.REFUSED),
        (smtplib.SMTPDataError(451, b"later"), FailureKind.TEMPORARY),
        (ValueError("broken template"), FailureKind.INTERNAL),
    ],
)
def test_every_failure_gets_a_swedish_explanation(error, kind):
    assert classify(error) == kind
    assert FailureKind(kind).explanation  # Swedish, translated in locale/en
