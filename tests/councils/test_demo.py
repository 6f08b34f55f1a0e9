"""The demo registers: R2, R3 and R6 memberships and the one R2 gap."""

import pytest
from django.urls import reverse

from councils import demo as councils_demo
from councils.access import roles_for
from councils.composition import check_composition
from councils.models import Council, Membership, Organisation, Person
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def users():
    return {name: make_user(name) for name in ["kansli", "ordforande", "ledamot", "rusgrupp"]}


def test_seed_is_idempotent(users):
    councils_demo.seed(users=users)
    counts = (Organisation.objects.count(), Person.objects.count(), Membership.objects.count())
    councils_demo.seed(users=users)
    assert counts == (
        Organisation.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
    )


def test_demo_leaves_exactly_the_timra_gap(demo):
    regional = Council.objects.get(slug="regionala-samverkansradet")
    composition = check_composition(regional)
    assert composition.warnings == ["Timrå kommun saknar ledamot för oppositionen"]
    assert len(composition.seats) == 8  # seven municipalities and the region
    assert composition.adjuncts[0].function == "Landshövding"
    functions = {m.function for m in composition.speaking_right}
    expected = {"Regiondirektör", "Regional utvecklingsdirektör", "Förbundsdirektör", "Kommunchef"}
    assert expected <= functions


def test_three_councils_with_their_kinds(demo):
    kinds = dict(Council.objects.values_list("slug", "kind"))
    assert kinds == {
        "regionala-samverkansradet": "regional",
        "stora-samverkansradet": "broad",
        "strategiska-rus-gruppen": "preparation",
    }


def test_broad_council_adds_agencies_university_business_and_civil_society(demo):
    broad = Council.objects.get(slug="stora-samverkansradet")
    memberships = Membership.objects.current().filter(council=broad)
    kinds = set(memberships.values_list("organisation__kind", flat=True))
    assert {"national_agency", "university", "business_promotion", "civil_society"} <= kinds


def test_demo_users_have_their_roles(demo):
    regional = Council.objects.get(slug="regionala-samverkansradet")
    assert roles_for(demo["kansli"]).is_secretariat
    assert roles_for(demo["ordforande"]).chairs(regional)
    ledamot = roles_for(demo["ledamot"])
    assert ledamot.sits_in(regional) and not ledamot.is_secretariat
    assert ledamot.person.organisation.kind == Organisation.Kind.MUNICIPALITY
    assert roles_for(demo["rusgrupp"]).is_rus_group


def test_demo_people_are_fictional(demo):
    assert all(p.email.endswith("@example.org") for p in Person.objects.all())


def test_demo_council_page_shows_the_warning_to_kansli(client, demo):
    client.force_login(demo["kansli"])
    response = client.get(reverse("councils:council_detail", args=["regionala-samverkansradet"]))
    assert "Timrå kommun saknar ledamot för oppositionen" in response.text


@pytest.mark.parametrize("model", ["organisation", "person", "council", "membership"])
def test_admin_works_for_every_model(admin_client, demo, model):
    assert admin_client.get(reverse(f"admin:councils_{model}_changelist")).status_code == 200
    obj = {
        "organisation": Organisation,
        "person": Person,
        "council": Council,
        "membership": Membership,
    }[model].objects.first()
    assert (
        admin_client.get(reverse(f"admin:councils_{model}_change", args=[obj.pk])).status_code
        == 200
    )
    assert (
        admin_client.get(reverse(f"admin:councils_{model}_history", args=[obj.pk])).status_code
        == 200
    )


def test_the_regional_council_attaches_its_kallelse_med_handlingar(demo):
    attaching = set(Council.objects.filter(attach_kallelse=True).values_list("slug", flat=True))
    assert attaching == {"regionala-samverkansradet"}
    assert all(Council.objects.values_list("secretariat_may_approve_for_chair", flat=True))
