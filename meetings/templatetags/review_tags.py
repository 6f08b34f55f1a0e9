"""Template tags for the review part: the panel on the meeting page (R9, R11). Its data comes
from `selectors.review.review_panel`."""

from django import template

from meetings.selectors.review import review_panel as panel_data

register = template.Library()


@register.inclusion_tag("meetings/review/panel.html")
def review_panel(meeting, roles):
    """Links and counts for the meeting page: expected dissent, questions, proposals."""
    return panel_data(roles, meeting)
