"""Organisation and person pages: members read, the secretariat creates and edits."""

import datetime

import pytest
from django.urls import reverse

from councils.models import Membership, Organisation, Person
from tests.factories import make_council, make_membership, make_organisation, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def kramfors():
    return make_organisation("Kramfors kommun", short_name="Kramfors")


@pytest.fixture
def person(kramfors):
    return make_person("Kerstin", "Kramforsson", organisation=kramfors, email="k@example.org")


# --- access ---------------------------------------------------------------------------------

READ_PAGES = [
    ("organisation_list", None),
    ("organisation_detail", "organisation"),
    ("person_list", None),
    ("person_detail", "person"),
]
EDIT_PAGES = [
    ("organisation_create", None),
    ("organisation_edit", "organisation"),
    ("person_create", None),
    ("person_edit", "person"),
]


def url_for(name, arg, person):
    if arg is None:
        return reverse(f"councils:{name}")
    obj = person.organisation if arg == "organisation" else person
    return reverse(f"councils:{name}", args=[obj.pk])


@pytest.mark.parametrize(("name", "arg"), READ_PAGES + EDIT_PAGES)
def test_anonymous_goes_to_login(client, person, name, arg):
    response = client.get(url_for(name, arg, person))
    assert response.status_code == 302
    assert response.url.startswith("/konto/logga-in/")


@pytest.mark.parametrize(("name", "arg"), READ_PAGES)
def test_member_reads(bob_client, person, name, arg):
    response = bob_client.get(url_for(name, arg, person))
    assert response.status_code == 200
    assert "Ändra" not in response.text
    assert "Historik" not in response.text


@pytest.mark.parametrize(("name", "arg"), EDIT_PAGES)
def test_member_may_not_edit(bob_client, person, name, arg):
    url = url_for(name, arg, person)
    assert bob_client.get(url).status_code == 403
    assert bob_client.post(url, {"name": "X", "given_name": "X"}).status_code == 403


@pytest.mark.parametrize(("name", "arg"), READ_PAGES + EDIT_PAGES)
def test_secretariat_opens_every_page(alice_client, person, name, arg):
    assert alice_client.get(url_for(name, arg, person)).status_code == 200


# --- organisations ----------------------------------------------------------------------------


def test_secretariat_creates_an_organisation(alice_client):
    response = alice_client.post(
        reverse("councils:organisation_create"),
        {"name": "Region Västernorrland", "short_name": "RVN", "kind": "region", "website": ""},
    )
    organisation = Organisation.objects.get(name="Region Västernorrland")
    assert response.status_code == 302
    assert response.url == organisation.get_absolute_url()


def test_duplicate_organisation_name_is_refused_in_swedish(alice_client, kramfors):
    response = alice_client.post(
        reverse("councils:organisation_create"), {"name": "Kramfors kommun", "kind": "municipality"}
    )
    assert response.status_code == 200
    assert "finns redan" in response.text
    assert Organisation.objects.filter(name="Kramfors kommun").count() == 1


def test_secretariat_edits_an_organisation(alice_client, kramfors):
    response = alice_client.post(
        reverse("councils:organisation_edit", args=[kramfors.pk]),
        {
            "name": "Kramfors kommun",
            "kind": "municipality",
            "website": "kramfors.se",
            "version": kramfors.version,
        },
    )
    assert response.status_code == 302
    kramfors.refresh_from_db()
    assert kramfors.website == "https://kramfors.se"


def test_member_edit_changes_nothing(bob_client, kramfors):
    bob_client.post(
        reverse("councils:organisation_edit", args=[kramfors.pk]),
        {"name": "Annat namn", "kind": "municipality"},
    )
    kramfors.refresh_from_db()
    assert kramfors.name == "Kramfors kommun"


def test_organisation_page_lists_current_seats_and_people(bob_client, person, council):
    make_membership(
        person=person, council=council, organisation=person.organisation, side="majority"
    )
    text = bob_client.get(person.organisation.get_absolute_url()).text
    assert "Kerstin Kramforsson" in text
    assert council.name in text


def test_organisation_list_query_count_is_constant(bob_client, django_assert_max_num_queries):
    for n in range(30):
        make_person(organisation=make_organisation(f"Org {n}"))
    with django_assert_max_num_queries(5):
        response = bob_client.get(reverse("councils:organisation_list"))
    assert "Org 29" in response.text


# --- people -----------------------------------------------------------------------------------


def test_person_search_matches_name_and_organisation(bob_client, person):
    make_person("Sune", "Sundsvallsson", organisation=make_organisation("Sundsvalls kommun"))
    response = bob_client.get(reverse("councils:person_list"), {"q": "kramfors"})
    assert "Kramforsson" in response.text
    assert "Sundsvallsson" not in response.text
    response = bob_client.get(reverse("councils:person_list"), {"q": "Sune Sundsvall"})
    assert "Sundsvallsson" in response.text
    assert "Kramforsson" not in response.text


def test_person_search_with_htmx_returns_only_the_results(bob_client, person):
    response = bob_client.get(
        reverse("councils:person_list"), {"q": "Kerstin"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="results"')
    assert "Kramforsson" in response.text


def test_person_list_query_count_is_constant(bob_client, django_assert_max_num_queries):
    organisation = make_organisation()
    for _ in range(60):
        make_person(organisation=organisation)
    with django_assert_max_num_queries(6):
        response = bob_client.get(reverse("councils:person_list"))
    assert "Sida 1 av 2" in response.text


def test_person_page_shows_memberships_over_time(bob_client, person):
    old = make_council(name="Gamla rådet")
    current = make_council(name="Nya rådet")
    make_membership(
        person=person,
        council=old,
        organisation=person.organisation,
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2022, 12, 31),
    )
    make_membership(person=person, council=current, organisation=person.organisation)
    text = bob_client.get(person.get_absolute_url()).text
    assert "Gamla rådet" in text and "Avslutat" in text
    assert "Nya rådet" in text and "Pågående" in text
    assert text.index("Nya rådet") < text.index("Gamla rådet")  # newest first


def test_secretariat_creates_a_person(alice_client, kramfors):
    response = alice_client.post(
        reverse("councils:person_create"),
        {
            "given_name": "Nora",
            "family_name": "Nykvist",
            "email": "nora@example.org",
            "organisation": kramfors.pk,
            "active": "on",
        },
    )
    person = Person.objects.get(email="nora@example.org")
    assert response.status_code == 302
    assert response.url == person.get_absolute_url()


def test_email_already_used_is_refused(alice_client, person):
    response = alice_client.post(
        reverse("councils:person_create"),
        {"given_name": "Ny", "family_name": "Person", "email": "K@example.org"},
    )
    assert response.status_code == 200
    assert "Det finns redan en person med den e-postadressen." in response.text
    assert 'value="Ny"' in response.text


def test_secretariat_edits_a_person(alice_client, person):
    response = alice_client.post(
        reverse("councils:person_edit", args=[person.pk]),
        {
            "given_name": "Kerstin",
            "family_name": "Kramforsson",
            "email": "k@example.org",
            "title": "Kommunalråd",
            "organisation": person.organisation_id,
            "active": "on",
            "version": person.version,
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.title == "Kommunalråd"


def test_member_cannot_deactivate_a_person(bob_client, person):
    bob_client.post(
        reverse("councils:person_edit", args=[person.pk]),
        {"given_name": "Kerstin", "family_name": "Kramforsson"},
    )
    person.refresh_from_db()
    assert person.active


def test_nav_and_start_page_link_the_registers(bob_client, council):
    text = bob_client.get("/").text
    assert 'href="/rad/"' in text
    assert 'href="/organisationer/"' in text
    assert 'href="/personer/"' in text
    assert council.name in text


def test_start_page_shows_composition_warning_to_secretariat_only(client, council):
    from tests.factories import make_member_user, make_secretariat_user

    make_membership(
        council=council,
        organisation=make_organisation("Timrå kommun"),
        side=Membership.Side.MAJORITY,
    )
    client.force_login(make_member_user(council=council, username="bob"))
    assert "Timrå kommun saknar ledamot för oppositionen" not in client.get("/").text
    client.force_login(make_secretariat_user("alice"))
    assert "Timrå kommun saknar ledamot för oppositionen" in client.get("/").text


def test_secretariat_links_a_user_account_and_roles_follow(alice_client, council, person):
    from councils.access import roles_for
    from tests.factories import make_user

    user = make_user("kerstin")
    make_membership(
        person=person, council=council, organisation=person.organisation, side="majority"
    )
    response = alice_client.post(
        reverse("councils:person_edit", args=[person.pk]),
        {
            "given_name": "Kerstin",
            "family_name": "Kramforsson",
            "email": "k@example.org",
            "organisation": person.organisation_id,
            "user": user.pk,
            "active": "on",
            "version": person.version,
        },
    )
    assert response.status_code == 302
    assert roles_for(user).sits_in(council)
    assert "Användarkonto" in alice_client.get(person.get_absolute_url()).text


@pytest.mark.parametrize("count", [3, 30])
def test_detail_pages_query_counts_do_not_grow(
    bob_client, kramfors, count, django_assert_max_num_queries
):
    person = make_person(organisation=kramfors)
    for n in range(count):
        make_membership(
            person=person if n % 2 else make_person(organisation=kramfors),
            council=make_council(),
            organisation=kramfors,
        )
    with django_assert_max_num_queries(8):
        bob_client.get(kramfors.get_absolute_url())
    with django_assert_max_num_queries(7):
        bob_client.get(person.get_absolute_url())


def test_new_person_from_the_council_page_returns_there(alice_client, council, kramfors):
    page = alice_client.get(reverse("councils:council_detail", args=[council.slug])).text
    assert "/personer/ny/?next=/rad/regionala-samverkansradet/%23lagg-till" in page
    response = alice_client.post(
        reverse("councils:person_create"),
        {
            "given_name": "Ny",
            "family_name": "Ledamot",
            "organisation": kramfors.pk,
            "active": "on",
            "next": "/rad/regionala-samverkansradet/#lagg-till",
        },
    )
    assert response.url == "/rad/regionala-samverkansradet/#lagg-till"


def test_next_to_another_site_is_ignored(alice_client, kramfors):
    response = alice_client.post(
        reverse("councils:person_create"),
        {
            "given_name": "Ny",
            "family_name": "Person",
            "active": "on",
            "next": "https://evil.example",
        },
    )
    assert response.url == Person.objects.get(family_name="Person").get_absolute_url()


def test_duplicate_organisation_name_reads_as_plain_swedish(alice_client, kramfors):
    """Django's own text was "Organisation med detta Namn finns redan."."""
    response = alice_client.post(
        reverse("councils:organisation_create"), {"name": "Kramfors kommun", "kind": "municipality"}
    )
    assert "Det finns redan en organisation med det namnet." in response.text
    assert "med detta Namn" not in response.text


@pytest.mark.parametrize(
    ("url_name", "args", "section"),
    [
        ("councils:council_list", [], "Råd"),
        ("councils:council_detail", ["regionala-samverkansradet"], "Råd"),
        ("councils:import_upload", ["regionala-samverkansradet"], "Råd"),
        ("councils:organisation_detail", ["KRAMFORS"], "Organisationer"),
        ("councils:organisation_edit", ["KRAMFORS"], "Organisationer"),
        ("councils:person_detail", ["PERSON"], "Personer"),
        ("rus:plan_list", [], "Strategi"),
    ],
)
def test_navigation_marks_the_section_on_its_detail_pages_too(
    alice_client, council, person, url_name, args, section
):
    ids = {"KRAMFORS": person.organisation_id, "PERSON": person.pk}
    page = alice_client.get(reverse(url_name, args=[ids.get(a, a) for a in args])).text
    nav = page[: page.index("<main")]
    assert nav.count('aria-current="page"') == 1
    assert f'aria-current="page">{section}</a>' in nav


def test_an_account_already_linked_to_someone_else_is_not_offered(alice_client, person, kramfors):
    """One person per account: the choice lists only free accounts (and the person's own)."""
    from tests.factories import make_user

    taken = make_user("kerstin")
    make_person("Karin", "Kontosson", organisation=kramfors, user=taken)
    free = make_user("fria")
    url = reverse("councils:person_edit", args=[person.pk])
    form = alice_client.get(url).context["form"]
    assert list(form.fields["user"].queryset) == [free]
    response = alice_client.post(
        url,
        {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "organisation": kramfors.pk,
            "user": taken.pk,
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.text
    person.refresh_from_db()
    assert person.user is None
