"""Template tags for invitations: the panel on the meeting page (R7). The panel's data comes
from `selectors.invitations.invitation_panel`; the tag adds the reply form and renders it."""

from django import template

from meetings.forms.invitations import ReplyForm
from meetings.selectors import invitations as selectors

register = template.Library()


@register.inclusion_tag("meetings/invitations/panel.html", takes_context=True)
def invitation_panel(context, meeting):
    """Send, follow, update, cancel; and the signed-in recipient's own answer."""
    panel = selectors.invitation_panel(context["request"].user, meeting)
    panel["csrf_token"] = context.get("csrf_token")
    if panel["reply_open"]:
        panel["reply_form"] = ReplyForm(invitation=panel["my_invitation"])
    return panel
