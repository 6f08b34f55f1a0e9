"""Answers to an invitation (R7): attending, not attending, or a substitute attends; given by
the reply link (no login), in the app, or by phone through the secretariat."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from meetings.models import Invitation
from meetings.selectors.invitations import substitutes_for

from . import InvitationError


@transaction.atomic
def record_reply(
    *,
    invitation,
    reply,
    channel,
    user=None,
    substitute_membership=None,
    substitute_name="",
    now=None,
):
    """Record an answer: by link (no login), in the app, or by the secretariat for a phone call."""
    invitation = (
        Invitation.objects.select_for_update().select_related("meeting").get(pk=invitation.pk)
    )
    if not invitation.takes_replies(now=now):
        raise InvitationError(gettext("Det går inte längre att svara på kallelsen."))
    if reply not in Invitation.Reply.values:
        raise InvitationError(gettext("Välj ett svar."))
    if reply == Invitation.Reply.SUBSTITUTE:
        substitute_name = substitute_name.strip()
        if substitute_membership is not None:
            if not substitutes_for(invitation).filter(pk=substitute_membership.pk).exists():
                raise InvitationError(
                    gettext("Ersättaren är inte ersättare för den här ledamoten.")
                )
            substitute_name = ""
        elif not substitute_name:
            raise InvitationError(
                gettext("Välj en ersättare eller skriv namnet på den som deltar.")
            )
    else:
        substitute_membership, substitute_name = None, ""
    invitation.reply = reply
    invitation.substitute_membership = substitute_membership
    invitation.substitute_name = substitute_name
    invitation.replied_at = now or timezone.now()
    invitation.reply_channel = channel
    invitation.reply_recorded_by = user if user is not None and user.is_authenticated else None
    invitation.save(
        update_fields=[
            "reply",
            "substitute_membership",
            "substitute_name",
            "replied_at",
            "reply_channel",
            "reply_recorded_by",
        ]
    )
    return invitation
