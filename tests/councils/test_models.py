"""Membership rules and database constraints (R2)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from councils.models import Council, Membership, Organisation
from councils.services import end_membership
from tests.factories import make_council, make_membership, make_organisation, make_person

pytestmark = pytest.mark.django_db

D = datetime.date


def test_end_date_must_be_after_start_in_clean():
    membership = make_membership(start_date=D(2024, 1, 1))
    membership.end_date = D(2024, 1, 1)
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "Slutdatum måste vara efter startdatum." in str(error.value)


def test_database_refuses_end_before_start():
    membership = make_membership(start_date=D(2024, 1, 1))
    membership.end_date = D(2023, 6, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_overlapping_membership_with_same_role_is_refused_by_clean():
    first = make_membership(start_date=D(2024, 1, 1), end_date=D(2024, 12, 31))
    overlapping = Membership(
        person=first.person,
        council=first.council,
        organisation=first.organisation,
        role=first.role,
        side=Membership.Side.MAJORITY,
        start_date=D(2024, 6, 1),
    )
    with pytest.raises(ValidationError) as error:
        overlapping.full_clean()
    assert "överlappande period" in str(error.value)


def test_consecutive_memberships_do_not_overlap():
    first = make_membership(start_date=D(2023, 1, 1), end_date=D(2024, 1, 1))
    following = Membership(
        person=first.person,
        council=first.council,
        organisation=first.organisation,
        role=first.role,
        side=Membership.Side.MAJORITY,
        start_date=D(2024, 1, 1),
    )
    following.full_clean()  # raises if the periods overlap
    following.save()
    assert list(Membership.objects.filter(person=first.person).order_by("start_date")) == [
        first,
        following,
    ]


def test_other_role_in_same_council_may_overlap():
    first = make_membership(start_date=D(2024, 1, 1))
    other = Membership(
        person=first.person,
        council=first.council,
        organisation=first.organisation,
        role=Membership.Role.SPEAKING_RIGHT,
        start_date=D(2024, 6, 1),
    )
    other.full_clean()  # raises if the roles may not overlap
    other.save()
    current = Membership.objects.current().filter(person=first.person, council=first.council)
    assert set(current.values_list("role", flat=True)) == {
        Membership.Role.MEMBER,
        Membership.Role.SPEAKING_RIGHT,
    }


def test_two_open_memberships_with_same_role_are_refused_by_the_database():
    first = make_membership(start_date=D(2024, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            person=first.person,
            council=first.council,
            organisation=first.organisation,
            role=first.role,
            start_date=D(2025, 1, 1),
        )


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The exclusion constraint over date ranges exists only on PostgreSQL (migration 0002).",
)
def test_postgresql_refuses_overlapping_closed_periods():
    first = make_membership(start_date=D(2024, 1, 1), end_date=D(2024, 12, 31))
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            person=first.person,
            council=first.council,
            organisation=first.organisation,
            role=first.role,
            start_date=D(2024, 6, 1),
            end_date=D(2025, 6, 1),
        )


def test_only_substitutes_may_stand_in_for_a_member():
    member = make_membership()
    other = make_membership(council=member.council, substitute_for=None)
    other.substitute_for = member
    with pytest.raises(ValidationError):
        other.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()


def test_substitute_must_stand_in_for_a_member_of_the_same_council():
    member = make_membership()
    substitute = make_membership(role=Membership.Role.SUBSTITUTE)
    substitute.substitute_for = member
    with pytest.raises(ValidationError) as error:
        substitute.full_clean()
    assert "samma råd" in str(error.value)


def test_elected_member_of_regional_council_needs_a_side():
    """R2: municipalities and the region send majority and opposition members."""
    council = make_council(kind=Council.Kind.REGIONAL)
    municipality = make_organisation(kind=Organisation.Kind.MUNICIPALITY)
    membership = Membership(
        person=make_person(),
        council=council,
        organisation=municipality,
        role=Membership.Role.MEMBER,
        side=Membership.Side.NOT_APPLICABLE,
        start_date=D(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "side" in error.value.message_dict


def test_agency_member_of_broad_council_needs_no_side():
    council = make_council(kind=Council.Kind.BROAD)
    agency = make_organisation(kind=Organisation.Kind.NATIONAL_AGENCY)
    membership = Membership(
        person=make_person(),
        council=council,
        organisation=agency,
        role=Membership.Role.MEMBER,
        start_date=D(2024, 1, 1),
    )
    assert not membership.needs_side
    membership.full_clean()  # raises if a side were required


def test_roles_say_who_takes_part_in_positions():
    """R2/R10: members take positions; adjuncts and speaking-right functions only speak."""
    assert Membership(role=Membership.Role.CHAIR).takes_part_in_positions
    assert Membership(role=Membership.Role.MEMBER).takes_part_in_positions
    adjunct = Membership(role=Membership.Role.ADJUNCT)
    assert adjunct.may_speak and not adjunct.takes_part_in_positions
    speaking = Membership(role=Membership.Role.SPEAKING_RIGHT)
    assert speaking.may_speak and not speaking.takes_part_in_positions
    assert not Membership(role=Membership.Role.SECRETARY).may_speak


def test_current_excludes_ended_and_future_memberships():
    today = datetime.date.today()
    current = make_membership(start_date=today - datetime.timedelta(days=10))
    make_membership(start_date=D(2020, 1, 1), end_date=today)
    make_membership(start_date=today + datetime.timedelta(days=5))
    assert list(Membership.objects.current()) == [current]


def test_ending_a_member_ends_their_substitutes_too():
    member = make_membership(start_date=D(2023, 1, 1))
    substitute = make_membership(
        council=member.council,
        organisation=member.organisation,
        role=Membership.Role.SUBSTITUTE,
        substitute_for=member,
        start_date=D(2023, 1, 1),
    )
    end_membership(membership=member, end_date=D(2025, 1, 1))
    substitute.refresh_from_db()
    assert member.end_date == substitute.end_date == D(2025, 1, 1)


def test_moving_an_end_date_earlier_moves_the_substitutes_end_too():
    member = make_membership(start_date=D(2023, 1, 1))
    substitute = make_membership(
        council=member.council,
        organisation=member.organisation,
        role=Membership.Role.SUBSTITUTE,
        substitute_for=member,
        start_date=D(2023, 1, 1),
    )
    end_membership(membership=member, end_date=D(2025, 6, 1))
    end_membership(membership=member, end_date=D(2025, 1, 1))
    substitute.refresh_from_db()
    assert substitute.end_date == D(2025, 1, 1)  # not left standing in for an ended seat


def test_every_change_is_kept_in_history():
    membership = make_membership(start_date=D(2023, 1, 1))
    membership.end(D(2025, 1, 1))
    assert membership.history.count() == 2
    latest, created = membership.history.all()[:2]
    delta = latest.diff_against(created)
    assert delta.changed_fields == ["end_date"]
