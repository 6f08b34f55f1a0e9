"""Adding, editing and ending memberships from the council page; only the secretariat edits."""

import datetime

import pytest
from django.urls import reverse

from councils.models import Membership, Organisation
from tests.factories import make_council, make_membership, make_organisation, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(timra):
    return make_person("Tova", "Timråsson", organisation=timra)


def add_url(council):
    return reverse("councils:membership_create", args=[council.slug])


def form_data(person, **overrides):
    data = {
        "person": person.pk,
        "organisation": person.organisation_id,
        "role": "member",
        "side": "opposition",
        "start_date": "2026-01-01",
        "end_date": "",
        "function": "",
        "substitute_for": "",
    }
    data.update(overrides)
    return data


def test_secretariat_adds_a_member_with_a_plain_post(alice_client, council, person):
    response = alice_client.post(add_url(council), form_data(person))
    assert response.status_code == 302
    assert response.url == "/rad/regionala-samverkansradet/#ledamoter"
    membership = Membership.objects.get(person=person)
    assert membership.side == Membership.Side.OPPOSITION
    assert membership.start_date == datetime.date(2026, 1, 1)


def test_secretariat_adds_a_member_with_htmx_and_gets_the_updated_list(
    alice_client, council, person
):
    response = alice_client.post(add_url(council), form_data(person), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="register">')
    assert "Tova Timråsson är tillagd i Regionala samverkansrådet." in response.text
    assert "<html" not in response.text


def test_organisation_defaults_to_the_persons_own(alice_client, council, person):
    alice_client.post(add_url(council), form_data(person, organisation=""))
    assert Membership.objects.get(person=person).organisation.name == "Timrå kommun"


def test_invalid_membership_shows_swedish_errors_and_keeps_input(alice_client, council, person):
    response = alice_client.post(
        add_url(council),
        form_data(person, side="not_applicable", end_date="2025-01-01", function="Kommunalråd"),
    )
    assert response.status_code == 422
    assert "Ange majoritet eller opposition" in response.text
    assert "Slutdatum måste vara efter startdatum." in response.text
    assert 'value="Kommunalråd"' in response.text
    assert not Membership.objects.filter(person=person).exists()


def test_htmx_errors_come_back_as_the_partial(alice_client, council, person):
    response = alice_client.post(
        add_url(council), form_data(person, side="not_applicable"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200  # htmx swaps only 2xx responses by default
    assert "<html" not in response.text
    assert "Ange majoritet eller opposition" in response.text


def test_overlapping_membership_is_refused_in_the_form(alice_client, council, person, timra):
    make_membership(person=person, council=council, organisation=timra, side="opposition")
    response = alice_client.post(add_url(council), form_data(person))
    assert response.status_code == 422
    assert Membership.objects.filter(person=person).count() == 1


def test_substitute_is_linked_to_the_member_they_stand_in_for(alice_client, council, timra):
    member = make_membership(council=council, organisation=timra, side="majority")
    substitute = make_person("Sara", "Suppleantsson", organisation=timra)
    response = alice_client.post(
        add_url(council),
        form_data(substitute, role="substitute", side="majority", substitute_for=member.pk),
    )
    assert response.status_code == 302
    assert Membership.objects.get(person=substitute).substitute_for == member
    page = alice_client.get(reverse("councils:council_detail", args=[council.slug])).text
    assert f"ersättare för {member.person.full_name}" in page


def test_member_cannot_add_members(bob_client, council, person):
    response = bob_client.post(add_url(council), form_data(person))
    assert response.status_code == 403
    assert not Membership.objects.filter(person=person).exists()


def test_anonymous_cannot_add_members(client, council, person):
    response = client.post(add_url(council), form_data(person))
    assert response.status_code == 302
    assert response.url.startswith("/konto/logga-in/")
    assert not Membership.objects.filter(person=person).exists()


def test_secretariat_edits_a_membership(alice_client, council, person, timra):
    membership = make_membership(
        person=person, council=council, organisation=timra, side="majority"
    )
    url = reverse("councils:membership_edit", args=[membership.pk])
    assert alice_client.get(url).status_code == 200
    response = alice_client.post(
        url,
        form_data(
            person,
            start_date="2023-01-01",
            function="Kommunstyrelsens ordförande",
            version=membership.version,
        ),
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.side == "opposition"
    assert membership.function == "Kommunstyrelsens ordförande"


def test_member_cannot_edit_a_membership(bob_client, council, person, timra):
    membership = make_membership(
        person=person, council=council, organisation=timra, side="majority"
    )
    url = reverse("councils:membership_edit", args=[membership.pk])
    assert bob_client.get(url).status_code == 403
    assert bob_client.post(url, form_data(person)).status_code == 403
    membership.refresh_from_db()
    assert membership.side == "majority"


def test_ending_a_membership_sets_its_end_date(alice_client, council, person, timra):
    membership = make_membership(
        person=person, council=council, organisation=timra, side="majority"
    )
    url = reverse("councils:membership_end", args=[membership.pk])
    assert alice_client.get(url).status_code == 200
    response = alice_client.post(url, {"end_date": "2026-06-30", "version": membership.version})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end_date == datetime.date(2026, 6, 30)
    assert Membership.objects.filter(pk=membership.pk).exists()  # kept, not deleted


def test_end_date_before_start_is_refused(alice_client, council, person, timra):
    membership = make_membership(
        person=person, council=council, organisation=timra, side="majority"
    )
    response = alice_client.post(
        reverse("councils:membership_end", args=[membership.pk]),
        {"end_date": "2022-01-01", "version": membership.version},
    )
    assert response.status_code == 200
    assert "Slutdatum måste vara efter startdatum." in response.text
    membership.refresh_from_db()
    assert membership.end_date is None


def test_member_cannot_end_a_membership(bob_client, council, person, timra):
    membership = make_membership(
        person=person, council=council, organisation=timra, side="majority"
    )
    response = bob_client.post(
        reverse("councils:membership_end", args=[membership.pk]), {"end_date": "2026-06-30"}
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.end_date is None


def test_ended_member_leaves_the_council_page(alice_client, council, person, timra):
    membership = make_membership(
        person=person, council=council, organisation=timra, side="majority"
    )
    alice_client.post(
        reverse("councils:membership_end", args=[membership.pk]),
        {"end_date": datetime.date.today().isoformat(), "version": membership.version},
    )
    page = alice_client.get(reverse("councils:council_detail", args=[council.slug])).text
    members_section = page[page.index('id="ledamoter"') : page.index("Avslutade uppdrag")]
    assert f'href="/personer/{person.pk}/"' not in members_section
    assert "Avslutade uppdrag (1)" in page


def test_membership_of_an_inactive_person_can_still_be_edited(alice_client, council, person, timra):
    membership = make_membership(
        person=person, council=council, organisation=timra, side="majority"
    )
    person.active = False
    person.save()
    response = alice_client.post(
        reverse("councils:membership_edit", args=[membership.pk]),
        form_data(person, start_date="2023-01-01", version=membership.version),
    )
    assert response.status_code == 302


def test_inactive_people_are_not_offered_for_new_seats(alice_client, council, timra):
    make_person("Inge", "Inaktiv", organisation=timra, active=False)
    page = alice_client.get(reverse("councils:council_detail", args=[council.slug])).text
    assert "Inge Inaktiv" not in page


def test_a_seat_ending_later_says_when_it_ends_not_through_which_day(
    alice_client, council, person, timra
):
    """end_date is the first day without the seat (Membership.end): "t.o.m." was a day late."""
    make_membership(
        person=person,
        council=council,
        organisation=timra,
        side="majority",
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2099, 6, 30),
    )
    page = alice_client.get(reverse("councils:council_detail", args=[council.slug])).text
    assert "avslutas 2099-06-30" in page
    assert "t.o.m. 2099-06-30" not in page


def test_substitute_takes_the_side_of_the_member_they_stand_in_for(alice_client, council, timra):
    member = make_membership(council=council, organisation=timra, side="opposition")
    substitute = make_person("Sara", "Suppleantsson", organisation=timra)
    response = alice_client.post(
        add_url(council),
        form_data(substitute, role="substitute", side="not_applicable", substitute_for=member.pk),
    )
    assert response.status_code == 302
    assert Membership.objects.get(person=substitute).side == "opposition"


def test_substitute_for_the_other_side_is_refused(alice_client, council, timra):
    member = make_membership(council=council, organisation=timra, side="opposition")
    substitute = make_person("Sara", "Suppleantsson", organisation=timra)
    response = alice_client.post(
        add_url(council),
        form_data(substitute, role="substitute", side="majority", substitute_for=member.pk),
    )
    assert response.status_code == 422
    assert (
        "En ersättare står för samma sida som ledamoten den ersätter (opposition)." in response.text
    )
    assert not Membership.objects.filter(person=substitute).exists()


def test_end_form_offers_the_end_date_already_set(alice_client, council, person, timra):
    membership = make_membership(
        person=person,
        council=council,
        organisation=timra,
        side="majority",
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2099, 6, 30),
    )
    page = alice_client.get(reverse("councils:membership_end", args=[membership.pk])).text
    assert 'value="2099-06-30"' in page
    assert "Uppdraget avslutas redan 2099-06-30." in page


def test_majority_or_opposition_for_an_organisation_without_elected_seats_is_refused(
    alice_client, council
):
    """Only municipalities and the region have a majority and an opposition (R2)."""
    almi = make_organisation("Almi Företagspartner Mitt", kind=Organisation.Kind.BUSINESS_PROMOTION)
    person = make_person("Ingrid", "Företagsdotter", organisation=almi)
    response = alice_client.post(add_url(council), form_data(person, side="opposition"))
    assert response.status_code == 422
    assert "Majoritet och opposition gäller bara förtroendevalda" in response.text
    assert not Membership.objects.filter(person=person).exists()
    response = alice_client.post(add_url(council), form_data(person, side="not_applicable"))
    assert response.status_code == 302


def test_add_form_in_the_rus_group_proposes_the_preparation_role(alice_client):
    rus_group = make_council(name="Strategiska RUS-gruppen", kind="preparation")
    page = alice_client.get(reverse("councils:membership_create", args=[rus_group.slug]))
    assert page.context["form"]["role"].value() == Membership.Role.PREPARATION


def test_end_date_set_in_the_edit_form_ends_the_substitutes_too(alice_client, council, timra):
    member = make_membership(council=council, organisation=timra, side="majority")
    substitute = make_membership(
        council=council,
        organisation=timra,
        role="substitute",
        side="majority",
        substitute_for=member,
    )
    response = alice_client.post(
        reverse("councils:membership_edit", args=[member.pk]),
        form_data(
            member.person,
            side="majority",
            start_date="2023-01-01",
            end_date="2026-06-30",
            version=member.version,
        ),
    )
    assert response.status_code == 302
    substitute.refresh_from_db()
    assert substitute.end_date == datetime.date(2026, 6, 30)
