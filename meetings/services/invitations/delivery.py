"""Delivering one invitation message to one person, exactly once (R7): the invitation rows'
`Courier` for the outbox (`rus.outbox.delivery`), which claims, sends and records the row the
same way as every other mail.

A delivery is named by (invitation, mailing): the invitation row itself when the mailing is the
one that first invited the person, else that person's `InvitationMessage` of the mailing.
"""

from meetings.models import Invitation, InvitationMessage, Mailing, Meeting
from rus.outbox import delivery

from .mail import build_invitation_message


class InvitationCourier(delivery.Courier):
    def __init__(self, invitation_id, mailing_id):
        self.invitation_id = invitation_id
        self.mailing_id = mailing_id
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
        return build_invitation_message(self.invitation, self.mailing)

    def sent(self, row):
        if self.mailing.kind != Mailing.Kind.REMINDER:
            Invitation.objects.filter(pk=self.invitation.pk).update(
                sent_sequence=self.invitation.meeting.calendar_sequence
            )


def deliver(*, invitation_id, mailing_id, connection=None):
    """Send one message to one person, once (see `rus.outbox.delivery.deliver`)."""
    return delivery.deliver(InvitationCourier(invitation_id, mailing_id), connection_=connection)
