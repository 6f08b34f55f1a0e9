"""Fixtures for the browser tests that run on the demo data."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def demo_data(transactional_db):
    """The demo data and users exactly as `make run` creates them (committed: the live server
    and the browser see them)."""
    call_command("seed_demo", force=True, stdout=StringIO())
