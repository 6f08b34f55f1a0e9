"""Delivering invitation messages, each to one person exactly once (R7): the invitation rows'
`Courier` for the outbox (`rus.outbox.delivery`), which claims, sends and records the row the
same way as every other mail.

A delivery is named by (invitation, mailing): the invitation row itself when the mailing is the
one that first invited the person, else that person's `InvitationMessage` of the mailing.

`deliver_batch` delivers several at once (one task for a batch): the queued
invitation rows are claimed together (one transaction), what the messages share is built once
(`mail.MailingParts`), and each message is sent and recorded on its own; a delivery that is not
simply queued (a retry, one left "sending", an update's message, a cancelled meeting) takes
the one-row path, with every rule of `rus.outbox.delivery.deliver`.
"""

from django.db import transaction

from meetings.models import Invitation, InvitationMessage, Mailing, Meeting
from meetings.models.invitations import DeliveryStatus
from rus.outbox import delivery

from .mail import MailingParts, build_invitation_message


class InvitationCourier(delivery.Courier):
    def __init__(self, invitation_id, mailing_id, *, parts=None):
        self.invitation_id = invitation_id
        self.mailing_id = mailing_id
        self.parts = parts
        self.invitation = self.mailing = None

    def lock(self):
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related(
                "meeting__council", "person", "mailing__inviting_chair__user", "mailing__kallelse"
            )
            .filter(pk=self.invitation_id)
            .order_by()  # not the model's ordering: it joins the meeting for nothing
            .first()
        )
        if invitation is None:
            return None
        self.invitation = invitation
        if invitation.mailing_id == self.mailing_id:
            self.mailing = invitation.mailing
            return invitation
        target = (
            InvitationMessage.objects.select_for_update(of=("self",))
            .select_related("mailing__inviting_chair__user", "mailing__kallelse")
            .filter(invitation=invitation, mailing_id=self.mailing_id)
            .order_by()
            .first()
        )
        if target is not None:
            self.mailing = target.mailing
        return target

    def withdrawn(self, row):
        """Nothing but the cancellation goes out for a cancelled meeting."""
        return (
            self.invitation.meeting.status == Meeting.Status.CANCELLED
            and self.mailing.kind != Mailing.Kind.CANCELLATION
        )

    def build(self, row):
        return build_invitation_message(self.invitation, self.mailing, self.parts)

    @property
    def records_more_when_sent(self):
        return self._sends_sequence() and self.mailing_id != self.invitation.mailing_id

    def _sends_sequence(self):
        return self.mailing.kind != Mailing.Kind.REMINDER

    def sent_fields(self, row):
        """The invitation row itself: the calendar sequence it carried, in the same UPDATE."""
        if self._sends_sequence() and row is self.invitation:
            return {"sent_sequence": self.invitation.meeting.calendar_sequence}
        return {}

    def sent(self, row):
        if self._sends_sequence() and row is not self.invitation:
            Invitation.objects.filter(pk=self.invitation.pk).update(
                sent_sequence=self.invitation.meeting.calendar_sequence
            )


def deliver(*, invitation_id, mailing_id, connection=None, parts=None):
    """Send one message to one person, once (see `rus.outbox.delivery.deliver`)."""
    courier = InvitationCourier(invitation_id, mailing_id, parts=parts)
    return delivery.deliver(courier, connection_=connection)


def _claim_batch(deliveries):
    """The queued invitation rows among `deliveries`, claimed together: [(row, lock)]."""
    wanted = dict(deliveries)
    claimed = []
    try:
        with transaction.atomic():
            rows = list(
                Invitation.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related(
                    "meeting__council", "mailing__inviting_chair__user", "mailing__kallelse"
                )
                .filter(pk__in=wanted, status=DeliveryStatus.QUEUED)
                .exclude(meeting__status=Meeting.Status.CANCELLED)  # withdrawn: one-row path
                .order_by("pk")
            )
            rows = [row for row in rows if row.mailing_id == wanted[row.pk]]
            claimed = delivery.claim_queued(rows)
    except BaseException:
        for _row, lock in claimed:
            lock.release()
        raise
    return claimed


def deliver_batch(deliveries):
    """Deliver each (invitation_id, mailing_id) once; returns {(invitation_id, mailing_id):
    outcome}."""
    deliveries = [(int(invitation_id), int(mailing_id)) for invitation_id, mailing_id in deliveries]
    outcomes = {}
    claimed = _claim_batch(deliveries)
    meetings = {row.meeting_id: row.meeting for row, _lock in claimed}
    # A mailing's batches share one meeting: its parts are this process's, kept between them.
    parts = MailingParts.for_meeting(*meetings.values()) if len(meetings) == 1 else MailingParts()
    try:
        for row, lock in claimed:
            courier = InvitationCourier(row.pk, row.mailing_id, parts=parts)
            courier.invitation, courier.mailing = row, row.mailing
            outcomes[row.pk, row.mailing_id] = delivery.deliver_claimed(
                courier, row, lock, release=False
            )
    finally:
        # Once for the batch: a sent row's lock guards nothing any more; a row an error left
        # "sending" is the sweep's once its lock is free.
        delivery.release_all([lock for _row, lock in claimed])
    for invitation_id, mailing_id in deliveries:
        if (invitation_id, mailing_id) not in outcomes:
            outcomes[invitation_id, mailing_id] = deliver(
                invitation_id=invitation_id, mailing_id=mailing_id, parts=parts
            )
    return outcomes
