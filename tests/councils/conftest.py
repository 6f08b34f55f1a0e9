"""Fixtures shared by the register tests. Users are built with the role helpers in
tests/factories.py: `alice` is the secretariat, `bob` a member of `council`."""

import pytest

from councils.models import Organisation
from tests.factories import make_council, make_member_user, make_organisation, make_secretariat_user


@pytest.fixture
def council(db):
    return make_council(name="Regionala samverkansrådet", slug="regionala-samverkansradet")


@pytest.fixture
def alice(council):
    """Secretariat: edits the registers."""
    return make_secretariat_user("alice")


@pytest.fixture
def bob(council):
    """A council member: reads the registers."""
    return make_member_user(council=council, username="bob")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(client, bob):
    client.force_login(bob)
    return client


@pytest.fixture
def timra(db):
    return make_organisation("Timrå kommun", kind=Organisation.Kind.MUNICIPALITY)
