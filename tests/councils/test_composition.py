"""The R2 composition check of Regionala samverkansrådet."""

import datetime

import pytest

from councils.composition import check_composition
from councils.models import Council, Membership, Organisation
from tests.factories import make_council, make_membership, make_organisation, make_person

pytestmark = pytest.mark.django_db

K = Organisation.Kind
MAJ, OPP = Membership.Side.MAJORITY, Membership.Side.OPPOSITION


@pytest.fixture
def regional():
    return make_council(kind=Council.Kind.REGIONAL)


@pytest.fixture
def county_adjunct(regional):
    county = make_organisation("Länsstyrelsen Västernorrland", kind=K.COUNTY_BOARD)
    return make_membership(council=regional, organisation=county, role=Membership.Role.ADJUNCT)


def seat(council, organisation, side, role=Membership.Role.MEMBER, **extra):
    return make_membership(
        person=make_person(organisation=organisation),
        council=council,
        organisation=organisation,
        role=role,
        side=side,
        **extra,
    )


def test_complete_council_has_no_warnings(regional, county_adjunct):
    region = make_organisation("Region Västernorrland", kind=K.REGION)
    timra = make_organisation("Timrå kommun")
    seat(regional, region, MAJ, role=Membership.Role.CHAIR)
    seat(regional, region, OPP)
    seat(regional, timra, MAJ, role=Membership.Role.VICE_CHAIR)
    seat(regional, timra, OPP)

    composition = check_composition(regional)

    assert composition.warnings == []
    assert composition.complete
    assert [s.organisation for s in composition.seats] == [region, timra]  # the region first


def test_missing_opposition_member_gives_a_swedish_warning(regional, county_adjunct):
    timra = make_organisation("Timrå kommun")
    seat(regional, timra, MAJ)

    composition = check_composition(regional)

    assert composition.warnings == ["Timrå kommun saknar ledamot för oppositionen"]


def test_municipality_without_members_misses_both_sides(regional, county_adjunct):
    make_organisation("Ånge kommun")
    warnings = check_composition(regional).warnings
    assert warnings == [
        "Ånge kommun saknar ledamot för majoriteten",
        "Ånge kommun saknar ledamot för oppositionen",
    ]


def test_ended_substitute_and_speaking_right_seats_do_not_count(regional, county_adjunct):
    timra = make_organisation("Timrå kommun")
    seat(regional, timra, MAJ)
    seat(
        regional,
        timra,
        OPP,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2022, 1, 1),
    )
    seat(regional, timra, OPP, role=Membership.Role.SUBSTITUTE)
    seat(regional, timra, Membership.Side.NOT_APPLICABLE, role=Membership.Role.SPEAKING_RIGHT)

    assert check_composition(regional).warnings == ["Timrå kommun saknar ledamot för oppositionen"]


def test_member_of_another_council_does_not_fill_the_seat(regional, county_adjunct):
    timra = make_organisation("Timrå kommun")
    seat(regional, timra, MAJ)
    seat(make_council(kind=Council.Kind.BROAD), timra, OPP)
    assert "Timrå kommun saknar ledamot för oppositionen" in check_composition(regional).warnings


def test_lists_adjuncts_and_speaking_right_functions(regional, county_adjunct):
    partnership = make_organisation(
        "Strukturfondspartnerskapet Mellersta Norrland", kind=K.STRUCTURAL_FUND_PARTNERSHIP
    )
    chair = make_membership(
        council=regional,
        organisation=partnership,
        role=Membership.Role.SPEAKING_RIGHT,
        function="Ordförande i Strukturfondspartnerskapet",
    )
    composition = check_composition(regional)
    assert composition.adjuncts == [county_adjunct]
    assert composition.speaking_right == [chair]


def test_missing_county_board_adjunct_is_a_warning(regional):
    assert check_composition(regional).warnings == [
        "Länsstyrelsens ledning (landshövding eller länsråd) är inte adjungerad"
    ]


def test_check_runs_a_constant_number_of_queries(
    regional, county_adjunct, django_assert_num_queries
):
    for n in range(10):
        municipality = make_organisation(f"Kommun {n}")
        seat(regional, municipality, MAJ)
        seat(regional, municipality, OPP)
    with django_assert_num_queries(2):
        check_composition(regional)
