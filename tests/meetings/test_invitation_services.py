"""Invitation workflows in eager mode: recipients, sending exactly once, updates, cancellation,
reminders, the sweep and replies (R5, R7)."""

import datetime

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from councils.models import Membership
from meetings import access, tokens
from meetings.models import Invitation, InvitationMessage, Mailing, Meeting
from meetings.models.invitations import DeliveryStatus
from meetings.selectors import invitations as selectors
from meetings.services import invitations
from meetings.services.invitations import delivery, links, outbox, reminders, replies, sending
from meetings.services.invitations import mail as invitation_mail
from meetings.tasks import deliver_invitation, deliver_invitations
from tests.factories import (
    make_chair_user,
    make_member_user,
    make_membership,
    make_person,
    make_secretariat_user,
    make_user,
)
from tests.meetings.factories import make_item
from tests.meetings.invitation_support import (
    FAKE_PDF,
    calendar_parts,
    make_invitation_setup,
    parse,
    pdf_parts,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf")]


def send(setup, django_capture_on_commit_callbacks, user=None, note=""):
    with django_capture_on_commit_callbacks(execute=True):
        return sending.send_invitations(
            meeting=setup.meeting, user=user or setup.chair_user, personal_note=note
        )


def parsed_outbox():
    return [parse(message.message().as_bytes()) for message in mail.outbox]


# --- Recipients ----------------------------------------------------------------------------------


def test_recipients_are_every_current_membership_and_presenters_once(setup):
    council = setup.council
    adjunct = make_person(given_name="Lena", email="lansrad@example.org")
    make_membership(person=adjunct, council=council, role=Membership.Role.ADJUNCT)
    speaker = make_person(given_name="Rolf", email="regiondirektor@example.org")
    make_membership(person=speaker, council=council, role=Membership.Role.SPEAKING_RIGHT)
    substitute = make_person(given_name="Sara", email="ersattare@example.org")
    make_membership(
        person=substitute,
        council=council,
        role=Membership.Role.SUBSTITUTE,
        substitute_for=setup.members[0].memberships.get(),
    )
    former = make_person(given_name="Förre", email="forre@example.org")
    make_membership(
        person=former,
        council=council,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )
    # A member who also presents an item is invited once, as a member, with the item.
    make_item(setup.meeting, title="Medlemmens punkt", presenter=setup.members[1])

    result = selectors.recipients(setup.meeting)

    by_email = {r.email: r for r in result}
    assert "forre@example.org" not in by_email
    assert by_email["lansrad@example.org"].capacity == Invitation.Capacity.ADJUNCT
    assert by_email["regiondirektor@example.org"].capacity == Invitation.Capacity.SPEAKING_RIGHT
    assert by_email["ersattare@example.org"].capacity == Invitation.Capacity.SUBSTITUTE
    assert by_email["ordforande@example.org"].capacity == Invitation.Capacity.CHAIR
    member = by_email["ledamot1@example.org"]
    assert member.capacity == Invitation.Capacity.MEMBER
    assert [entry.title for entry in member.items] == ["Medlemmens punkt"]
    presenter = by_email["petra@example.org"]
    assert presenter.capacity == Invitation.Capacity.PRESENTER
    assert [entry.title for entry in presenter.items] == ["Regional kompetensförsörjning"]
    assert len(result) == len(by_email) == 1 + 3 + 1 + 1 + 1 + 1


def test_people_without_email_are_reported_not_invited(setup):
    nomail = make_person(given_name="Utan", email="")
    make_membership(person=nomail, council=setup.council)
    make_item(setup.meeting, title="Extern punkt", presenter_name="Extern Talare")

    result = selectors.recipients(setup.meeting)

    assert {r.name for r in result.without_email} == {nomail.full_name, "Extern Talare"}
    assert all(r.email for r in result)


def test_people_without_a_register_address_are_invited_at_their_accounts(setup):
    """One contact rule for every mail (Person.contact_email): the register's address, else
    the account's."""
    account = make_user("kontoperson")
    person = make_person(given_name="Konto", email="", user=account)
    make_membership(person=person, council=setup.council)

    result = selectors.recipients(setup.meeting)

    assert person.contact_email == account.email
    assert account.email in {r.email for r in result}
    assert person.full_name not in {r.name for r in result.without_email}


def test_external_presenter_with_address_is_invited_with_estimated_start(setup):
    item = make_item(
        setup.meeting,
        title="Extern punkt",
        presenter_name="Extern Talare",
        presenter_email="talare@example.com",
        estimated_minutes=20,
    )
    result = selectors.recipients(setup.meeting)
    external = next(r for r in result if r.email == "talare@example.com")
    assert external.person is None
    (entry,) = external.items
    assert entry.item == item
    assert entry.starts_at > setup.meeting.starts_at


# --- Sending -------------------------------------------------------------------------------


def test_chair_sends_one_invitation_per_person_with_ics_and_pdf(
    setup, django_capture_on_commit_callbacks
):
    mailing = send(setup, django_capture_on_commit_callbacks, note="Välkomna till Härnösand!")

    meeting = Meeting.objects.get(pk=setup.meeting.pk)
    assert meeting.status == Meeting.Status.INVITATIONS_SENT
    invitations = list(meeting.invitations.all())
    assert len(invitations) == 5  # chair, 3 members, presenter
    assert {i.status for i in invitations} == {DeliveryStatus.SENT}
    assert all(i.sent_sequence == meeting.calendar_sequence for i in invitations)
    assert len(mail.outbox) == 5
    message = parsed_outbox()[0]
    date = timezone.localtime(meeting.starts_at)
    assert message["Subject"].strip().startswith(f"Kallelse: Regionala samverkansrådet {date.day} ")
    text = message.get_body(("plain",)).get_content()
    assert "Välkomna till Härnösand!" in text
    assert invitation_mail.COST_RULE.split(".")[0] in text  # R5
    assert "/svar/" in text
    assert "Regional kompetensförsörjning" in text
    assert pdf_parts(message) == [FAKE_PDF]
    ((part, calendar),) = calendar_parts(message)
    assert part.get_param("method") == "REQUEST"
    assert part in message.get_payload(0).get_payload()  # beside the text and HTML bodies
    (ics_file,) = [p for p in message.iter_attachments() if p.get_filename() == "kallelse.ics"]
    assert ics_file.get_content() == calendar.to_ical()
    assert calendar["METHOD"] == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == meeting.calendar_uid
    assert mailing.inviting_chair == setup.chair


def test_sending_twice_is_refused_and_sends_nothing_more(setup, django_capture_on_commit_callbacks):
    send(setup, django_capture_on_commit_callbacks)
    with pytest.raises(invitations.InvitationError):
        send(setup, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 5
    assert Invitation.objects.count() == 5


def test_cannot_send_before_the_agenda_is_approved(setup, django_capture_on_commit_callbacks):
    Meeting.objects.filter(pk=setup.meeting.pk).update(status=Meeting.Status.AGENDA_IN_PREPARATION)
    setup.meeting.refresh_from_db()
    with pytest.raises(invitations.InvitationError):
        send(setup, django_capture_on_commit_callbacks)
    assert not Invitation.objects.exists()


def test_member_and_chair_of_another_council_may_not_send(setup):
    member = make_member_user(setup.council)
    other_chair = make_chair_user()
    for user in (member, other_chair):
        with pytest.raises(PermissionDenied):
            sending.send_invitations(meeting=setup.meeting, user=user)
    assert not Invitation.objects.exists()


def test_secretariat_sends_in_the_chairs_name(setup, django_capture_on_commit_callbacks):
    kansli = make_secretariat_user(council=setup.council)
    mailing = send(setup, django_capture_on_commit_callbacks, user=kansli)
    assert mailing.inviting_chair == setup.chair
    text = parsed_outbox()[0].get_body(("plain",)).get_content()
    assert "Ingrid Ordförande, ordförande i Regionala samverkansrådet, kallar" in text
    assert "på uppdrag av ordföranden" in text


def test_secretariat_may_not_send_when_the_council_does_not_allow_it():
    setup = make_invitation_setup(secretariat_may_invite=False)
    kansli = make_secretariat_user(council=setup.council)
    with pytest.raises(PermissionDenied):
        sending.send_invitations(meeting=setup.meeting, user=kansli)


def test_the_database_allows_one_invitation_per_meeting_and_person(
    setup, django_capture_on_commit_callbacks
):
    send(setup, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.filter(person__isnull=False).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(
            meeting=invitation.meeting,
            mailing=invitation.mailing,
            person=invitation.person,
            name="Dubblett",
            email="annan@example.org",
            capacity=Invitation.Capacity.MEMBER,
        )


def test_task_run_twice_sends_once(setup, django_capture_on_commit_callbacks):
    send(setup, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.first()
    mail.outbox.clear()
    assert deliver_invitation.apply(args=[invitation.pk, invitation.mailing_id]).get() == "skipped"
    assert deliver_invitation.apply(args=[invitation.pk, invitation.mailing_id]).get() == "skipped"
    assert mail.outbox == []


def test_smtp_failure_on_last_attempt_marks_failed_then_resend_delivers(
    setup, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_MAX_RETRIES = 1

    def refuse(self, messages):
        raise ConnectionRefusedError("SMTP-servern svarar inte")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with django_capture_on_commit_callbacks(execute=False):
        sending.send_invitations(meeting=setup.meeting, user=setup.chair_user)
    invitation = Invitation.objects.first()
    outcome = delivery.deliver(invitation_id=invitation.pk, mailing_id=invitation.mailing_id)
    assert outcome.should_retry
    invitation.refresh_from_db()
    assert (invitation.status, invitation.attempts) == (DeliveryStatus.QUEUED, 1)
    outcome = delivery.deliver(invitation_id=invitation.pk, mailing_id=invitation.mailing_id)
    invitation.refresh_from_db()
    assert outcome.status == "failed"
    assert invitation.status == DeliveryStatus.FAILED
    assert invitation.get_status_display() == "Misslyckades"
    assert "svarar inte" in invitation.last_error

    monkeypatch.undo()
    monkeypatch.setattr("meetings.pdf.render_agenda_pdf", lambda meeting: FAKE_PDF)
    with django_capture_on_commit_callbacks(execute=True):
        count = sending.resend_failed(
            meeting=setup.meeting, user=setup.chair_user, invitation=invitation
        )
    assert count == 1
    invitation.refresh_from_db()
    assert invitation.status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


def test_broker_down_at_send_time_keeps_rows_queued_for_the_sweep(
    setup, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("Redis är nere")

    monkeypatch.setattr(deliver_invitation, "apply_async", broker_down)
    monkeypatch.setattr(deliver_invitations, "apply_async", broker_down)
    send(setup, django_capture_on_commit_callbacks)  # the action still succeeds
    assert Invitation.objects.filter(status=DeliveryStatus.QUEUED, enqueued_at=None).count() == 5
    assert mail.outbox == []
    monkeypatch.undo()
    monkeypatch.setattr("meetings.pdf.render_agenda_pdf", lambda meeting: FAKE_PDF)

    # Younger than MAIL_SWEEP_AFTER_SECONDS: the sweep leaves them.
    assert outbox.sweep_queued() == 0
    later = timezone.now() + datetime.timedelta(minutes=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.sweep_queued(now=later) == 5
    assert len(mail.outbox) == 5
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.sweep_queued(now=later) == 0
    assert len(mail.outbox) == 5


# --- Updates and cancellation -------------------------------------------------------------


def test_update_after_a_change_of_time_keeps_uid_and_raises_sequence(
    setup, django_capture_on_commit_callbacks
):
    send(setup, django_capture_on_commit_callbacks)
    meeting = Meeting.objects.get(pk=setup.meeting.pk)
    first_sequence = meeting.calendar_sequence
    assert selectors.pending_changes(meeting) == []
    meeting.starts_at += datetime.timedelta(hours=1)
    meeting.ends_at += datetime.timedelta(hours=1)
    meeting.place = "Sundsvall, Regionens hus"
    meeting.save()
    changes = selectors.pending_changes(meeting)
    assert any(line.startswith("Ny tid:") for line in changes)
    assert any(line.startswith("Ny plats: Sundsvall") for line in changes)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        mailing = sending.send_update(meeting=meeting, user=setup.chair_user)

    meeting.refresh_from_db()
    assert mailing.sequence == meeting.calendar_sequence > first_sequence
    assert len(mail.outbox) == 5
    message = parsed_outbox()[0]
    assert message["Subject"].strip().startswith("Uppdaterad kallelse:")
    text = message.get_body(("plain",)).get_content()
    assert text.index("DETTA HAR ÄNDRATS") < text.index("DAGORDNING")
    ((_, calendar),) = calendar_parts(message)
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == meeting.calendar_uid
    assert int(event["SEQUENCE"]) == meeting.calendar_sequence
    assert selectors.pending_changes(meeting) == []
    assert set(Invitation.objects.values_list("sent_sequence", flat=True)) == {
        meeting.calendar_sequence
    }


def test_update_invites_a_new_presenter_in_full_and_reports_agenda_changes(
    setup, django_capture_on_commit_callbacks
):
    send(setup, django_capture_on_commit_callbacks)
    meeting = Meeting.objects.get(pk=setup.meeting.pk)
    newcomer = make_person(given_name="Nina", email="nina@example.org")
    make_item(meeting, title="Ny punkt om påverkansagendan", presenter=newcomer)
    changes = selectors.pending_changes(meeting)
    assert any("Ny punkt på dagordningen" in line for line in changes)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sending.send_update(meeting=meeting, user=setup.chair_user)
    subjects = {m.to[0].split("<")[-1].rstrip(">"): m.subject for m in mail.outbox}
    assert len(mail.outbox) == 6
    assert subjects["nina@example.org"].startswith("Kallelse:")
    assert subjects["ledamot0@example.org"].startswith("Uppdaterad kallelse:")


def test_update_without_changes_is_refused(setup, django_capture_on_commit_callbacks):
    send(setup, django_capture_on_commit_callbacks)
    with pytest.raises(invitations.InvitationError):
        sending.send_update(meeting=setup.meeting, user=setup.chair_user)


def test_cancel_sends_method_cancel_to_everyone_invited(setup, django_capture_on_commit_callbacks):
    send(setup, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sending.cancel_meeting(meeting=setup.meeting, user=setup.chair_user)
    meeting = Meeting.objects.get(pk=setup.meeting.pk)
    assert meeting.status == Meeting.Status.CANCELLED
    assert len(mail.outbox) == 5
    message = parsed_outbox()[0]
    assert message["Subject"].strip().startswith("Inställt:")
    assert pdf_parts(message) == []
    ((part, calendar),) = calendar_parts(message)
    assert part.get_param("method") == "CANCEL"
    assert calendar["METHOD"] == "CANCEL"
    (event,) = calendar.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == meeting.calendar_sequence
    with pytest.raises(invitations.InvitationError):
        sending.cancel_meeting(meeting=meeting, user=setup.chair_user)


def test_cancelling_before_delivery_withdraws_queued_invitations(
    setup, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        sending.send_invitations(meeting=setup.meeting, user=setup.chair_user)
    sending.cancel_meeting(meeting=setup.meeting, user=setup.chair_user)
    assert set(Invitation.objects.values_list("status", flat=True)) == {DeliveryStatus.WITHDRAWN}
    invitation = Invitation.objects.first()
    assert deliver_invitation.apply(args=[invitation.pk, invitation.mailing_id]).get() == "skipped"
    assert mail.outbox == []


def test_cancellation_is_sent_for_a_meeting_cancelled_on_the_meeting_form(
    setup, django_capture_on_commit_callbacks
):
    send(setup, django_capture_on_commit_callbacks)
    meeting = Meeting.objects.get(pk=setup.meeting.pk)
    meeting.cancel()  # the meeting page's status action, which sends nothing
    assert selectors.cancellation_pending(meeting)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sending.cancel_meeting(meeting=meeting, user=setup.chair_user)
    assert len(mail.outbox) == 5
    assert not selectors.cancellation_pending(meeting)


# --- Reminders -------------------------------------------------------------------------------


def test_reminders_go_once_to_those_who_have_not_answered(
    setup, settings, django_capture_on_commit_callbacks
):
    settings.INVITATION_REMINDER_DAYS = [7, 1]
    send(setup, django_capture_on_commit_callbacks)
    meeting = setup.meeting
    answered = Invitation.objects.get(email="ledamot0@example.org")
    replies.record_reply(
        invitation=answered, reply=Invitation.Reply.ATTENDING, channel=Invitation.Channel.APP
    )
    mail.outbox.clear()

    eight_days_before = meeting.starts_at - datetime.timedelta(days=8)
    assert reminders.queue_reminders(now=eight_days_before) == 0

    six_days_before = meeting.starts_at - datetime.timedelta(days=6)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.queue_reminders(now=six_days_before) == 4
    assert len(mail.outbox) == 4
    assert all(m.subject.startswith("Påminnelse om kallelse:") for m in mail.outbox)
    assert not any("ledamot0@example.org" in m.to[0] for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.queue_reminders(now=six_days_before) == 0  # once per person
    assert len(mail.outbox) == 4

    twelve_hours_before = meeting.starts_at - datetime.timedelta(hours=12)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.queue_reminders(now=twelve_hours_before) == 4
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.queue_reminders(now=twelve_hours_before) == 0
    assert len(mail.outbox) == 8
    assert Mailing.objects.filter(kind=Mailing.Kind.REMINDER).count() == 2


def test_no_seven_day_reminder_for_invitations_sent_within_the_last_week(
    settings, django_capture_on_commit_callbacks
):
    settings.INVITATION_REMINDER_DAYS = [7, 1]
    setup = make_invitation_setup(days_ahead=3)
    send(setup, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    assert reminders.queue_reminders() == 0
    assert InvitationMessage.objects.count() == 0


# --- Replies -----------------------------------------------------------------------------------


@pytest.fixture
def invitation(setup, django_capture_on_commit_callbacks):
    send(setup, django_capture_on_commit_callbacks)
    return Invitation.objects.get(email="ledamot0@example.org")


def test_reply_token_is_bound_to_its_invitation(invitation):
    token = tokens.make_reply_token(invitation)
    assert access.get_invitation_for_token(token) == invitation


def test_forged_or_altered_tokens_are_refused(invitation):
    other = Invitation.objects.exclude(pk=invitation.pk).first()
    forged = signing.dumps(
        {"i": other.pk, "m": other.meeting_id, "p": other.person_id}, salt="wrong-salt"
    )
    token = tokens.make_reply_token(invitation)
    for bad in (forged, token[:-2] + "xx", "inte-en-token"):
        with pytest.raises(tokens.InvalidReplyToken):
            access.get_invitation_for_token(bad)
    # A valid signature for a payload that does not match the row (another person).
    mismatched = signing.dumps(
        {"i": invitation.pk, "m": invitation.meeting_id, "p": other.person_id},
        salt=tokens.REPLY_TOKEN_SALT,
        compress=True,
    )
    with pytest.raises(tokens.InvalidReplyToken):
        access.get_invitation_for_token(mismatched)


def test_token_expires_when_the_meeting_ends(invitation):
    token = tokens.make_reply_token(invitation)
    after = invitation.meeting.ends_at + datetime.timedelta(minutes=1)
    with pytest.raises(tokens.InvalidReplyToken):
        access.get_invitation_for_token(token, now=after)


def test_substitute_reply_names_one_of_the_members_substitutes(invitation):
    substitute_person = make_person(given_name="Ersätt", email="ers@example.org")
    substitute = make_membership(
        person=substitute_person,
        council=invitation.meeting.council,
        role=Membership.Role.SUBSTITUTE,
        substitute_for=invitation.membership,
    )
    stranger = make_membership(council=invitation.meeting.council, role=Membership.Role.SUBSTITUTE)
    with pytest.raises(invitations.InvitationError):
        replies.record_reply(
            invitation=invitation,
            reply=Invitation.Reply.SUBSTITUTE,
            substitute_membership=stranger,
            channel=Invitation.Channel.LINK,
        )
    replies.record_reply(
        invitation=invitation,
        reply=Invitation.Reply.SUBSTITUTE,
        substitute_membership=substitute,
        channel=Invitation.Channel.LINK,
    )
    invitation.refresh_from_db()
    assert invitation.substitute_display == substitute_person.full_name
    assert invitation.replied_at is not None


def test_phone_reply_is_recorded_with_who_recorded_it(setup, invitation):
    kansli = make_secretariat_user(council=setup.council)
    replies.record_reply(
        invitation=invitation,
        reply=Invitation.Reply.NOT_ATTENDING,
        channel=Invitation.Channel.PHONE,
        user=kansli,
    )
    invitation.refresh_from_db()
    assert invitation.reply_recorded_by == kansli
    assert invitation.reply_channel == Invitation.Channel.PHONE
    assert selectors.progress(setup.meeting).not_attending == 1


def test_reinstated_meeting_is_invited_to_again_with_the_same_rows(
    setup, django_capture_on_commit_callbacks
):
    send(setup, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(email="ledamot0@example.org")
    replies.record_reply(
        invitation=invitation, reply=Invitation.Reply.ATTENDING, channel=Invitation.Channel.APP
    )
    with django_capture_on_commit_callbacks(execute=True):
        sending.cancel_meeting(meeting=setup.meeting, user=setup.chair_user)
    meeting = Meeting.objects.get(pk=setup.meeting.pk)
    meeting.reinstate()
    meeting.start_agenda_preparation()
    meeting.approve_agenda(setup.chair_user)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        sending.send_invitations(meeting=meeting, user=setup.chair_user)

    assert len(mail.outbox) == 5
    assert Invitation.objects.count() == 5
    invitation.refresh_from_db()
    assert invitation.reply == ""  # a new invitation asks anew
    assert invitation.status == DeliveryStatus.SENT
    ((_, calendar),) = calendar_parts(parsed_outbox()[0])
    (event,) = calendar.walk("VEVENT")
    meeting.refresh_from_db()
    assert int(event["SEQUENCE"]) == meeting.calendar_sequence
    assert not selectors.cancellation_pending(meeting)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sending.cancel_meeting(meeting=meeting, user=setup.chair_user)
    assert len(mail.outbox) == 5


def test_reply_token_for_an_outside_presenter_does_not_reveal_the_address(
    setup, django_capture_on_commit_callbacks
):
    make_item(
        setup.meeting,
        title="Extern punkt",
        presenter_name="Extern Talare",
        presenter_email="talare@example.com",
    )
    send(setup, django_capture_on_commit_callbacks)
    external = Invitation.objects.get(email="talare@example.com")
    token = tokens.make_reply_token(external)
    assert "talare" not in str(signing.loads(token, salt=tokens.REPLY_TOKEN_SALT))
    assert access.get_invitation_for_token(token) == external


def test_withdrawn_invitations_do_not_count_as_unanswered(
    setup, django_capture_on_commit_callbacks
):
    """'Har inte svarat' counts the same people as its filter: not those whose invitation was
    withdrawn (never delivered before the meeting was cancelled)."""
    send(setup, django_capture_on_commit_callbacks)
    Invitation.objects.filter(email="ledamot0@example.org").update(status=DeliveryStatus.WITHDRAWN)
    progress = selectors.progress(setup.meeting)
    assert progress.withdrawn == 1
    assert progress.unanswered == progress.total - 1
    assert (
        progress.unanswered
        == setup.meeting.invitations.filter(reply="")
        .exclude(status=DeliveryStatus.WITHDRAWN)
        .count()
    )


def test_outside_presenter_is_not_sent_to_pages_that_need_a_login(
    setup, django_capture_on_commit_callbacks
):
    """An outside presenter (not in the register) can never sign in: their mail has the agenda
    as PDF and the reply links, but no link to the meeting page and no "answer when signed in"."""
    make_item(
        setup.meeting,
        title="Extern punkt",
        presenter_name="Extern Talare",
        presenter_email="talare@example.com",
    )
    send(setup, django_capture_on_commit_callbacks)
    by_address = {message.to[0]: message for message in mail.outbox}
    agenda_url = links.meeting_url(setup.meeting)
    external = by_address["Extern Talare <talare@example.com>"]
    member = next(m for address, m in by_address.items() if "ledamot0@" in address)
    for message in (external, member):
        html = message.alternatives[0][0]
        assert "/svar/" in message.body and "/svar/" in html
    assert agenda_url not in external.body and agenda_url not in external.alternatives[0][0]
    assert "inloggad" not in external.body and "inloggad" not in external.alternatives[0][0]
    assert agenda_url in member.body and agenda_url in member.alternatives[0][0]
    assert "inloggad i Samverkan" in member.body
