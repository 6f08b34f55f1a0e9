"""Template tags for the registers' block on the start page."""

from django import template

from ..composition import check_composition
from ..models import Council

register = template.Library()


@register.simple_tag(takes_context=True)
def registers_summary(context):
    """The councils with today's member count; R2 warnings too when the viewer is secretariat."""
    councils = list(Council.objects.with_member_counts())
    warnings = []
    roles = context.get("roles")
    if roles is not None and roles.is_secretariat:
        for council in councils:
            if council.kind == Council.Kind.REGIONAL:
                warnings.extend(check_composition(council).warnings)
    return {"councils": councils, "warnings": warnings}
