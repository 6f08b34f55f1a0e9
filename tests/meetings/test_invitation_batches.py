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


def _queued_mailing(monkeypatch, members):
    for task in ("deliver_invitation", "deliver_invitations"):
        monkeypatch.setattr(
            f"meetings.services.invitations.outbox.{task}.apply_async", lambda *a, **k: None
        )
    setup = make_invitation_setup(members=members)
    sending.send_invitations(meeting=setup.meeting, user=setup.chair_user)
    return setup, [(row.pk, row.mailing_id) for row in Invitation.objects.order_by("pk")]


def test_a_mailings_later_batches_reuse_its_parts_until_the_agenda_changes(monkeypatch):
    """What the messages share is rendered once per mailing in a worker process, not once per
    batch; an edit of the agenda between two batches is in the next batch's messages."""
    from meetings.services.invitations import mail as invitation_mail

    rendered = []
    render_parts = invitation_mail.render_parts
    monkeypatch.setattr(
        invitation_mail,
        "render_parts",
        lambda **kwargs: rendered.append(kwargs["template"]) or render_parts(**kwargs),
    )
    setup, deliveries = _queued_mailing(monkeypatch, members=6)
    item = make_item(setup.meeting, title="Läget i länet")
    setup.meeting.refresh_from_db()

    delivery.deliver_batch(deliveries[:3])  # the chair and two members: two shapes
    assert len(rendered) == 2
    delivery.deliver_batch(deliveries[3:5])  # two more members: nothing new to render
    assert len(rendered) == 2

    item.title = "Läget i Västernorrland"
    item.save()  # raises the item's version
    delivery.deliver_batch(deliveries[5:])
    assert len(rendered) > 2  # rendered anew
    assert "Läget i Västernorrland" in mail.outbox[-1].body
    assert "Läget i Västernorrland" not in mail.outbox[0].body
    assert len(mail.outbox) == len(deliveries) == len({m.to[0] for m in mail.outbox})


def test_a_batch_costs_a_fixed_number_of_queries_and_one_update_per_message(monkeypatch):
    """Claimed together (select, sender locks, "sending" in one UPDATE, committed), then each
    message's "sent" committed on its own before the next one goes out: the exactly-once rule
    (docs/architecture.md, "Outgoing mail") leaves at most one message per process sent but
    not recorded."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _setup, deliveries = _queued_mailing(monkeypatch, members=8)
    delivery.deliver_batch(deliveries[:1])  # the chair's shape, and the parts, made
    counts = []
    for batch in (deliveries[1:3], deliveries[3:7]):
        with CaptureQueriesContext(connection) as queries:
            outcomes = delivery.deliver_batch(batch)
        assert {outcome.status for outcome in outcomes.values()} == {"sent"}
        sent_updates = [q for q in queries if "'sent'" in q["sql"] or '"status" = %s' in q["sql"]]
        counts.append((len(queries), len(sent_updates)))
    # Begin, select for update, sender locks, "sending", commit; the schedule (is the mailing's
    # shared part still good?); one "sent" per message; the sender locks released.
    assert counts == [(7 + 2, 2), (7 + 4, 4)]


def test_a_worker_process_sends_a_whole_mailing_over_one_smtp_connection(monkeypatch, smtp_server):
    from rus.outbox import smtp

    smtp.close()
    _setup, deliveries = _queued_mailing(monkeypatch, members=5)
    try:
        delivery.deliver_batch(deliveries[:3])
        delivery.deliver_batch(deliveries[3:])
    finally:
        smtp.close()
    assert len(smtp_server.wait_for(len(deliveries))) == len(deliveries)
    assert smtp_server.connections == 1
    assert {row.status for row in Invitation.objects.all()} == {DeliveryStatus.SENT}


@pytest.mark.parametrize(
    "name, address",
    [
        ("Person Bench", "person12@bench.example.org"),
        ("Anna-Lena Öberg", "al@example.org"),  # encoded: the email package's way
        ("A. B. Cdef", "x.y+z@example.org"),  # quoted
        ("Ab " + "c" * 60, "long@example.org"),  # folded
        ("Ab  Cd ", "a@example.org"),
    ],
)
def test_the_to_header_is_the_one_django_writes(name, address):
    from email.utils import formataddr

    from django.core.mail.message import SafeMIMEText

    from meetings.services.invitations.mail import _header_block, _to_header

    value = formataddr((name, address))
    part = SafeMIMEText("", "plain", "utf-8")
    part["To"] = value
    data = part.as_bytes(linesep="\r\n")
    start, end = _header_block(data, b"To")
    assert _to_header(value) == data[start:end]
