"""Template tags for invitations: the panel on the meeting page (R7)."""

from django import template

from councils.access import roles_for
from meetings import access
from meetings.access import Action
from meetings.forms.invitations import ReplyForm
from meetings.models import Invitation, Meeting
from meetings.services import invitations as services

register = template.Library()


@register.inclusion_tag("meetings/invitations/panel.html", takes_context=True)
def invitation_panel(context, meeting):
    """Send, follow, update, cancel; and the signed-in recipient's own answer.

    A fixed number of queries whatever the number of invitations.
    """
    request = context["request"]
    user = request.user
    roles = roles_for(user)
    may = access.rights(user, meeting)
    can_send, can_follow = may[Action.SEND_INVITATIONS], may[Action.FOLLOW_INVITATIONS]
    sent = meeting.status == Meeting.Status.INVITATIONS_SENT
    panel = {
        "meeting": meeting,
        "csrf_token": context.get("csrf_token"),
        "may": may,
        "ready_to_send": meeting.status == Meeting.Status.AGENDA_APPROVED,
        "sent": sent,
        "progress": services.progress(meeting) if can_follow else None,
        "pending_changes": services.pending_changes(meeting) if can_send and sent else [],
        "cancellation_pending": (
            services.cancellation_pending(meeting)
            if meeting.status == Meeting.Status.CANCELLED and may[Action.CANCEL_MEETING]
            else False
        ),
        "my_invitation": None,
    }
    if roles.person is not None:
        invitation = (
            Invitation.objects.select_related(
                "meeting", "membership", "substitute_membership__person"
            )
            .filter(meeting=meeting, person=roles.person)
            .first()
        )
        if invitation is not None:
            panel["my_invitation"] = invitation
            panel["reply_open"] = invitation.takes_replies()
            if panel["reply_open"]:
                panel["reply_form"] = ReplyForm(invitation=invitation)
    panel["visible"] = can_send or can_follow or panel["my_invitation"] is not None
    return panel
