"""The shared fixtures themselves work: SMTP server, Celery worker, browser."""

import smtplib

import pytest
from django.core.mail import send_mail

from rus.tasks import queue_mail
from tests.support.browser import require_chromium


def test_smtp_server_collects_parsed_messages(smtp_server):
    send_mail("Hej", "Brödtext med åäö", "kansli@example.org", ["alice@example.org"])

    [message] = smtp_server.messages
    assert message["Subject"] == "Hej"
    assert message["To"] == "alice@example.org"
    assert "Brödtext med åäö" in message.get_content()
    assert smtp_server.envelopes == [("kansli@example.org", ["alice@example.org"])]


def test_smtp_server_refuses_next_deliveries_with_451(smtp_server):
    smtp_server.refuse_next(1)

    with pytest.raises(smtplib.SMTPDataError) as error:
        send_mail("Första", "x", "kansli@example.org", ["alice@example.org"])
    assert error.value.smtp_code == 451
    send_mail("Andra", "x", "kansli@example.org", ["alice@example.org"])

    assert [m["Subject"] for m in smtp_server.messages] == ["Andra"]
    assert smtp_server.refused == 1


@pytest.mark.django_db(transaction=True)
def test_celery_worker_runs_mail_task_and_retries_after_smtp_failure(celery_worker, smtp_server):
    """A temporary SMTP failure (451) is retried with backoff by the real worker."""
    smtp_server.refuse_next(1)

    queue_mail(
        template="password_reset",
        to=["alice@example.org"],
        context={"reset_url": "http://testserver/konto/aterstall/x/y/", "username": "alice"},
    )

    messages = smtp_server.wait_for(1, timeout=20)
    assert len(messages) == 1
    assert smtp_server.refused == 1
    assert (
        "http://testserver/konto/aterstall/x/y/" in messages[0].get_body(("plain",)).get_content()
    )


def test_browser_page_opens_the_login_page(browser_page):
    browser_page.goto("/konto/logga-in/")

    assert browser_page.title().startswith("Logga in")
    assert browser_page.locator("html").get_attribute("lang") == "sv"


def test_chromium_comes_from_samverkan_chromium(monkeypatch, tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("SAMVERKAN_CHROMIUM", str(fake))

    assert require_chromium() == str(fake)


def test_missing_chromium_skips_on_a_laptop(monkeypatch, tmp_path):
    monkeypatch.setenv("SAMVERKAN_CHROMIUM", str(tmp_path / "nowhere"))
    monkeypatch.delenv("CI", raising=False)

    with pytest.raises(pytest.skip.Exception, match="No chromium found"):
        require_chromium()


def test_missing_chromium_fails_in_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("SAMVERKAN_CHROMIUM", str(tmp_path / "nowhere"))
    monkeypatch.setenv("CI", "true")

    with pytest.raises(pytest.fail.Exception, match="No chromium found"):
        require_chromium()


@pytest.mark.django_db(transaction=True)
def test_transactional_test_rolls_back_by_serialization(request):
    assert request.node.get_closest_marker("django_db").kwargs["serialized_rollback"] is True


def test_transactional_db_fixture_without_marker_rolls_back_by_serialization(
    request, transactional_db
):
    """Asking for the fixture alone must not bring back the flush that broke later tests."""
    assert request.node.get_closest_marker("django_db").kwargs["serialized_rollback"] is True

    from rus.models import SustainabilityGoal

    assert SustainabilityGoal.objects.exists()  # rows from a data migration are there
