"""Invitations delivered in batches: one task claims several queued rows, builds what
their messages share once, and sends and records each message on its own — the same messages,
each exactly once (R7)."""

import email
import email.policy
import re

import pytest
from django.core import mail
from django.core.signing import TimestampSigner

from councils.models import Membership
from meetings.models import Invitation, Mailing
from meetings.models.invitations import DeliveryStatus
from meetings.services.invitations import delivery, sending
from meetings.services.invitations.mail import MailingParts, build_invitation_message
from tests.factories import make_membership, make_organisation, make_person
from tests.meetings.factories import make_item
from tests.meetings.invitation_support import make_invitation_setup
from tests.meetings.test_proposal_services import without_search_index

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf")]


def _comparable(message):
    """Subject, recipients, text, HTML and calendar of a message; the calendar's DTSTAMP (the
    moment it was made) left out."""
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    parts = {"subject": parsed["Subject"], "to": parsed["To"]}
    for part in parsed.walk():
        if part.get_content_maintype() == "multipart":
            continue
        content = part.get_content()
        if isinstance(content, bytes):
            content = content.decode("utf-8", "replace")
        if part.get_content_type() in ("text/calendar", "application/ics"):
            content = re.sub(r"DTSTAMP:\S+", "", content.replace("\r\n ", ""))
        parts.setdefault(part.get_content_type(), []).append(content)
    return parts


def test_a_batch_builds_the_same_message_as_one_alone_for_every_kind_of_recipient(
    monkeypatch,
):
    """The shared bodies carry stand-ins for the name and the reply links: whatever a name
    holds, each person's message is the one rendered for that person alone."""
    monkeypatch.setattr(TimestampSigner, "timestamp", lambda self: "1")  # the same reply links
    setup = make_invitation_setup(members=4)
    odd = make_person(
        given_name='Åsa "Ö" <b>&',
        family_name="O'Brien",
        email="asa@example.org",
        organisation=make_organisation(),
    )
    make_membership(person=odd, council=setup.council, role=Membership.Role.SUBSTITUTE)
    make_item(setup.meeting, title="Punkt två", presenter=setup.members[0])
    make_item(
        setup.meeting, title="Extern punkt", presenter_name="Extern", presenter_email="x@y.se"
    )
    for task in ("deliver_invitation", "deliver_invitations"):
        monkeypatch.setattr(
            f"meetings.services.invitations.outbox.{task}.apply_async", lambda *a, **k: None
        )
    mailing = sending.send_invitations(meeting=setup.meeting, user=setup.chair_user)
    invitations = list(
        Invitation.objects.select_related("meeting__council", "mailing__inviting_chair__user")
    )
    assert len(invitations) == 8  # chair, four members, substitute, two presenters
    parts = MailingParts()
    for invitation in invitations:
        alone = build_invitation_message(invitation, mailing)
        batched = build_invitation_message(invitation, mailing, parts)
        assert _comparable(batched) == _comparable(alone), invitation.name
    # Rendered and serialized once per shape of message, not per person: three members who
    # present nothing share theirs; every message was made from its shape's bytes.
    assert len(parts._bodies) == len(invitations) - 2
    assert all(template is not None for template in parts._templates.values())
    assert all(
        build_invitation_message(invitation, mailing, parts).prepared for invitation in invitations
    )
    assert (
        'Åsa "Ö" <b>&'
        not in _comparable(
            build_invitation_message(
                next(i for i in invitations if i.person_id == odd.pk), mailing, parts
            )
        )["text/html"][0]
    )


def test_a_batch_sends_each_once_and_a_second_run_sends_nothing(
    settings, django_capture_on_commit_callbacks
):
    settings.INVITATION_BATCH_SIZE = 3
    setup = make_invitation_setup(members=5)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sending.send_invitations(meeting=setup.meeting, user=setup.chair_user)
    # The agenda PDF's render task, and one publication of three batch tasks (7 rows: 3 + 3 + 1).
    assert len(without_search_index(callbacks)) == 2
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert len(recipients) == 7 and len(set(recipients)) == 7
    rows = Invitation.objects.all()
    assert {row.status for row in rows} == {DeliveryStatus.SENT}
    assert {row.sent_sequence for row in rows} == {setup.meeting.calendar_sequence}
    assert len({row.message_id for row in rows}) == 7

    outcomes = delivery.deliver_batch(rows.values_list("pk", "mailing_id"))
    assert {outcome.status for outcome in outcomes.values()} == {"skipped"}
    assert len(mail.outbox) == 7


def test_a_row_that_is_not_simply_queued_takes_the_one_row_path(
    monkeypatch, django_capture_on_commit_callbacks
):
    """A row left "sending" by a worker that died is sent once more, marked as such; the others
    of the batch are claimed together."""
    setup = make_invitation_setup(members=2)
    for task in ("deliver_invitation", "deliver_invitations"):
        monkeypatch.setattr(
            f"meetings.services.invitations.outbox.{task}.apply_async", lambda *a, **k: None
        )
    sending.send_invitations(meeting=setup.meeting, user=setup.chair_user)
    rows = list(Invitation.objects.order_by("pk"))
    left = rows[0]
    Invitation.objects.filter(pk=left.pk).update(
        status=DeliveryStatus.SENDING, message_id="<left@example.org>"
    )

    outcomes = delivery.deliver_batch([(row.pk, row.mailing_id) for row in rows])

    assert {outcome.status for outcome in outcomes.values()} == {"sent"}
    assert len(mail.outbox) == len(rows)
    left.refresh_from_db()
    assert left.status == DeliveryStatus.SENT and left.resent_uncertain
    assert left.message_id == "<left@example.org>"  # the same message, if it did arrive
    assert not Invitation.objects.exclude(pk=left.pk).filter(resent_uncertain=True).exists()


def test_a_cancelled_meetings_queued_invitations_are_withdrawn_not_sent(monkeypatch):
    setup = make_invitation_setup(members=2)
    for task in ("deliver_invitation", "deliver_invitations"):
        monkeypatch.setattr(
            f"meetings.services.invitations.outbox.{task}.apply_async", lambda *a, **k: None
        )
    sending.send_invitations(meeting=setup.meeting, user=setup.chair_user)
    setup.meeting.cancel()
    rows = list(Invitation.objects.all())
    delivery.deliver_batch([(row.pk, row.mailing_id) for row in rows])
    assert mail.outbox == []
    assert {row.status for row in Invitation.objects.all()} == {DeliveryStatus.WITHDRAWN}
    assert Mailing.objects.count() == 1


def test_batched_messages_print_with_the_console_backend(settings, capsys, monkeypatch):
    """Without EMAIL_HOST mail is printed (a first local run): a message made from its shape's
    bytes prints like any other."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    monkeypatch.setattr("rus.outbox.smtp._settings_key", lambda: ("console",))
    setup = make_invitation_setup(members=2)
    for task in ("deliver_invitation", "deliver_invitations"):
        monkeypatch.setattr(
            f"meetings.services.invitations.outbox.{task}.apply_async", lambda *a, **k: None
        )
    sending.send_invitations(meeting=setup.meeting, user=setup.chair_user)
    rows = list(Invitation.objects.all())
    outcomes = delivery.deliver_batch([(row.pk, row.mailing_id) for row in rows])
    assert {outcome.status for outcome in outcomes.values()} == {"sent"}
    printed = capsys.readouterr().out
    assert printed.count("Subject: ") == len(rows)
    assert "Hej Ledamot0 Efternamn0!" in printed
