from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Sammanträden")

    def ready(self):
        # The kallelse med handlingar: a rendered document (rus.documents) whose state the
        # meeting's page shows through meetings' own panel extension point.
        from . import documents, extensions

        documents.register()
        extensions.register_meeting_panel(documents.meeting_panel)
