"""Privacy of the registers: names and organisations are for every signed-in user, contact
details are not. The secretariat sees every e-mail address and phone number; a member those of
the members of their own councils; a signed-in user without a seat no one's (pages, search and
exports)."""

import pytest
from django.urls import reverse

from tests.factories import (
    make_council,
    make_member_user,
    make_membership,
    make_person,
    make_secretariat_user,
    make_user,
)

pytestmark = pytest.mark.django_db

EMAIL, PHONE = "karin.kontakt@example.org", "070-123 45 67"


@pytest.fixture
def world():
    own, other = make_council(), make_council()
    karin = make_person("Karin", "Kontakt", email=EMAIL, phone=PHONE)
    make_membership(person=karin, council=own, side="majority")
    return {
        "karin": karin,
        "own": own,
        "secretariat": make_secretariat_user("kansli"),
        "colleague": make_member_user(council=own, username="kollega"),
        "other_member": make_member_user(council=other, username="annan"),
        "seatless": make_user("utan-plats"),
    }


def _pages(client, world):
    detail = client.get(world["karin"].get_absolute_url()).content.decode()
    listing = client.get(reverse("councils:person_list")).content.decode()
    return detail + listing


@pytest.mark.parametrize(
    "role, sees",
    [("secretariat", True), ("colleague", True), ("other_member", False), ("seatless", False)],
)
def test_contact_details_per_role(client, world, role, sees):
    client.force_login(world[role])
    pages = _pages(client, world)
    assert "Karin" in pages  # the name is for everyone
    assert (EMAIL in pages) is sees
    assert (PHONE in pages) is sees


@pytest.mark.parametrize(
    "role, finds", [("secretariat", True), ("colleague", True), ("seatless", False)]
)
def test_search_by_address_only_where_the_address_shows(client, world, role, finds):
    """No probing for a hidden address through the search."""
    client.force_login(world[role])
    response = client.get(reverse("councils:person_list"), {"q": "karin.kontakt@"})
    assert ("Kontakt, Karin" in response.content.decode()) is finds


@pytest.mark.parametrize(
    "role, status", [("secretariat", 200), ("colleague", 403), ("seatless", 403)]
)
def test_exports_with_contact_details_are_for_the_secretariat(client, world, role, status):
    client.force_login(world[role])
    response = client.get(reverse("councils:council_export_csv", args=[world["own"].slug]))
    assert response.status_code == status
    if status == 200:
        assert EMAIL in response.content.decode()
