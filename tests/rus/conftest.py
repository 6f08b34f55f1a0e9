"""Fixtures shared by the strategy tests: the demo strategy, its plans, and two signed-in users.

Users are built with the role helpers in tests/factories.py.
"""

import pytest

from rus import demo
from tests.factories import make_member_user, make_secretariat_user


@pytest.fixture
def strategy(db):
    """The demo strategy with its adopted 2026 plan (R13)."""
    return demo.seed()


@pytest.fixture
def plan_2026(strategy):
    return strategy.plans.get(year=2026)


@pytest.fixture
def draft_2027(plan_2026):
    """Next year's draft, started from the adopted 2026 plan."""
    from rus.services import start_next_plan

    return start_next_plan(plan=plan_2026)


@pytest.fixture
def alice(client):
    """The secretariat (Alice Kansli), signed in on `client`: edits the strategy."""
    user = make_secretariat_user("alice")
    user.first_name, user.last_name = "Alice", "Kansli"
    user.save()
    client.force_login(user)
    return user


@pytest.fixture
def bob(client):
    """A council member, signed in on `client`: reads the strategy, may not edit it."""
    user = make_member_user(username="bob")
    client.force_login(user)
    return user
