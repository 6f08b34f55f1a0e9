"""The SQLite fallback answers with the same rights as PostgreSQL's full-text search."""

import pytest

from search import selectors
from tests.search import test_search_rights as rights

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def containment(monkeypatch):
    monkeypatch.setattr(selectors, "uses_postgres", lambda: False)


@pytest.mark.parametrize("role", sorted(rights.FINDS))
def test_each_role_finds_the_same_with_containment(world, role):
    rights.test_each_role_finds_what_its_pages_show_and_nothing_else(world, role)


def test_a_draft_leaves_no_trace_with_containment(world):
    results = selectors.search(world.member_b, rights.DRAFT_WORD)
    assert (results.total, results.counts, results.hits) == (0, {}, [])
