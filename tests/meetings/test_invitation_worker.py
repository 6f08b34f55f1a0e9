"""Invitations through a real Celery worker, Redis and an SMTP server on 127.0.0.1.
Skipped without REDIS_URL; CI runs them."""

import time

import icalendar
import pytest
from django.db import OperationalError

from councils.models import Membership
from meetings.models import Invitation
from meetings.models.invitations import DeliveryStatus
from meetings.services.invitations import sending
from meetings.tasks import deliver_invitation, deliver_invitations, sweep_invitations
from tests.factories import make_membership, make_person
from tests.meetings.invitation_support import (
    calendar_parts,
    clear_pdf_cache,
    make_invitation_setup,
    pdf_parts,
)
from tests.support.smtp import free_port

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_pdf_cache():
    clear_pdf_cache()


@pytest.fixture(autouse=True)
def fast_retries(settings):
    settings.MAIL_RETRY_BACKOFF_SECONDS = 0.05
    settings.MAIL_RETRY_BACKOFF_MAX_SECONDS = 0.2
    settings.MAIL_MAX_RETRIES = 2


def wait_until(predicate, timeout=20.0):
    """Poll the database (the worker writes from its own thread) until `predicate()` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OperationalError:  # SQLite: the worker holds the write lock for a moment
            pass
        time.sleep(0.05)
    return False


def send_without_publishing(setup, monkeypatch):
    """Create the rows as the send action does, but publish nothing: the test publishes."""
    with monkeypatch.context() as patch:
        for task in (deliver_invitation, deliver_invitations):
            patch.setattr(task, "apply_async", lambda *args, **kwargs: None)
        sending.send_invitations(meeting=setup.meeting, user=setup.chair_user)


def council_of(size):
    """A council whose chair, members and one presenter make `size` recipients."""
    return make_invitation_setup(members=size - 2)


def test_fifty_recipients_get_exactly_fifty_messages_with_ics_and_pdf(celery_worker, smtp_server):
    setup = council_of(50)
    sending.send_invitations(meeting=setup.meeting, user=setup.chair_user)

    smtp_server.wait_for(50, timeout=60)
    messages = smtp_server.wait_for(51, timeout=1.5)  # a stray duplicate would show up here

    assert len(messages) == 50
    recipients = [rcpt for _, rcpts in smtp_server.envelopes for rcpt in rcpts]
    assert len(set(recipients)) == 50
    for message in messages:
        ((part, calendar),) = calendar_parts(message)
        assert part.get_param("method") == "REQUEST"
        assert calendar["METHOD"] == "REQUEST"
        (event,) = calendar.walk("VEVENT")
        assert str(event["UID"]) == setup.meeting.calendar_uid
        assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
        assert isinstance(icalendar.Calendar.from_ical(calendar.to_ical()), icalendar.Calendar)
        (pdf,) = pdf_parts(message)
        assert pdf.startswith(b"%PDF")
    assert wait_until(lambda: Invitation.objects.filter(status=DeliveryStatus.SENT).count() == 50)


def test_task_run_twice_for_one_invitation_sends_once(celery_worker, smtp_server, monkeypatch):
    setup = council_of(2)
    send_without_publishing(setup, monkeypatch)
    invitation = Invitation.objects.get(person=setup.chair)

    deliver_invitation.delay(invitation.pk, invitation.mailing_id)
    deliver_invitation.delay(invitation.pk, invitation.mailing_id)

    assert len(smtp_server.wait_for(1, timeout=30)) == 1
    assert len(smtp_server.wait_for(2, timeout=2)) == 1
    assert wait_until(lambda: Invitation.objects.get(pk=invitation.pk).is_sent)


def test_refusing_smtp_server_gives_retries_then_failed_then_a_successful_resend(
    celery_worker, smtp_server, monkeypatch
):
    setup = council_of(2)
    send_without_publishing(setup, monkeypatch)
    invitation = Invitation.objects.get(person=setup.chair)
    smtp_server.refuse_next(3)  # the first try and both retries

    deliver_invitation.delay(invitation.pk, invitation.mailing_id)

    assert wait_until(lambda: Invitation.objects.get(pk=invitation.pk).is_failed, timeout=30)
    invitation.refresh_from_db()
    assert invitation.attempts == 3
    assert smtp_server.refused == 3
    assert "451" in invitation.last_error
    assert invitation.get_status_display() == "Misslyckades"
    assert smtp_server.messages == []

    sending.resend_failed(meeting=setup.meeting, user=setup.chair_user, invitation=invitation)

    assert len(smtp_server.wait_for(1, timeout=30)) == 1
    assert wait_until(lambda: Invitation.objects.get(pk=invitation.pk).is_sent)
    assert len(smtp_server.wait_for(2, timeout=1.5)) == 1


def point_producer_at(app, url):
    """Send tasks to `url` (None: the real broker again); the worker keeps consuming from the
    real broker. The pools are dropped, not closed: kombu shares producer pools per URL."""
    app.conf.broker_write_url = url
    app._pool = None
    app.amqp._producer_pool = None


def test_broker_unreachable_at_send_time_then_back_still_delivers_each_once(
    celery_worker, smtp_server, settings
):
    setup = council_of(6)
    extra = make_person(given_name="Extra", email="extra@example.org")
    make_membership(person=extra, council=setup.council, role=Membership.Role.ADJUNCT)
    point_producer_at(celery_worker, f"redis://127.0.0.1:{free_port()}/0")
    try:
        started = time.monotonic()
        sending.send_invitations(meeting=setup.meeting, user=setup.chair_user)  # succeeds
        assert time.monotonic() - started < 15
    finally:
        point_producer_at(celery_worker, None)
    assert Invitation.objects.filter(status=DeliveryStatus.QUEUED, enqueued_at=None).count() == 7
    assert smtp_server.wait_for(1, timeout=1) == []

    # Beat's sweep, once the broker is back (the minute's grace shortened for the test).
    settings.MAIL_SWEEP_AFTER_SECONDS = 0
    sweep_invitations.delay()
    assert len(smtp_server.wait_for(7, timeout=60)) == 7
    sweep_invitations.delay()  # a second sweep finds nothing left to send
    assert len(smtp_server.wait_for(8, timeout=2)) == 7
    assert wait_until(lambda: Invitation.objects.filter(status=DeliveryStatus.SENT).count() == 7)
