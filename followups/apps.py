from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Uppföljning")

    def ready(self):
        # protocols sends `protocol_adjusted` and never imports followups (docs/architecture.md).
        from protocols.signals import protocol_adjusted

        from . import documents
        from .receivers import create_followups_on_adjustment

        # Återrapport and Årsunderlag are rendered documents (rus.documents).
        documents.register()
        protocol_adjusted.connect(
            create_followups_on_adjustment, dispatch_uid="followups.create_on_adjustment"
        )

        # Follow-up comments in the search index (search/).
        from . import searchable

        searchable.register()
