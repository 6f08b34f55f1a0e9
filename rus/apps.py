from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RusConfig(AppConfig):
    name = "rus"
    verbose_name = _("RUS – strategin")

    def ready(self):
        # the focus-area filter of the search page (search/).
        from . import searchable

        searchable.register()
