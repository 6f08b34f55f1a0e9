"""Template tags of the meeting and agenda pages."""

from django import template

from meetings.access import visible_meetings

register = template.Library()


@register.simple_tag
def upcoming_meetings_for(user, limit=5):
    """The next meetings the user may see (start page)."""
    if not user.is_authenticated:
        return []
    meetings = visible_meetings(user).upcoming().select_related("council").order_by("starts_at")
    return list(meetings[:limit])
