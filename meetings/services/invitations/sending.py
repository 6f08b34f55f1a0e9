"""Sending the invitation, an update or a cancellation, and resending failed deliveries (R7).

The chair invites; the secretariat may in the chair's name where the council allows it
(`meetings.access`). Each person is invited once per meeting: one `Invitation` row, reused if
the meeting is cancelled and invited to again.
"""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from meetings import access, documents
from meetings.access import Action
from meetings.models import Invitation, InvitationMessage, Mailing, Meeting
from meetings.models.invitations import DeliveryStatus
from meetings.schedule import agenda_schedule, describe_changes, snapshot
from meetings.selectors.invitations import (
    cancellation_sent,
    inviting_chair,
    last_content_mailing,
    recipients,
)

from . import InvitationError, lock_meeting
from .outbox import publish_on_commit


def _kallelse_to_attach(meeting):
    """The agenda version's kallelse med handlingar where the council has it attached to the
    invitation mail (Council.attach_kallelse), asked for now if it was not. Each mail is built
    from this row: attached once it is rendered and within the size limit, else linked (a mail
    never waits for the render; the link leads to the file as soon as it is ready)."""
    if not meeting.council.attach_kallelse:
        return None
    return documents.request_kallelse(meeting)


def _new_invitation(*, meeting, mailing, recipient):
    return Invitation(
        meeting=meeting,
        mailing=mailing,
        person=recipient.person,
        membership=recipient.membership,
        name=recipient.name,
        email=recipient.email,
        capacity=recipient.capacity,
    )


def _create_invitation(*, meeting, mailing, recipient):
    invitation = _new_invitation(meeting=meeting, mailing=mailing, recipient=recipient)
    invitation.save()
    return invitation


@transaction.atomic
def send_invitations(*, meeting, user, personal_note=""):
    """The chair sends the invitations (R7): one row per person, delivered after commit."""
    access.check(user, Action.SEND_INVITATIONS, meeting)
    meeting = lock_meeting(meeting)
    if meeting.status == Meeting.Status.INVITATIONS_SENT:
        raise InvitationError(
            gettext("Kallelsen är redan skickad. Skicka en uppdatering i stället.")
        )
    if meeting.status != Meeting.Status.AGENDA_APPROVED:
        raise InvitationError(gettext("Kallelsen kan skickas först när dagordningen är godkänd."))
    schedule = agenda_schedule(meeting)
    recipient_list = recipients(meeting, schedule)
    if not recipient_list.recipients:
        raise InvitationError(gettext("Det finns ingen mottagare med e-postadress."))
    mailing = Mailing.objects.create(
        meeting=meeting,
        kind=Mailing.Kind.INVITATION,
        sequence=meeting.calendar_sequence,
        personal_note=personal_note.strip(),
        snapshot=snapshot(meeting, schedule),
        inviting_chair=inviting_chair(meeting, user),
        sent_by=user,
        kallelse=_kallelse_to_attach(meeting),
    )
    # A meeting cancelled and reinstated is invited to again: the rows are reused (one per
    # person, always) and start over.
    earlier = {}
    for invitation in meeting.invitations.select_for_update():
        if invitation.person_id:
            earlier[("person", invitation.person_id)] = invitation
        earlier[("email", invitation.email.lower())] = invitation
    invitations = []
    for recipient in recipient_list:
        existing = earlier.get(recipient.key) or earlier.get(("email", recipient.email.lower()))
        if existing is None:
            invitations.append(
                _new_invitation(meeting=meeting, mailing=mailing, recipient=recipient)
            )
        else:
            existing.restart(mailing=mailing, capacity=recipient.capacity)
            invitations.append(existing)
    # The new rows in one INSERT (500 of them took a third of a second one by one).
    Invitation.objects.bulk_create([i for i in invitations if i.pk is None])
    meeting.mark_invitations_sent()
    # The agenda PDF every invitation attaches: rendered once, by the first worker to get it.
    documents.request_agenda(meeting)
    publish_on_commit((i.pk, mailing.pk, Invitation, i.pk) for i in invitations)
    return mailing


@transaction.atomic
def send_update(*, meeting, user, personal_note=""):
    """After a change of time, place or agenda: same UID, higher SEQUENCE, changes on top.

    People invited since (a new presenter) get the full invitation instead.
    """
    access.check(user, Action.SEND_INVITATIONS, meeting)
    meeting = lock_meeting(meeting)
    last = last_content_mailing(meeting)
    if meeting.status != Meeting.Status.INVITATIONS_SENT or last is None:
        raise InvitationError(gettext("Det finns ingen skickad kallelse att uppdatera."))
    schedule = agenda_schedule(meeting)
    current = snapshot(meeting, schedule)
    with translation.override(settings.LANGUAGE_CODE):  # mailed and kept: the mail language
        changes = describe_changes(last.snapshot, current)
    if not changes:
        raise InvitationError(gettext("Inget har ändrats sedan kallelsen skickades."))
    sequence = max(meeting.calendar_sequence, last.sequence + 1)
    if sequence != meeting.calendar_sequence:
        Meeting.objects.filter(pk=meeting.pk).update(calendar_sequence=sequence)
        meeting.calendar_sequence = sequence
    mailing = Mailing.objects.create(
        meeting=meeting,
        kind=Mailing.Kind.UPDATE,
        sequence=sequence,
        personal_note=personal_note.strip(),
        changes="\n".join(changes),
        snapshot=current,
        inviting_chair=inviting_chair(meeting, user),
        sent_by=user,
        kallelse=_kallelse_to_attach(meeting),
    )
    deliveries = []
    invited = {}
    for invitation in meeting.invitations.exclude(status=DeliveryStatus.WITHDRAWN):
        if invitation.person_id:
            invited[("person", invitation.person_id)] = invitation
        invited[("email", invitation.email.lower())] = invitation
        # Those whose invitation has not gone out yet will get the current state with it.
        if invitation.status == DeliveryStatus.SENT:
            message = InvitationMessage.objects.create(invitation=invitation, mailing=mailing)
            deliveries.append((invitation.pk, mailing.pk, InvitationMessage, message.pk))
    for recipient in recipients(meeting, schedule):
        keys = [("email", recipient.email.lower())]
        if recipient.person:
            keys.append(("person", recipient.person.pk))
        if any(key in invited for key in keys):
            continue
        invitation = _create_invitation(meeting=meeting, mailing=mailing, recipient=recipient)
        deliveries.append((invitation.pk, mailing.pk, Invitation, invitation.pk))
    publish_on_commit(deliveries)
    return mailing


@transaction.atomic
def cancel_meeting(*, meeting, user, personal_note=""):
    """Cancel the meeting; everyone who received the invitation gets METHOD:CANCEL.

    Also sends the cancellation for a meeting already cancelled elsewhere (the meeting form),
    once. Invitations and follow-ups not yet delivered are withdrawn.
    """
    access.check(user, Action.CANCEL_MEETING, meeting)
    meeting = lock_meeting(meeting)
    if meeting.status != Meeting.Status.CANCELLED:
        if not meeting.can_move_to(Meeting.Status.CANCELLED):
            raise InvitationError(gettext("Ett genomfört sammanträde kan inte ställas in."))
        meeting.cancel()
    if cancellation_sent(meeting):
        raise InvitationError(gettext("Avbokningen är redan skickad."))
    meeting.invitations.filter(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.FAILED]).update(
        status=DeliveryStatus.WITHDRAWN
    )
    InvitationMessage.objects.filter(
        invitation__meeting=meeting, status__in=[DeliveryStatus.QUEUED, DeliveryStatus.FAILED]
    ).update(status=DeliveryStatus.WITHDRAWN)
    received = list(meeting.invitations.filter(status=DeliveryStatus.SENT))
    if not received:
        return None
    mailing = Mailing.objects.create(
        meeting=meeting,
        kind=Mailing.Kind.CANCELLATION,
        sequence=meeting.calendar_sequence,
        personal_note=personal_note.strip(),
        inviting_chair=inviting_chair(meeting, user),
        sent_by=user,
    )
    messages = InvitationMessage.objects.bulk_create(
        [InvitationMessage(invitation=invitation, mailing=mailing) for invitation in received]
    )
    publish_on_commit((m.invitation_id, mailing.pk, InvitationMessage, m.pk) for m in messages)
    return mailing


@transaction.atomic
def resend_failed(*, meeting, user, invitation=None):
    """Queue failed deliveries again (all of the meeting's, or one person's); returns how many."""
    access.check(user, Action.FOLLOW_INVITATIONS, meeting)
    invitations = meeting.invitations.filter(status=DeliveryStatus.FAILED)
    messages = InvitationMessage.objects.filter(
        invitation__meeting=meeting, status=DeliveryStatus.FAILED
    )
    if invitation is not None:
        invitations = invitations.filter(pk=invitation.pk)
        messages = messages.filter(invitation=invitation)
    deliveries = [
        (row.pk, row.mailing_id, Invitation, row.pk) for row in invitations.select_for_update()
    ]
    deliveries += [
        (row.invitation_id, row.mailing_id, InvitationMessage, row.pk)
        for row in messages.select_for_update()
    ]
    for model in (Invitation, InvitationMessage):
        ids = [row_id for _, _, row_model, row_id in deliveries if row_model is model]
        # The same message again (its Message-ID is kept), with a fresh round of retries.
        model.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.QUEUED,
            attempts=0,
            enqueued_at=None,
            sending_since=None,
            resent_uncertain=False,
        )
    publish_on_commit(deliveries)
    return len(deliveries)
