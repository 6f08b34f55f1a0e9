"""Data helpers for the follow-up tests (no tests here).

`adjust(protocol)` adjusts a minuted protocol the way justering does (protocols/services/
justering.py): adjusters elected where none are, sent for justering, approved by the chair and
each adjuster; `protocols.signals.protocol_adjusted` is sent when that commits, which in a test
is at the end of the `captureOnCommitCallbacks` block.
"""

from django.test import TestCase

from meetings.models import AgendaItem
from protocols import canonical
from protocols import services as protocol_services
from protocols.models import Attendance

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
    with TestCase.captureOnCommitCallbacks(execute=True):
        protocol.refresh_from_db()
        adjusters = protocol.attendance.filter(is_adjuster=True)
        # Adjusters without an account cannot adjust electronically: elect one who can.
        if not adjusters.exists() or adjusters.filter(person__user__isnull=True).exists():
            with_account = protocol.attendance.filter(present=True, person__user__isnull=False)
            adjuster = (
                with_account.filter(
                    capacity__in=[
                        Attendance.Capacity.MEMBER,
                        Attendance.Capacity.VICE_CHAIR,
                        Attendance.Capacity.SERVING_SUBSTITUTE,
                    ]
                ).order_by("pk")
                or with_account.filter(capacity=Attendance.Capacity.CHAIR)
            ).first()
            entry = protocol.entries.get(standing_key=AgendaItem.Standing.ADJUSTER)
            protocol_services.elect_adjusters(entry=entry, user=None, attendances=[adjuster])
        protocol_services.send_for_adjustment(protocol=protocol, user=None)
        for signatory in protocol.signatories.select_related("person__user"):
            protocol_services.approve(
                protocol=protocol,
                user=signatory.person.user,
                checksum=canonical.checksum(protocol),
            )
    protocol.refresh_from_db()
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
