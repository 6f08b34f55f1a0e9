"""Notices leave through the outbox: templates, on-commit, the sweep, retries, a real worker."""

import datetime
import re
import threading

import pytest
from celery.signals import task_prerun
from django.conf import settings
from django.db import transaction
from django.test import TestCase
from django.utils import timezone
from kombu.exceptions import OperationalError

from rus.emails import build_message
from rus.models import OutgoingMail
from rus.outbox import notices
from rus.outbox.failures import FailureKind
from rus.outbox.models import DeliveryStatus
from rus.tasks import deliver_mail, queue_mail, send_mail_task
from tests.factories import make_user
from tests.support.smtp import free_port

RESET_CONTEXT = {"reset_url": "https://samverkan.example.org/konto/aterstall/a/b/", "username": "a"}


def send_now(template, to, context):
    """queue_mail, and the commit that publishes its task (the test runs in a transaction)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return queue_mail(template=template, to=to, context=context)


@pytest.fixture
def fast_retries(settings):
    settings.MAIL_RETRY_BACKOFF_SECONDS = 0.01
    settings.MAIL_RETRY_BACKOFF_MAX_SECONDS = 0.02


def test_build_message_renders_subject_text_and_html(settings):
    settings.DEFAULT_FROM_EMAIL = "Samverkan <samverkan@example.org>"

    message = build_message(template="password_reset", to=["a@example.org"], context=RESET_CONTEXT)

    assert message.subject == "Återställ ditt lösenord i Samverkan"
    assert message.from_email == "Samverkan <samverkan@example.org>"
    assert message.to == ["a@example.org"]
    assert RESET_CONTEXT["reset_url"] in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert f'href="{RESET_CONTEXT["reset_url"]}"' in html
    assert '<html lang="sv">' in html


def test_plain_text_body_is_not_html_escaped():
    context = {"reset_url": "https://x.example.org/?a=1&b=2", "username": "o'neill"}

    message = build_message(template="password_reset", to=["a@example.org"], context=context)

    assert "https://x.example.org/?a=1&b=2" in message.body
    assert "o'neill" in message.body


@pytest.mark.django_db
def test_queue_mail_waits_for_commit(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        queue_mail(template="password_reset", to=["a@example.org"], context=RESET_CONTEXT)
        assert mailoutbox == []

    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_broker_down_does_not_break_the_request_and_the_sweep_sends_the_mail_later(
    client, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    """The password reset is written to the outbox with the request; a broker that is down
    when it commits leaves it queued for the sweep instead of losing it."""
    make_user("alice")

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as patch:
        patch.setattr(deliver_mail, "apply_async", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/konto/aterstall-losenord/", {"email": "alice@example.org"})

    assert response.status_code == 302
    [row] = OutgoingMail.objects.all()
    assert (row.template, row.to, row.status, row.enqueued_at) == (
        "password_reset",
        ["alice@example.org"],
        DeliveryStatus.QUEUED,
        None,
    )
    assert mailoutbox == []

    later = timezone.now() + datetime.timedelta(seconds=settings.MAIL_SWEEP_AFTER_SECONDS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.sweep(now=later) == 1
    [message] = mailoutbox
    assert message.to == ["alice@example.org"]
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.sweep(now=later) == 0


@pytest.mark.django_db
def test_a_mail_queued_in_a_transaction_that_rolls_back_is_neither_kept_nor_sent(mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_mail(template="password_reset", to=["a@example.org"], context=RESET_CONTEXT)
        raise RuntimeError("the change failed")

    assert not OutgoingMail.objects.exists()
    assert mailoutbox == []


@pytest.mark.django_db
def test_temporary_smtp_failures_are_retried_then_sent(smtp_server, fast_retries):
    smtp_server.refuse_next(2)

    row = send_now("password_reset", ["a@example.org"], RESET_CONTEXT)

    assert smtp_server.refused == 2
    assert len(smtp_server.messages) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (DeliveryStatus.SENT, 3)


@pytest.mark.django_db
def test_mail_fails_visibly_after_the_last_retry(smtp_server, fast_retries, settings):
    smtp_server.refuse_next(settings.MAIL_MAX_RETRIES + 1)

    row = send_now("password_reset", ["a@example.org"], RESET_CONTEXT)

    row.refresh_from_db()
    assert (row.status, row.attempts) == (DeliveryStatus.FAILED, settings.MAIL_MAX_RETRIES + 1)
    assert row.failure_kind == FailureKind.TEMPORARY
    assert "451" in row.last_error
    assert smtp_server.messages == []


@pytest.mark.django_db
def test_a_permanent_refusal_is_not_retried(smtp_server, fast_retries):
    smtp_server.refuse_next(1, code=550)

    row = send_now("password_reset", ["a@example.org"], RESET_CONTEXT)

    row.refresh_from_db()
    assert smtp_server.refused == 1
    assert (row.status, row.attempts, row.failure_kind) == (
        DeliveryStatus.FAILED,
        1,
        FailureKind.REFUSED,
    )


@pytest.mark.django_db
def test_an_unreachable_smtp_server_is_retried_then_explained(settings, smtp_server, fast_retries):
    """Connection refused is an OSError: temporary, so it is retried like a 4xx answer."""
    settings.EMAIL_PORT = free_port()

    row = send_now("password_reset", ["a@example.org"], RESET_CONTEXT)

    row.refresh_from_db()
    assert (row.status, row.attempts) == (DeliveryStatus.FAILED, settings.MAIL_MAX_RETRIES + 1)
    assert row.failure_kind == FailureKind.UNREACHABLE
    assert "ConnectionRefusedError" in row.last_error
    assert str(row.failure_explanation).startswith("Samverkan kunde inte ansluta")


@pytest.mark.django_db
def test_a_mail_task_queued_before_the_outbox_is_moved_into_it_and_sent(mailoutbox):
    with TestCase.captureOnCommitCallbacks(execute=True):
        send_mail_task.apply(
            kwargs={"template": "password_reset", "to": ["a@example.org"], "context": RESET_CONTEXT}
        )

    [row] = OutgoingMail.objects.all()
    assert row.status == DeliveryStatus.SENT
    assert mailoutbox[0].message()["Message-ID"] == row.message_id


def test_mail_task_is_json_serialised_with_time_limits():
    from rus.celery import app

    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_time_limit > app.conf.task_soft_time_limit > 0


@pytest.mark.django_db(transaction=True)
def test_password_reset_mail_goes_through_real_worker_and_smtp(client, celery_worker, smtp_server):
    """Password reset: web form -> Redis -> real worker -> real SMTP server: exactly one mail."""
    make_user("alice")
    worker_threads = []

    def remember_thread(**kwargs):
        worker_threads.append(threading.current_thread())

    task_prerun.connect(remember_thread, weak=False)
    try:
        response = client.post("/konto/aterstall-losenord/", {"email": "alice@example.org"})
        assert response.status_code == 302
        assert len(smtp_server.wait_for(1, timeout=20)) == 1
        # Nothing else arrives: wait a moment for a stray duplicate.
        messages = smtp_server.wait_for(2, timeout=1)
    finally:
        task_prerun.disconnect(remember_thread)

    assert len(messages) == 1
    assert worker_threads and worker_threads[0] is not threading.main_thread()
    [message] = messages
    assert message["To"] == "alice@example.org"
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"http://testserver(/konto/aterstall/\S+/)", text).group(1)
    assert "Välj nytt lösenord" in client.get(link, follow=True).text
