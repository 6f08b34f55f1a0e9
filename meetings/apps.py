from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Sammanträden")

    def ready(self):
        # The kallelse med handlingar: a rendered document (rus.documents) whose state the
        # meeting's page shows through meetings' own panel extension point.
        from . import attendee_list, documents, extensions

        documents.register()
        # The printable list of attendees, rendered the same way (meetings/attendee_list.py).
        attendee_list.register()
        extensions.register_meeting_panel(documents.meeting_panel)

        # Meetings, agenda items, proposals and attachments in the search index (search/).
        from . import searchable

        searchable.register()
