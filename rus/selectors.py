"""Reads of the project package's pages: the outbox of notices."""

from rus.models import OutgoingMail
from rus.outbox.models import DeliveryStatus

LIST_LIMIT = 200


def outgoing_mail_page():
    """Notices that failed (to follow up and resend) and those still waiting, newest first."""
    return {
        "failed": list(OutgoingMail.objects.failed()[:LIST_LIMIT]),
        "waiting": list(
            OutgoingMail.objects.filter(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING])[
                :LIST_LIMIT
            ]
        ),
    }
