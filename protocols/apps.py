from django.apps import AppConfig


class ProtocolsConfig(AppConfig):
    name = "protocols"
    verbose_name = "Protokoll"

    def ready(self):
        # The meeting page shows the protocol panel through meetings' extension point: meetings
        # never imports protocols (docs/architecture.md).
        from meetings import extensions

        from .panels import meeting_panel

        extensions.register_meeting_panel(meeting_panel)

        # The protocol PDF: a rendered document (rus.documents) asked for when a protocol is
        # adjusted.
        from . import documents, signals

        documents.register()
        signals.protocol_adjusted.connect(
            documents.on_protocol_adjusted, dispatch_uid="protocol_pdf_on_adjusted"
        )

        # Protocol paragraphs in the search index (search/).
        from . import searchable

        searchable.register()
