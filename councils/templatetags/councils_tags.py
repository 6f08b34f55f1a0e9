"""Template tags for the registers' block on the start page."""

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from ..composition import check_composition
from ..models import Council

register = template.Library()


@register.simple_tag(takes_context=True)
def registers_summary(context):
    """The councils with today's member count; R2 warnings too when the viewer is secretariat."""
    today = timezone.localdate()
    current = Q(memberships__start_date__lte=today) & (
        Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gt=today)
    )
    councils = list(Council.objects.annotate(member_count=Count("memberships", filter=current)))
    warnings = []
    roles = context.get("roles")
    if roles is not None and roles.is_secretariat:
        for council in councils:
            if council.kind == Council.Kind.REGIONAL:
                warnings.extend(check_composition(council).warnings)
    return {"councils": councils, "warnings": warnings}
