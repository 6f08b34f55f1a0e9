"""Utgående e-post: the secretariat sees which notices could not be delivered and why (in
Swedish, the technical detail folded away) and sends them again, as the same message."""

import pytest
from django.urls import reverse

from councils.models import Membership
from rus.models import OutgoingMail
from rus.outbox.failures import FailureKind
from rus.outbox.models import DeliveryStatus
from tests.factories import make_secretariat_user, make_user_with_role

pytestmark = pytest.mark.django_db

PAGE = reverse("outgoing_mail")


def failed_mail(**extra):
    return OutgoingMail.objects.create(
        template="password_reset",
        to=["alice@example.org"],
        context={
            "reset_url": "https://samverkan.example.org/konto/aterstall/a/b/",
            "username": "a",
        },
        subject="Återställ ditt lösenord i Samverkan",
        status=DeliveryStatus.FAILED,
        attempts=1,
        failure_kind=FailureKind.ADDRESS_REFUSED,
        last_error="SMTPRecipientsRefused: {'alice@example.org': (550, b'5.1.1 No such user')}",
        message_id="<fast@example.org>",
        **extra,
    )


def test_secretariat_sees_why_a_notice_failed_and_resends_the_same_message(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    mail = failed_mail()
    client.force_login(make_secretariat_user())

    page = client.get(PAGE).content.decode()

    assert "Återställ ditt lösenord i Samverkan" in page
    assert "alice@example.org" in page
    assert "Mottagarens e-postserver avvisade adressen" in page
    assert "<details><summary>Teknisk detalj</summary><code>SMTPRecipientsRefused" in page
    assert "reset_url" not in page and "/konto/aterstall/a/b/" not in page  # no reset link

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outgoing_mail_resend", args=[mail.pk]), follow=True)

    assert "E-postmeddelandet läggs i kö igen." in response.content.decode()
    mail.refresh_from_db()
    assert mail.status == DeliveryStatus.SENT
    [message] = mailoutbox
    assert message.message()["Message-ID"] == "<fast@example.org>"


def test_a_mail_that_did_not_fail_is_not_resent(client, mailoutbox):
    mail = failed_mail()
    OutgoingMail.objects.filter(pk=mail.pk).update(status=DeliveryStatus.SENT)
    client.force_login(make_secretariat_user())

    response = client.post(reverse("outgoing_mail_resend", args=[mail.pk]), follow=True)

    assert "det skickas inte igen" in response.content.decode()
    assert mailoutbox == []


def test_members_may_not_see_or_resend_outgoing_mail(client):
    mail = failed_mail()
    client.force_login(make_user_with_role(Membership.Role.MEMBER))

    assert client.get(PAGE).status_code == 403
    assert client.post(reverse("outgoing_mail_resend", args=[mail.pk])).status_code == 403
    mail.refresh_from_db()
    assert mail.status == DeliveryStatus.FAILED


def test_the_page_takes_the_same_queries_for_many_failed_mails(
    client, django_assert_max_num_queries
):
    client.force_login(make_secretariat_user())
    failed_mail()
    with django_assert_max_num_queries(20) as few:
        client.get(PAGE)
    for _ in range(30):
        failed_mail()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(PAGE).status_code == 200
