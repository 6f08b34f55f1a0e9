import pytest

from tests.followups.support import adjusted_position
from tests.protocols.support import setting


@pytest.fixture
def world(db):
    return setting()


@pytest.fixture
def position(world):
    return adjusted_position(world)
