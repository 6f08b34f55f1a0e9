"""Small helpers that build test data; each takes only what the test cares about."""

import datetime
import itertools

from django.contrib.auth import get_user_model

from councils.models import Council, Membership, Organisation, Person

_counter = itertools.count(1)

PASSWORD = "secret-pass-123"  # every test user's password


def make_user(username=None, **extra):
    username = username or f"user{next(_counter)}"
    return get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.org", **extra
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


# --- Users in their roles (docs/roles.md) -------------------------------------------------------
# Every test builds its signed-in users with these, so that a role means the same in every test.


def make_user_with_role(
    role,
    council=None,
    username=None,
    organisation=None,
    side=Membership.Side.NOT_APPLICABLE,
):
    """A user with a person and a current membership of `role` in `council` (a new council if
    none) for `organisation` (a new municipality if none)."""
    user = make_user(username)
    organisation = organisation or make_organisation()
    person = make_person(given_name=user.username.title(), user=user, organisation=organisation)
    make_membership(person=person, council=council, role=role, organisation=organisation, side=side)
    return user


def make_secretariat_user(username="kansli", council=None):
    """The secretariat (kansliet): a secretary of `council`, else of the first regional council."""
    council = (
        council or Council.objects.filter(kind=Council.Kind.REGIONAL).first() or make_council()
    )
    return make_user_with_role(Membership.Role.SECRETARY, council=council, username=username)


def make_rus_group_user(username=None):
    """A member of the strategiska RUS-gruppen (the preparation council, R6)."""
    council = Council.objects.filter(kind=Council.Kind.PREPARATION).first() or make_council(
        name="Strategiska RUS-gruppen", kind=Council.Kind.PREPARATION
    )
    return make_user_with_role(Membership.Role.PREPARATION, council=council, username=username)


def make_chair_user(council=None, username=None):
    """The chair of `council` (a new council if none)."""
    return make_user_with_role(Membership.Role.CHAIR, council=council, username=username)


def make_member_user(council=None, username=None, organisation=None, side=None):
    """A council member (reads the registers, may not edit them) for the majority side."""
    return make_user_with_role(
        Membership.Role.MEMBER,
        council=council,
        username=username,
        organisation=organisation,
        side=side or Membership.Side.MAJORITY,
    )


def make_admin_user(username="root"):
    """A Django superuser (the admin); a superuser counts as the secretariat too."""
    return make_user(username, is_staff=True, is_superuser=True)
