"""Helpers for the protocol PDF and public archive tests (no tests here): a minuted protocol
with a consensus position and a dissent, and its adjustment as the justering sends it."""

from django.test import TestCase

from meetings.models import AgendaItem
from protocols import canonical, services
from protocols.models import Protocol

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


def adjust(world, protocol, *, execute=True):
    """The protocol through the justering: world.member elected adjuster, sent, approved by
    the adjuster and the chair; `protocol_adjusted` is sent after the commit (when `execute`)."""
    adjusters = protocol.entries.get(standing_key=AgendaItem.Standing.ADJUSTER)
    row = protocol.attendance.get(membership=world.member)
    services.elect_adjusters(entry=adjusters, user=world.secretariat, attendances=[row])
    with TestCase.captureOnCommitCallbacks(execute=execute):
        services.send_for_adjustment(protocol=protocol, user=world.secretariat)
        for membership in (world.member, world.chair):
            services.approve(
                protocol=protocol,
                user=membership.person.user,
                checksum=canonical.checksum(protocol),
            )
    protocol.refresh_from_db()
    assert protocol.status == Protocol.Status.ADJUSTED
    return protocol


def adjust_correction(world, correction, *, outcome_text):
    """A correction of the world's protocol: its position's text changed, then through the
    justering (sent, approved by the adjuster and the chair; signals sent after commit)."""
    entry = correction.entries.get(outcome="consensus")
    services.save_entry(
        entry=entry,
        user=world.secretariat,
        version=entry.version,
        minutes=entry.minutes,
        outcome="consensus",
        outcome_text=outcome_text,
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.send_for_adjustment(protocol=correction, user=world.secretariat)
        for membership in (world.member, world.chair):
            services.approve(
                protocol=correction,
                user=membership.person.user,
                checksum=canonical.checksum(correction),
            )
    return correction
