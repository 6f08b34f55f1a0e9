"""Council pages: list, detail (members, R2 check, RUS group), create and edit."""

import pytest
from django.urls import reverse

from councils.models import Council, Membership, Organisation
from tests.factories import make_council, make_membership, make_organisation, make_person

pytestmark = pytest.mark.django_db

K = Organisation.Kind


def detail_url(council):
    return reverse("councils:council_detail", args=[council.slug])


@pytest.mark.parametrize("name", ["council_list", "council_create"])
def test_anonymous_goes_to_login(client, name):
    response = client.get(reverse(f"councils:{name}"))
    assert response.status_code == 302
    assert response.url.startswith("/konto/logga-in/")


def test_anonymous_cannot_see_a_council(client, council):
    response = client.get(detail_url(council))
    assert response.status_code == 302
    assert response.url.startswith("/konto/logga-in/")


def test_member_sees_council_list(bob_client, council):
    response = bob_client.get(reverse("councils:council_list"))
    assert response.status_code == 200
    assert "Regionala samverkansrådet" in response.text
    assert "Nytt råd" not in response.text


def test_member_sees_members_grouped_by_organisation_and_side(bob_client, council):
    sundsvall = make_organisation("Sundsvalls kommun")
    make_membership(
        person=make_person("Maria", "Majoritetsson"),
        council=council,
        organisation=sundsvall,
        side=Membership.Side.MAJORITY,
    )
    make_membership(
        person=make_person("Olle", "Oppositionsson"),
        council=council,
        organisation=sundsvall,
        side=Membership.Side.OPPOSITION,
    )
    response = bob_client.get(detail_url(council))
    assert response.status_code == 200
    text = response.text
    assert "Sundsvalls kommun" in text
    assert text.index("Majoritet") < text.index("Maria Majoritetsson")
    assert text.index("Opposition") < text.index("Olle Oppositionsson")
    # Members read; only the secretariat sees edit links and the warnings.
    assert "Lägg till ledamot" not in text
    assert "Sammansättningen är inte komplett" not in text


def test_secretariat_sees_composition_warning(alice_client, council):
    timra = make_organisation("Timrå kommun")
    make_membership(council=council, organisation=timra, side=Membership.Side.MAJORITY)
    response = alice_client.get(detail_url(council))
    assert "Timrå kommun saknar ledamot för oppositionen" in response.text
    assert "Lägg till ledamot" in response.text


def test_adjuncts_speaking_right_and_rus_group_have_their_own_sections(bob_client, council):
    county = make_organisation("Länsstyrelsen Västernorrland", kind=K.COUNTY_BOARD)
    make_membership(
        person=make_person("Lena", "Landshövdingsson"),
        council=council,
        organisation=county,
        role=Membership.Role.ADJUNCT,
        function="Landshövding",
    )
    make_membership(
        person=make_person("Rolf", "Direktörsson"),
        council=council,
        role=Membership.Role.SPEAKING_RIGHT,
        function="Regiondirektör",
    )
    rus_group = make_council(name="Strategiska RUS-gruppen", kind=Council.Kind.PREPARATION)
    make_membership(
        person=make_person("Greta", "Beredningsson"), council=rus_group, role="preparation"
    )
    text = bob_client.get(detail_url(council)).text
    assert text.index("Adjungerade") < text.index("Lena Landshövdingsson")
    assert text.index("Funktioner med yttranderätt") < text.index("Rolf Direktörsson")
    assert "Beredning: Strategiska RUS-gruppen" in text
    assert "Greta Beredningsson" in text


def test_unknown_council_is_404(bob_client):
    assert bob_client.get("/rad/finns-inte/").status_code == 404


def _members(council, count):
    """`count` current members: majority and opposition seats in count // 2 municipalities,
    plus adjuncts, speaking-right functions and substitutes so every section is rendered."""
    roles = [
        (Membership.Role.MEMBER, Membership.Side.MAJORITY),
        (Membership.Role.MEMBER, Membership.Side.OPPOSITION),
        (Membership.Role.ADJUNCT, Membership.Side.NOT_APPLICABLE),
        (Membership.Role.SPEAKING_RIGHT, Membership.Side.NOT_APPLICABLE),
        (Membership.Role.SUBSTITUTE, Membership.Side.MAJORITY),
    ]
    seats = []
    for n in range(count):
        organisation = (
            make_organisation(f"Kommun {council.pk}-{n // 2}")
            if n % 2 == 0
            else seats[-1].organisation
        )
        role, side = roles[n % len(roles)]
        substitute_for = seats[n - 4] if role == Membership.Role.SUBSTITUTE else None
        seats.append(
            make_membership(
                council=council,
                organisation=organisation,
                role=role,
                side=side,
                substitute_for=substitute_for,
                function=f"Funktion {n}",
            )
        )
    return seats


@pytest.mark.parametrize("member_count", [5, 50])
def test_council_page_query_count_does_not_grow_with_members(
    alice_client, council, member_count, django_assert_num_queries
):
    """Pinned: the same queries for 5 and 50 members (R2 check and sections included; the
    form to add a member, with every person and organisation, only when asked for)."""
    _members(council, member_count)
    alice_client.get(detail_url(council))  # warm up: session, content types
    with django_assert_num_queries(9):
        response = alice_client.get(detail_url(council))
    assert response.status_code == 200
    assert f"Funktion {member_count - 1}" in response.text


@pytest.mark.parametrize("member_count", [5, 50])
def test_council_list_query_count_does_not_grow(
    bob_client, member_count, django_assert_num_queries
):
    for _ in range(member_count // 5):
        _members(make_council(), 2)
    with django_assert_num_queries(5):
        bob_client.get(reverse("councils:council_list"))


def test_member_cannot_create_a_council(bob_client):
    assert bob_client.get(reverse("councils:council_create")).status_code == 403
    response = bob_client.post(
        reverse("councils:council_create"), {"name": "X", "slug": "x", "kind": "broad"}
    )
    assert response.status_code == 403
    assert not Council.objects.filter(slug="x").exists()


def test_secretariat_creates_a_council(alice_client):
    response = alice_client.post(
        reverse("councils:council_create"),
        {
            "name": "Nytt forum",
            "slug": "nytt-forum",
            "kind": "broad",
            "cadence": "Två gånger per år",
        },
    )
    assert response.status_code == 302
    assert response.url == "/rad/nytt-forum/"
    assert Council.objects.get(slug="nytt-forum").name == "Nytt forum"


def test_invalid_council_form_keeps_input_and_shows_swedish_errors(alice_client, council):
    response = alice_client.post(
        reverse("councils:council_create"),
        {"name": "Regionala samverkansrådet", "slug": "annan", "kind": "broad"},
    )
    assert response.status_code == 200
    assert "finns redan" in response.text
    assert 'value="annan"' in response.text


def test_member_cannot_edit_a_council(bob_client, council):
    url = reverse("councils:council_edit", args=[council.slug])
    assert bob_client.get(url).status_code == 403
    assert (
        bob_client.post(
            url, {"name": "Ändrat", "slug": council.slug, "kind": "regional"}
        ).status_code
        == 403
    )
    council.refresh_from_db()
    assert council.name == "Regionala samverkansrådet"


def test_secretariat_edits_a_council(alice_client, council):
    url = reverse("councils:council_edit", args=[council.slug])
    assert alice_client.get(url).status_code == 200
    response = alice_client.post(
        url,
        {
            "name": council.name,
            "slug": council.slug,
            "kind": "regional",
            "cadence": "Varje månad",
            "version": council.version,
        },
    )
    assert response.status_code == 302
    council.refresh_from_db()
    assert council.cadence == "Varje månad"


def test_secretariat_sets_who_approves_and_how_the_kallelse_goes(alice_client, council):
    url = reverse("councils:council_edit", args=[council.slug])
    page = alice_client.get(url).text
    assert "kansliet får godkänna dagordningen för ordföranden" in page.lower()
    assert "bifoga kallelse med handlingar i kallelsemejlet" in page.lower()
    data = {"name": council.name, "slug": council.slug, "kind": "regional"}
    data["version"] = council.version
    data["attach_kallelse"] = "on"  # secretariat_may_approve_for_chair left unticked
    assert alice_client.post(url, data).status_code == 302
    council.refresh_from_db()
    assert council.attach_kallelse
    assert not council.secretariat_may_approve_for_chair
    detail = alice_client.get(detail_url(council)).text
    assert "Bara ordföranden" in detail
    assert "Bifogas kallelsemejlet" in detail


def test_anonymous_cannot_edit_a_council(client, council):
    response = client.post(reverse("councils:council_edit", args=[council.slug]), {})
    assert response.status_code == 302
    assert response.url.startswith("/konto/logga-in/")


def test_member_sees_composition_table_without_gap_markers(bob_client, council):
    timra = make_organisation("Timrå kommun")
    make_membership(
        person=make_person("Tage", "Timråsson"),
        council=council,
        organisation=timra,
        side=Membership.Side.MAJORITY,
    )
    text = bob_client.get(detail_url(council)).text
    assert "Sammansättning enligt strategiska planen" in text
    assert "Tage Timråsson" in text
    assert "Saknas" not in text


def test_broad_council_has_no_r2_check(alice_client):
    broad = make_council(name="Stora samverkansrådet", kind=Council.Kind.BROAD)
    make_organisation("Timrå kommun")
    text = alice_client.get(detail_url(broad)).text
    assert "Sammansättning enligt strategiska planen" not in text
    assert "saknar ledamot" not in text


def test_member_counts_leave_out_the_secretariat(alice, bob_client, council):
    response = bob_client.get(reverse("councils:council_list"))
    counts = {c.slug: c.member_count for c in response.context["councils"]}
    assert counts[council.slug] == 1  # bob; alice is secretariat
    assert "Ledamöter och funktioner (1)" in bob_client.get(detail_url(council)).text


def test_ended_memberships_are_listed_apart(bob_client, council):
    import datetime

    make_membership(
        person=make_person("Eja", "Entledigad"),
        council=council,
        side=Membership.Side.MAJORITY,
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2022, 12, 31),
    )
    text = bob_client.get(detail_url(council)).text
    assert "Avslutade uppdrag (1)" in text
    assert text.index("Avslutade uppdrag") < text.index("Eja Entledigad")


def test_council_form_errors_read_as_plain_swedish(alice_client, council):
    """Django's own texts said "Råd med detta Namn finns redan." and spoke of a 'slug'."""
    response = alice_client.post(
        reverse("councils:council_create"),
        {"name": "Regionala samverkansrådet", "slug": "nytt råd!", "kind": "broad"},
    )
    assert "Det finns redan ett råd med det namnet." in response.text
    assert "Kortadressen får bara innehålla bokstäver, siffror och bindestreck" in response.text
    assert "beståendes av" not in response.text  # Django's text about a 'slug'
    response = alice_client.post(
        reverse("councils:council_create"),
        {"name": "Annat råd", "slug": council.slug, "kind": "broad"},
    )
    assert "Ett annat råd har redan den kortadressen." in response.text


def test_form_to_add_a_member_is_loaded_when_asked_for(alice_client, council):
    """The council page links to the form (its selects list the whole register); htmx puts
    it in place, a plain link opens the council page with the form."""
    make_person("Nina", "Nyledamot")
    page = alice_client.get(detail_url(council)).text
    form_url = reverse("councils:membership_create", args=[council.slug])
    assert f'hx-get="{form_url}"' in page and f'href="{form_url}#lagg-till"' in page
    assert "Nyledamot" not in page
    fragment = alice_client.get(form_url, headers={"HX-Request": "true"}).text
    assert fragment.lstrip().startswith('<div id="add-member-form">')
    assert "Nyledamot" in fragment and 'name="csrfmiddlewaretoken"' in fragment
    full = alice_client.get(form_url)
    assert full.status_code == 200
    assert "Nyledamot" in full.text and "<h1>" in full.text


def test_member_may_not_open_the_form_to_add_a_member(bob_client, council):
    form_url = reverse("councils:membership_create", args=[council.slug])
    assert bob_client.get(form_url).status_code == 403
