import pytest

from tests.protocols.support import setting


@pytest.fixture
def world(db):
    return setting()
