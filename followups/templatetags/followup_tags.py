from django import template

from followups.selectors import overdue

register = template.Library()


@register.simple_tag
def overdue_followups_for(user, limit=10):
    """Overdue formal decisions for the secretariat's start page (R10)."""
    if not user.is_authenticated:
        return {"rows": [], "count": 0}
    return overdue(user, limit=limit)
