"""The protocol's rules, called on the services directly (R8, R10, R11)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from councils.locking import StaleEdit
from councils.models import Membership
from meetings.models import AgendaItem, Invitation, ItemProposal, Mailing, Meeting
from meetings.models.invitations import DeliveryStatus
from protocols import services
from protocols.models import Attendance, HomeDecision, Protocol, ProtocolEntry
from protocols.selectors import representation_gaps
from tests.meetings.factories import make_item, make_meeting
from tests.meetings.review_support import make_target_area
from tests.protocols.support import expect_dissent

pytestmark = pytest.mark.django_db


def open_(world):
    return services.open_protocol(meeting=world.meeting, user=world.secretariat)


def entry_for(protocol, item):
    return protocol.entries.get(agenda_item=item)


def row(protocol, membership):
    return protocol.attendance.get(membership=membership)


# --- Opening ------------------------------------------------------------------------------------


def test_opening_moves_the_meeting_to_held_and_creates_entries_in_agenda_order(world):
    protocol = open_(world)
    world.meeting.refresh_from_db()
    assert world.meeting.status == Meeting.Status.HELD
    assert protocol.status == Protocol.Status.DRAFT
    titles = list(protocol.entries.values_list("title", flat=True))
    agenda = list(world.meeting.items.order_by("position").values_list("title", flat=True))
    assert titles == agenda
    assert list(protocol.entries.values_list("number", flat=True)) == list(
        range(1, len(agenda) + 1)
    )


def test_opening_before_the_meeting_began_is_refused(world):
    meeting = make_meeting(world.council, days_ahead=3, status=Meeting.Status.INVITATIONS_SENT)
    with pytest.raises(ValidationError):
        services.open_protocol(meeting=meeting, user=world.secretariat)
    assert not Protocol.objects.filter(meeting=meeting).exists()


def test_a_meeting_marked_held_opens_any_time(world):
    meeting = make_meeting(world.council, days_ahead=-30, status=Meeting.Status.HELD)
    assert services.open_protocol(meeting=meeting, user=world.secretariat).pk


def test_a_cancelled_meeting_is_never_minuted(world):
    world.meeting.status = Meeting.Status.CANCELLED
    world.meeting.save()
    with pytest.raises(ValidationError):
        open_(world)


def test_opening_twice_returns_the_same_protocol(world):
    assert open_(world).pk == open_(world).pk
    assert Protocol.objects.count() == 1


def test_entries_keep_the_item_as_it_was(world):
    protocol = open_(world)
    entry = entry_for(protocol, world.position)
    assert entry.kind == AgendaItem.Kind.POSITION
    assert entry.rus_link_label.startswith("Målområde: ")
    assert entry_for(protocol, world.info).outcome_text == "Informationen noteras."


def test_justering_deadline_follows_the_council(world):
    world.council.adjustment_days = 10
    world.council.save()
    protocol = open_(world)
    day = timezone.localtime(world.meeting.starts_at).date()
    assert protocol.adjust_by == day + datetime.timedelta(days=10)


# --- Attendance ---------------------------------------------------------------------------------


def _invite(meeting, membership, reply="", **extra):
    mailing = Mailing.objects.get_or_create(
        meeting=meeting, kind=Mailing.Kind.INVITATION, defaults={"sequence": 0}
    )[0]
    return Invitation.objects.create(
        meeting=meeting,
        mailing=mailing,
        person=membership.person,
        membership=membership,
        name=membership.person.full_name,
        email=f"p{membership.pk}@example.org",
        capacity=Invitation.Capacity.MEMBER,
        status=DeliveryStatus.SENT,
        reply=reply,
        replied_at=timezone.now() if reply else None,
        **extra,
    )


def test_attendance_is_prefilled_from_the_replies(world):
    _invite(world.meeting, world.chair, Invitation.Reply.ATTENDING)
    _invite(world.meeting, world.opposition, Invitation.Reply.NOT_ATTENDING)
    _invite(
        world.meeting,
        world.member,
        Invitation.Reply.SUBSTITUTE,
        substitute_membership=world.substitute,
    )
    _invite(world.meeting, world.region_member)  # no answer
    protocol = open_(world)
    assert row(protocol, world.chair).present
    assert not row(protocol, world.opposition).present
    assert not row(protocol, world.member).present
    assert not row(protocol, world.region_member).present
    substitute = row(protocol, world.substitute)
    assert substitute.present
    assert substitute.capacity == Attendance.Capacity.SERVING_SUBSTITUTE
    assert substitute.substitute_for_name == world.member.person.full_name
    assert substitute.side == Membership.Side.MAJORITY


def test_a_substitute_named_by_name_serves_for_the_member(world):
    _invite(world.meeting, world.member, Invitation.Reply.SUBSTITUTE, substitute_name="Eva Ek")
    protocol = open_(world)
    eva = protocol.attendance.get(name="Eva Ek")
    assert eva.capacity == Attendance.Capacity.SERVING_SUBSTITUTE
    assert eva.organisation_name == "Sundsvalls kommun"


def test_the_protocol_keeps_names_when_the_register_changes(world):
    protocol = open_(world)
    person = world.member.person
    name = person.full_name
    person.family_name = "Bytt"
    person.save()
    world.member.delete()
    assert protocol.attendance.filter(name=name).exists()


def test_arrivals_and_departures_by_paragraph(world):
    protocol = open_(world)
    attendance = row(protocol, world.opposition)
    services.update_attendance(
        attendance=attendance,
        user=world.secretariat,
        present=True,
        capacity=attendance.capacity,
        from_number=2,
        to_number=4,
    )
    attendance.refresh_from_db()
    assert attendance.present_at(3) and not attendance.present_at(5)
    with pytest.raises(ValidationError):
        services.update_attendance(
            attendance=attendance,
            user=None,
            present=True,
            capacity=attendance.capacity,
            from_number=4,
            to_number=2,
        )
    with pytest.raises(ValidationError):
        services.update_attendance(
            attendance=attendance, user=None, present=True, capacity="member", from_number=99
        )


def test_unannounced_people_from_the_register_or_by_name(world):
    protocol = open_(world)
    services.add_attendee(
        protocol=protocol, user=None, capacity=Attendance.Capacity.OTHER, name="Gäst Gästsson"
    )
    assert protocol.attendance.get(name="Gäst Gästsson").unannounced
    with pytest.raises(ValidationError):
        services.add_attendee(protocol=protocol, user=None, capacity="other", name=" ")
    with pytest.raises(ValidationError):  # already on the list
        services.add_attendee(
            protocol=protocol, user=None, capacity="member", person=world.member.person
        )


def test_r2_check_reads_the_attendance_not_the_seats(world):
    protocol = open_(world)
    rows = list(protocol.attendance.all())
    assert representation_gaps(protocol, rows) == []
    attendance = row(protocol, world.opposition)
    services.update_attendance(
        attendance=attendance, user=None, present=False, capacity=attendance.capacity
    )
    rows = list(protocol.attendance.all())
    assert representation_gaps(protocol, rows) == [("Sundsvalls kommun", ["Opposition"])]


# --- Entries and outcomes -----------------------------------------------------------------------


def test_an_item_added_at_the_meeting_comes_before_the_closing_item(world):
    protocol = open_(world)
    last = protocol.entries.order_by("-number").first()
    entry = services.add_entry(
        protocol=protocol, user=None, title="Övrig fråga om tåg", kind="information"
    )
    closing = protocol.entries.get(standing_key=AgendaItem.Standing.CLOSING)
    assert entry.number == last.number
    assert closing.number == last.number + 1
    assert entry.added_at_meeting


def test_struck_entry_keeps_its_number_and_needs_a_reason(world):
    protocol = open_(world)
    entry = entry_for(protocol, world.info)
    with pytest.raises(ValidationError):
        services.strike_entry(entry=entry, user=None, reason="")
    services.strike_entry(entry=entry, user=None, reason="Föredraganden är sjuk.")
    entry.refresh_from_db()
    assert entry.struck and entry.number


def test_consensus_needs_the_position_text_and_lists_represented_organisations(world):
    protocol = open_(world)
    entry = entry_for(protocol, world.position)
    with pytest.raises(ValidationError):
        services.save_entry(
            entry=entry, user=None, version=1, minutes="", outcome="consensus", outcome_text=""
        )
    services.save_entry(
        entry=entry,
        user=None,
        version=1,
        minutes="Föredrogs.",
        outcome="consensus",
        outcome_text="Rådet ställer sig bakom.",
    )
    names = set(
        HomeDecision.objects.filter(entry=entry).values_list("organisation_name", flat=True)
    )
    assert names == {"Sundsvalls kommun", "Region Västernorrland"}


def test_an_outcome_must_fit_the_kind(world):
    protocol = open_(world)
    entry = entry_for(protocol, world.info)
    with pytest.raises(ValidationError):
        services.save_entry(
            entry=entry, user=None, version=1, minutes="", outcome="consensus", outcome_text="x"
        )


def test_a_stale_version_is_a_conflict_and_overwrites_nothing(world):
    protocol = open_(world)
    entry = entry_for(protocol, world.info)
    services.save_entry(
        entry=entry, user=None, version=1, minutes="Först", outcome="noted", outcome_text="N."
    )
    with pytest.raises(StaleEdit) as caught:
        services.save_entry(
            entry=entry, user=None, version=1, minutes="Sen", outcome="noted", outcome_text="N."
        )
    assert caught.value.current.minutes == "Först"
    entry.refresh_from_db()
    assert entry.minutes == "Först" and entry.version == 2


def test_no_consensus_sends_the_item_back_to_the_rus_group(world):
    protocol = open_(world)
    entry = entry_for(protocol, world.position)
    services.save_entry(
        entry=entry,
        user=world.secretariat,
        version=1,
        minutes="",
        outcome="no_consensus",
        outcome_text="Kommunerna behöver förankra frågan.",
    )
    proposal = ItemProposal.objects.get(returned_from=world.position)
    assert proposal.is_open
    assert proposal in ItemProposal.objects.open()
    assert proposal.organisation == world.sundsvall
    entry.refresh_from_db()
    assert entry.returned_proposal == proposal
    # Changed back before the RUS group acted: the returned proposal goes.
    services.save_entry(
        entry=entry,
        user=None,
        version=entry.version,
        minutes="",
        outcome="consensus",
        outcome_text="Rådet ställer sig bakom.",
    )
    assert not ItemProposal.objects.filter(returned_from=world.position).exists()


def test_adjusters_are_one_or_two_present_members(world):
    protocol = open_(world)
    entry = protocol.entries.get(standing_key=AgendaItem.Standing.ADJUSTER)
    member, opposition = row(protocol, world.member), row(protocol, world.opposition)
    secretary = protocol.attendance.get(capacity=Attendance.Capacity.SECRETARY)
    with pytest.raises(ValidationError):
        services.elect_adjusters(entry=entry, user=None, attendances=[])
    with pytest.raises(ValidationError):
        services.elect_adjusters(entry=entry, user=None, attendances=[secretary])
    services.elect_adjusters(entry=entry, user=None, attendances=[member, opposition])
    assert set(protocol.attendance.filter(is_adjuster=True)) == {member, opposition}
    entry.refresh_from_db()
    assert entry.outcome == ProtocolEntry.Outcome.ADJUSTERS_ELECTED


# --- Dissent (R11) ------------------------------------------------------------------------------


def test_dissent_only_for_a_present_member_on_a_position(world):
    protocol = open_(world)
    position = entry_for(protocol, world.position)
    member = row(protocol, world.member)
    secretary = protocol.attendance.get(capacity=Attendance.Capacity.SECRETARY)
    with pytest.raises(ValidationError):
        services.record_dissent(
            entry=entry_for(protocol, world.info), user=None, attendance=member, text="Nej."
        )
    with pytest.raises(ValidationError):
        services.record_dissent(entry=position, user=None, attendance=secretary, text="Nej.")
    dissent = services.record_dissent(entry=position, user=None, attendance=member, text="Nej.")
    assert dissent.organisation_name == "Sundsvalls kommun"
    with pytest.raises(ValidationError):  # once per member and entry
        services.record_dissent(entry=position, user=None, attendance=member, text="Igen.")


def test_expected_dissents_are_recorded_or_withdrawn_once(world):
    sundsvall = expect_dissent(world.position, world.sundsvall)
    region = expect_dissent(world.position, world.region, "Regionen tvekar.")
    protocol = open_(world)
    position = entry_for(protocol, world.position)
    dissent = services.record_dissent(
        entry=position,
        user=None,
        attendance=row(protocol, world.member),
        text=sundsvall.comment,
        review=sundsvall,
    )
    assert dissent.from_expected
    services.withdraw_expected_dissent(entry=position, user=None, review=region)
    assert position.withdrawn_dissents.get().organisation_name == "Region Västernorrland"
    with pytest.raises(ValidationError):
        services.withdraw_expected_dissent(entry=position, user=None, review=sundsvall)


def test_nothing_changes_once_sent_for_justering(world):
    protocol = open_(world)
    position = entry_for(protocol, world.position)
    dissent = services.record_dissent(
        entry=position, user=None, attendance=row(protocol, world.member), text="Nej."
    )
    Protocol.objects.filter(pk=protocol.pk).update(status=Protocol.Status.SENT_FOR_ADJUSTMENT)
    with pytest.raises(ValidationError):
        services.edit_dissent(dissent=dissent, user=None, text="Ändrad.")
    with pytest.raises(ValidationError):
        services.save_entry(
            entry=position, user=None, version=1, minutes="x", outcome="", outcome_text=""
        )
    protocol.refresh_from_db()
    with pytest.raises(ValidationError):
        services.add_entry(protocol=protocol, user=None, title="Sent", kind="information")


def test_every_change_is_in_the_history(world):
    protocol = open_(world)
    entry = entry_for(protocol, world.info)
    services.save_entry(
        entry=entry,
        user=world.secretariat,
        version=1,
        minutes="Text",
        outcome="noted",
        outcome_text="N.",
    )
    assert entry.history.count() == 2
    assert entry.history.first().history_user == world.secretariat
    assert row(protocol, world.member).history.exists()


def test_items_of_a_held_meeting_stay_frozen(world):
    open_(world)
    world.meeting.refresh_from_db()
    with pytest.raises(ValidationError):
        make_item(world.meeting, title="För sent", target_area=make_target_area())
