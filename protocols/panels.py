"""The protocol panel on the meeting page (registered in meetings.extensions by apps.py)."""

from django.utils import timezone

from . import access


def meeting_panel(request, meeting):
    """Protokollför / Protokoll: nothing before the meeting has begun (and no query then)."""
    if meeting.is_cancelled or (meeting.starts_at > timezone.now() and not meeting.is_frozen):
        return None
    context = access.panel_rights(request.user, meeting)
    if not any(context["may"].values()):
        return None
    return {"template": "protocols/includes/meeting_panel.html", **context}
