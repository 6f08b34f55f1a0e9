"""Data helpers for the follow-up tests (no tests here).

`adjust(protocol)` stands in for justering until it is on main: it marks the protocol adjusted
and sends `protocols.signals.protocol_adjusted`, as the justering service does on commit.
"""

from protocols import services as protocol_services
from protocols.models import Protocol
from protocols.signals import protocol_adjusted

POSITION_TEXT = "Rådet står bakom en gemensam regional hållning."


def take_position(entry, text=POSITION_TEXT):
    entry.refresh_from_db()
    return protocol_services.save_entry(
        entry=entry,
        user=None,
        version=entry.version,
        minutes="Föredrogs.",
        outcome="consensus",
        outcome_text=text,
    )


def adjust(protocol):
    Protocol.objects.filter(pk=protocol.pk).update(status=Protocol.Status.ADJUSTED)
    protocol.refresh_from_db()
    protocol_adjusted.send(sender=Protocol, protocol=protocol)
    return protocol


def adjusted_position(world):
    """The world's meeting minuted with a consensus position and adjusted: its entry."""
    protocol = protocol_services.open_protocol(meeting=world.meeting, user=world.secretariat)
    entry = take_position(protocol.entries.get(agenda_item=world.position))
    adjust(protocol)
    return entry
