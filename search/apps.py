from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The bottom layer: the owning apps register their kinds (`search.registry`) in their own
    `ready()`; search imports none of them."""

    name = "search"
    verbose_name = _("Sök")

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import sqlite

        connection_created.connect(sqlite.on_connection_created, dispatch_uid="search.sqlite")
