"""All mail leaves through one Celery task: templates, on-commit, retries, a real worker."""

import logging
import re
import smtplib
import threading

import pytest
from celery.signals import task_prerun
from kombu.exceptions import OperationalError

from rus.emails import build_message
from rus.tasks import queue_mail, send_mail_task
from tests.factories import make_user
from tests.support.smtp import free_port

RESET_CONTEXT = {"reset_url": "https://samverkan.example.org/konto/aterstall/a/b/", "username": "a"}


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
def test_broker_down_does_not_break_the_request(
    client, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    make_user("alice")

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_mail_task, "delay", broker_down)

    with (
        caplog.at_level(logging.ERROR, logger="rus.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post("/konto/aterstall-losenord/", {"email": "alice@example.org"})

    assert response.status_code == 302
    assert "Could not enqueue mail password_reset" in caplog.text


def test_mail_task_retries_temporary_smtp_failures(smtp_server):
    smtp_server.refuse_next(2)

    result = send_mail_task.apply(
        kwargs={"template": "password_reset", "to": ["a@example.org"], "context": RESET_CONTEXT}
    )

    assert result.successful()
    assert smtp_server.refused == 2
    assert len(smtp_server.messages) == 1


def test_mail_task_gives_up_after_max_retries(smtp_server):
    smtp_server.refuse_next(send_mail_task.max_retries + 1)

    result = send_mail_task.apply(
        kwargs={"template": "password_reset", "to": ["a@example.org"], "context": RESET_CONTEXT}
    )

    assert result.failed()
    assert isinstance(result.result, smtplib.SMTPDataError)
    assert smtp_server.messages == []


def test_mail_task_does_not_retry_a_permanent_refusal(smtp_server, caplog):
    smtp_server.refuse_next(1, code=550)

    with caplog.at_level(logging.ERROR, logger="rus.tasks"):
        result = send_mail_task.apply(
            kwargs={"template": "password_reset", "to": ["a@example.org"], "context": RESET_CONTEXT}
        )

    assert result.failed()
    assert smtp_server.refused == 1
    assert "refused permanently" in caplog.text


def test_mail_task_retries_when_the_smtp_server_is_unreachable(settings, smtp_server):
    """Connection refused is an OSError: temporary, so it is retried like a 4xx answer."""
    settings.EMAIL_PORT = free_port()

    result = send_mail_task.apply(
        kwargs={"template": "password_reset", "to": ["a@example.org"], "context": RESET_CONTEXT}
    )

    assert result.failed()
    assert isinstance(result.result, ConnectionRefusedError)
    assert result.info is result.result
    assert send_mail_task.max_retries == settings.MAIL_TASK_MAX_RETRIES


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
