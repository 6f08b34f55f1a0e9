"""The council filter of the search page (`search.registry`): every council for those signed
in (the registers are readable by all of them), the councils that publish for the public."""

from django.utils.translation import gettext_lazy as _

from search import registry

from .models import Council


def council_choices(user):
    councils = Council.objects.order_by("name")
    if not user.is_authenticated:
        councils = councils.filter(publishes_protocols=True)
    return councils.values_list("pk", "name")


def register():
    registry.register_filter(registry.Filter("council", _("Råd"), council_choices))
