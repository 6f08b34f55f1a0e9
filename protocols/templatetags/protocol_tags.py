"""The protocols' block on the start page (templates/includes/home_justering.html)."""

from django import template

from councils.access import roles_for
from protocols import selectors

register = template.Library()


@register.simple_tag
def justering_tasks_for(user):
    """What the user has to do about justering: for the secretariat every protocol out for
    justering (overdue first); for a chair or an adjuster the protocols waiting for them."""
    if not user.is_authenticated:
        return {}
    roles = roles_for(user)
    return {
        "awaiting": selectors.awaiting_adjustment() if roles.is_secretariat else [],
        "mine": selectors.pending_signatures(roles.person),
    }
