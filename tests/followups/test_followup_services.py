"""Follow-up rules, called on the services directly (R10)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from councils.locking import StaleEdit
from councils.models import Membership
from followups import services
from followups.models import FollowUp
from protocols import services as protocol_services
from protocols.models import HomeDecision, Protocol
from protocols.signals import protocol_adjusted
from tests.factories import make_organisation, make_user
from tests.followups.support import adjust, take_position
from tests.meetings.factories import PDF_BYTES
from tests.protocols.support import seat

pytestmark = pytest.mark.django_db


def row(entry, organisation):
    return FollowUp.objects.get(entry=entry, organisation=organisation)


def user_of(membership):
    return membership.person.user


def decide(followup, user, **fields):
    values = {
        "state": FollowUp.State.DECIDED,
        "deciding_body": "Kommunstyrelsen",
        "decision_date": timezone.localdate(),
        "reference": "KS 2026/123",
        **fields,
    }
    return services.update_followup(
        followup=followup, user=user, version=followup.version, **values
    )


# --- Creation when the protocol is adjusted ---------------------------------------------------


def test_adjusting_creates_one_row_per_position_and_represented_organisation(world, position):
    rows = FollowUp.objects.filter(entry=position)
    assert set(rows.values_list("organisation_name", flat=True)) == {
        "Sundsvalls kommun",
        "Region Västernorrland",
    }
    assert {r.position_date for r in rows} == {timezone.localdate(world.meeting.starts_at)}
    assert all(r.history.count() == 1 for r in rows)


def test_the_expectation_comes_from_the_protocol_and_sets_the_first_state(world):
    protocol = protocol_services.open_protocol(meeting=world.meeting, user=world.secretariat)
    entry = take_position(protocol.entries.get(agenda_item=world.position))
    HomeDecision.objects.filter(entry=entry, organisation=world.region).update(expected="no")
    HomeDecision.objects.filter(entry=entry, organisation=world.sundsvall).update(expected="yes")
    adjust(protocol)
    region, sundsvall = row(entry, world.region), row(entry, world.sundsvall)
    assert (region.expected, region.state) == ("no", FollowUp.State.NOT_NEEDED)
    assert (sundsvall.expected, sundsvall.state) == ("yes", FollowUp.State.PENDING)


def test_an_organisation_seated_in_the_council_but_absent_gets_a_row_too(world):
    timra = make_organisation("Timrå kommun")
    seat(world.council, timra, side=Membership.Side.MAJORITY, start_date=datetime.date(2020, 1, 1))
    protocol = protocol_services.open_protocol(meeting=world.meeting, user=world.secretariat)
    protocol.attendance.filter(organisation=timra).update(present=False)
    entry = take_position(protocol.entries.get(agenda_item=world.position))
    adjust(protocol)
    assert row(entry, timra).expected == HomeDecision.Expected.UNDETERMINED


def test_a_repeated_signal_creates_nothing_new(world, position):
    count = FollowUp.objects.count()
    protocol_adjusted.send(sender=Protocol, protocol=position.protocol)
    services.create_followups(protocol=position.protocol)
    assert FollowUp.objects.count() == count


def test_a_draft_protocol_gets_no_followups(world):
    protocol = protocol_services.open_protocol(meeting=world.meeting, user=world.secretariat)
    take_position(protocol.entries.get(agenda_item=world.position))
    assert services.create_followups(protocol=protocol) == []
    assert not FollowUp.objects.exists()


def test_information_items_and_struck_positions_are_not_followed_up(world):
    protocol = protocol_services.open_protocol(meeting=world.meeting, user=world.secretariat)
    entry = protocol.entries.get(agenda_item=world.position)
    protocol_services.strike_entry(entry=entry, user=None, reason="Utgår.")
    adjust(protocol)  # the information item is noted, the position struck
    assert protocol.status == Protocol.Status.ADJUSTED
    assert not FollowUp.objects.exists()


def test_a_correction_carries_the_rows_over_with_what_was_recorded(world, position):
    followup = row(position, world.sundsvall)
    decide(followup, world.secretariat)
    correction = protocol_services.start_correction(
        protocol=position.protocol, user=world.secretariat, reason="Fel i ställningstagandet."
    )
    corrected = correction.entries.get(number=position.number)
    take_position(corrected, text="Rådet står bakom den rättade hållningen.")
    adjust(correction)
    moved = FollowUp.objects.get(pk=followup.pk)
    assert moved.entry == corrected
    assert (moved.state, moved.reference, moved.version) == ("decided", "KS 2026/123", 2)
    assert FollowUp.objects.filter(organisation=world.sundsvall).count() == 1
    assert FollowUp.objects.filter(entry=position).count() == 0


# --- Recording a decision ----------------------------------------------------------------------


def test_a_member_records_their_organisations_decision_in_the_history(world, position):
    followup = row(position, world.sundsvall)
    member = user_of(world.member)
    decide(followup, member)
    followup.refresh_from_db()
    assert followup.state == FollowUp.State.DECIDED
    assert followup.reference == "KS 2026/123"
    assert followup.version == 2
    assert followup.history.first().history_user == member


def test_a_member_of_another_organisation_may_not_change_the_row(world, position):
    followup = row(position, world.region)
    with pytest.raises(PermissionDenied):
        decide(followup, user_of(world.member))
    followup.refresh_from_db()
    assert followup.state == FollowUp.State.PENDING


def test_the_secretariat_changes_every_organisations_row(world, position):
    decide(row(position, world.region), world.secretariat)
    assert row(position, world.region).state == FollowUp.State.DECIDED


def test_a_user_without_a_seat_may_not_change_a_row(world, position):
    with pytest.raises(PermissionDenied):
        decide(row(position, world.region), make_user("utomstaende"))


def test_decided_needs_a_date_not_in_the_future_nor_before_the_position(world, position):
    followup = row(position, world.sundsvall)
    member = user_of(world.member)
    with pytest.raises(ValidationError) as missing:
        decide(followup, member, decision_date=None)
    assert "decision_date" in missing.value.error_dict
    with pytest.raises(ValidationError):
        decide(followup, member, decision_date=timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        decide(followup, member, decision_date=followup.position_date - datetime.timedelta(days=1))
    followup.refresh_from_db()
    assert followup.version == 1


def test_not_needed_is_refused_while_a_decision_is_expected(world, position):
    followup = row(position, world.sundsvall)
    with pytest.raises(ValidationError):
        services.update_followup(
            followup=followup, user=None, version=1, expected="yes", state="not_needed"
        )
    services.update_followup(
        followup=followup, user=None, version=1, expected="no", state="not_needed"
    )
    assert row(position, world.sundsvall).state == FollowUp.State.NOT_NEEDED


def test_a_save_on_an_older_version_is_refused(world, position):
    followup = row(position, world.sundsvall)
    decide(followup, world.secretariat)
    stale = FollowUp.objects.get(pk=followup.pk)
    stale.version = 1
    with pytest.raises(StaleEdit) as error:
        decide(stale, user_of(world.member), reference="KS 2026/999")
    assert error.value.current.reference == "KS 2026/123"
    assert row(position, world.sundsvall).reference == "KS 2026/123"


def test_the_decision_document_follows_the_attachment_rules(world, position):
    followup = row(position, world.sundsvall)
    member = user_of(world.member)
    fake = SimpleUploadedFile("beslut.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError):
        decide(followup, member, document=fake)
    with pytest.raises(ValidationError):
        decide(followup, member, document=SimpleUploadedFile("beslut.exe", PDF_BYTES))
    followup.refresh_from_db()
    assert not followup.document
    decide(followup, member, document=SimpleUploadedFile("KS beslut §12.pdf", PDF_BYTES))
    followup.refresh_from_db()
    assert followup.document_name == "KS beslut _12.pdf"
    assert followup.document_content_type == "application/pdf"
    assert followup.document.read() == PDF_BYTES
