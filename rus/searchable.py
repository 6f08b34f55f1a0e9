"""The focus-area filter of the search page (`search.registry`), grouped by plan year (R13)."""

from itertools import groupby

from django.utils.translation import gettext_lazy as _

from search import registry

from .models import FocusArea


def focus_area_choices(user):
    areas = FocusArea.objects.select_related("plan").order_by("-plan__year", "position", "pk")
    return [
        (str(year), [(area.pk, area.title) for area in group])
        for year, group in groupby(areas, key=lambda area: area.plan.year)
    ]


def register():
    registry.register_filter(registry.Filter("focus_area", _("Fokusområde"), focus_area_choices))
