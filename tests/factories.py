"""Small helpers that build test data; each takes only what the test cares about."""

import datetime
import itertools

from django.contrib.auth import get_user_model

from councils.models import Council, Membership, Organisation, Person

_counter = itertools.count(1)


def make_user(username=None, **extra):
    username = username or f"user{next(_counter)}"
    return get_user_model().objects.create_user(
        username=username, password="secret-pass-123", email=f"{username}@example.org", **extra
    )


def make_organisation(name=None, kind=Organisation.Kind.MUNICIPALITY, **extra):
    return Organisation.objects.create(name=name or f"Kommun {next(_counter)}", kind=kind, **extra)


def make_person(given_name="Alice", family_name=None, user=None, organisation=None, **extra):
    return Person.objects.create(
        given_name=given_name,
        family_name=family_name or f"Testsson{next(_counter)}",
        user=user,
        organisation=organisation,
        **extra,
    )


def make_council(name=None, kind=Council.Kind.REGIONAL, **extra):
    n = next(_counter)
    return Council.objects.create(
        name=name or f"Råd {n}", slug=extra.pop("slug", f"rad-{n}"), kind=kind, **extra
    )


def make_membership(
    person=None,
    council=None,
    role=Membership.Role.MEMBER,
    organisation=None,
    side=Membership.Side.NOT_APPLICABLE,
    start_date=None,
    **extra,
):
    organisation = organisation or (person and person.organisation) or make_organisation()
    return Membership.objects.create(
        person=person or make_person(organisation=organisation),
        council=council or make_council(),
        organisation=organisation,
        role=role,
        side=side,
        start_date=start_date or datetime.date(2023, 1, 1),
        **extra,
    )


def make_user_with_role(role, council=None, username=None, organisation=None):
    """A signed-in user with a current membership of the given role (and a person)."""
    user = make_user(username)
    organisation = organisation or make_organisation()
    person = make_person(given_name=user.username.title(), user=user, organisation=organisation)
    make_membership(person=person, council=council, role=role, organisation=organisation)
    return user


def make_secretariat_user(username="kansli"):
    council = Council.objects.filter(kind=Council.Kind.REGIONAL).first() or make_council()
    return make_user_with_role(Membership.Role.SECRETARY, council=council, username=username)


def make_member_user(council=None, username=None, organisation=None, side=None):
    """A signed-in council member (reads the registers, may not edit them)."""
    user = make_user(username)
    organisation = organisation or make_organisation()
    person = make_person(given_name=user.username.title(), user=user, organisation=organisation)
    make_membership(
        person=person,
        council=council,
        organisation=organisation,
        side=side or Membership.Side.MAJORITY,
    )
    return user
