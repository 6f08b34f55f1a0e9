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


def adjusted_meeting(world, *, positions=2, days_ago=40):
    """Another meeting of the world's council, minuted with `positions` consensus positions and
    adjusted: its entries."""
    from meetings.models import AgendaItem
    from tests.meetings.factories import make_item, make_meeting
    from tests.meetings.review_support import make_target_area

    meeting = make_meeting(world.council, days_ahead=-days_ago, status="agenda_approved")
    target = make_target_area()
    items = [
        make_item(
            meeting,
            title=f"Ställningstagande {n}",
            kind=AgendaItem.Kind.POSITION,
            target_area=target,
            background="Bakgrund.",
        )
        for n in range(1, positions + 1)
    ]
    protocol = protocol_services.open_protocol(meeting=meeting, user=world.secretariat)
    entries = [take_position(protocol.entries.get(agenda_item=item)) for item in items]
    adjust(protocol)
    return entries
