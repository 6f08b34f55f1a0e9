"""Template tags for the registers' block on the start page (data: councils.selectors)."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def registers_summary(context):
    """The councils with today's member count; R2 warnings too when the viewer is secretariat."""
    return selectors.registers_summary(context.get("roles"))
