"""Helpers for the protocol PDF and public archive tests (no tests here): a minuted protocol
with a consensus position and a dissent, and its adjustment as the justering sends it."""

from django.test import TestCase

from protocols import services
from protocols.models import Protocol
from protocols.signals import protocol_adjusted

POSITION_TEXT = "Rådet ställer sig bakom en gemensam hållning för Västernorrlands företag – åäö."
DISSENT_TEXT = "Vi önskar större fokus på älvdalarnas behov."


def minuted_protocol(world):
    """The world's meeting minuted: § numbers, a consensus position, a recorded dissent."""
    protocol = services.open_protocol(meeting=world.meeting, user=world.secretariat)
    entry = protocol.entries.get(agenda_item=world.position)
    services.save_entry(
        entry=entry,
        user=world.secretariat,
        version=entry.version,
        minutes="Föredragande redogjorde för läget i sammanhållningspolitiken.",
        outcome="consensus",
        outcome_text=POSITION_TEXT,
    )
    attendance = protocol.attendance.get(membership=world.opposition)
    services.record_dissent(
        entry=entry, user=world.secretariat, attendance=attendance, text=DISSENT_TEXT
    )
    info = protocol.entries.get(agenda_item=world.info)
    services.save_entry(
        entry=info,
        user=world.secretariat,
        version=info.version,
        minutes="Läget i länet föredrogs.",
        outcome="noted",
        outcome_text="Informationen noteras.",
    )
    return protocol


def adjust(protocol, *, execute=True):
    """The protocol adjusted, and `protocol_adjusted` sent after the commit, as the justering
    does (the status is saved directly: the justering workflow is tested on its own)."""
    with TestCase.captureOnCommitCallbacks(execute=execute):
        protocol.status = Protocol.Status.ADJUSTED
        protocol.save(update_fields=["status"])
        protocol_adjusted.send(sender=Protocol, protocol=protocol)
    return protocol
