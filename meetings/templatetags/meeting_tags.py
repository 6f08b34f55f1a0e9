"""Template tags of the meetings and agenda part: the start page's meetings."""

from django import template

from meetings.selectors.meetings import agendas_awaiting_approval, upcoming_meetings

register = template.Library()


@register.simple_tag
def upcoming_meetings_for(user, limit=5):
    """The next meetings the user may see (start page)."""
    if not user.is_authenticated:
        return []
    return upcoming_meetings(user, limit)


@register.simple_tag
def agendas_awaiting_approval_for(user):
    """Agendas prepared for the chair that the user may approve (start page)."""
    if not user.is_authenticated:
        return []
    return agendas_awaiting_approval(user)
