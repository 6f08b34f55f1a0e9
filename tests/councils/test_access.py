"""Roles follow from current memberships (docs/roles.md)."""

import datetime

import pytest

from councils.access import roles_for
from councils.models import Council, Membership
from tests.factories import (
    make_chair_user,
    make_council,
    make_member_user,
    make_membership,
    make_person,
    make_secretariat_user,
    make_user,
    make_user_with_role,
)

pytestmark = pytest.mark.django_db


def test_secretary_membership_makes_secretariat():
    user = make_secretariat_user()
    assert roles_for(user).is_secretariat


def test_ended_secretary_membership_gives_no_rights():
    user = make_user()
    person = make_person(user=user)
    make_membership(
        person=person,
        role=Membership.Role.SECRETARY,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )
    roles = roles_for(user)
    assert not roles.is_secretariat and not roles.is_member


def test_preparation_council_membership_makes_rus_group():
    rus_group = make_council(kind=Council.Kind.PREPARATION)
    user = make_user_with_role(Membership.Role.PREPARATION, council=rus_group)
    assert roles_for(user).is_rus_group


def test_chair_and_vice_chair_chair_their_council_only():
    council, other = make_council(), make_council()
    chair = make_chair_user(council)
    vice = make_user_with_role(Membership.Role.VICE_CHAIR, council=council)
    member = make_member_user(council)
    assert roles_for(chair).chairs(council) and not roles_for(chair).chairs(other)
    assert roles_for(vice).chairs(council)
    assert roles_for(member).sits_in(council) and not roles_for(member).chairs(council)


def test_superuser_is_secretariat():
    assert roles_for(make_user(is_superuser=True)).is_secretariat


def test_user_without_person_has_no_roles():
    roles = roles_for(make_user())
    assert roles.person is None and not roles.is_member and not roles.is_secretariat
