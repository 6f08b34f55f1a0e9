"""One SMTP connection per worker process, reused across messages: counted on a real local
SMTP server, reopened when the server drops it, and never a message sent twice."""

import pytest
from django.test import TestCase

from rus.models import OutgoingMail
from rus.outbox import notices, smtp
from rus.outbox.models import DeliveryStatus
from rus.tasks import queue_mail

pytestmark = pytest.mark.django_db

RESET_CONTEXT = {"reset_url": "https://samverkan.example.org/konto/aterstall/a/b/", "username": "a"}


@pytest.fixture(autouse=True)
def _fresh_connection():
    smtp.close()
    yield
    smtp.close()


def queued(count):
    with TestCase.captureOnCommitCallbacks(execute=False):
        return [
            queue_mail(template="password_reset", to=[f"p{n}@example.org"], context=RESET_CONTEXT)
            for n in range(count)
        ]


def statuses(rows):
    return [
        (row.status, row.attempts, row.last_error)
        for row in OutgoingMail.objects.filter(pk__in=[row.pk for row in rows]).order_by("pk")
    ]


def test_two_deliveries_share_one_connection(smtp_server, django_assert_max_num_queries):
    first, second = queued(2)

    assert notices.deliver(first.pk).status == "sent"
    with django_assert_max_num_queries(10):
        assert notices.deliver(second.pk).status == "sent"

    assert len(smtp_server.wait_for(2)) == 2
    assert smtp_server.connections == 1
    assert statuses([first, second]) == [(DeliveryStatus.SENT, 1, "")] * 2


def test_a_connection_the_server_dropped_is_reopened_and_the_message_sent_once(smtp_server):
    first, second = queued(2)
    assert notices.deliver(first.pk).status == "sent"

    smtp_server.drop_connections()  # as a server does with a connection idle too long
    assert notices.deliver(second.pk).status == "sent"

    messages = smtp_server.wait_for(3, timeout=1.0)  # a duplicate would show up here
    assert [message["To"] for message in messages] == ["p0@example.org", "p1@example.org"]
    assert smtp_server.connections == 2
    assert statuses([first, second]) == [(DeliveryStatus.SENT, 1, "")] * 2


def test_a_refusal_on_a_reused_connection_is_an_ordinary_retry(smtp_server):
    """The server answered (451): the message is not resent at once but retried by the outbox,
    and the next try opens a new connection."""
    first, second = queued(2)
    assert notices.deliver(first.pk).status == "sent"

    smtp_server.refuse_next(1)
    assert notices.deliver(second.pk).status == "retry"
    assert smtp_server.refused == 1
    assert len(smtp_server.wait_for(2, timeout=0.5)) == 1

    assert notices.deliver(second.pk).status == "sent"
    assert len(smtp_server.wait_for(3, timeout=1.0)) == 2
    assert smtp_server.connections == 2
    assert statuses([second]) == [(DeliveryStatus.SENT, 2, "")]


def test_the_connection_is_renewed_after_the_message_limit(smtp_server, settings):
    settings.MAIL_CONNECTION_MAX_MESSAGES = 2
    rows = queued(3)

    assert [notices.deliver(row.pk).status for row in rows] == ["sent"] * 3

    assert len(smtp_server.wait_for(3)) == 3
    assert smtp_server.connections == 2


def test_an_idle_connection_is_renewed_before_the_server_would_cut_it(smtp_server, settings):
    settings.MAIL_CONNECTION_IDLE_SECONDS = 0
    first, second = queued(2)

    assert notices.deliver(first.pk).status == "sent"
    assert notices.deliver(second.pk).status == "sent"

    assert len(smtp_server.wait_for(2)) == 2
    assert smtp_server.connections == 2
