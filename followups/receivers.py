"""Listens to `protocols.signals.protocol_adjusted` (connected in apps.py): protocols never
imports followups. The receiver only calls the service, which is idempotent."""

from . import documents, services


def create_followups_on_adjustment(sender, protocol, **kwargs):
    """A protocol became adjusted (the signal is sent after its transaction committed): one
    follow-up per consensus position and organisation (R10), then every organisation's
    återrapport (R9), rendered by Celery."""
    services.create_followups(protocol=protocol)
    documents.request_reports(protocol)
