"""The OParl page in Debian's chromium: an anonymous visitor goes from the archive's footer to
`/oparl/`, which passes axe, and from its example to the entry point's JSON (R15)."""

import pytest

from tests.browser.test_agenda_flow import serious_violations
from tests.protocols.archive_support import adjust, minuted_protocol
from tests.protocols.support import setting
from tests.protocols.test_protocol_browser import axe  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser


@pytest.fixture
def published(transactional_db):
    world = setting()
    world.council.publishes_protocols = True
    world.council.save()
    adjust(world, minuted_protocol(world))
    return world


def test_anyone_finds_the_open_data_page_and_its_entry_point(
    browser_page,
    published,
    axe,  # noqa: F811
):
    page = browser_page
    page.goto("/arkiv/")
    page.get_by_role("link", name="Öppna data (OParl)").click()
    page.wait_for_url("**/oparl/")
    page.get_by_role("heading", name="Öppna data: OParl-gränssnittet").wait_for()
    assert serious_violations(page, axe) == []
    entry_point = page.locator("pre code").first.inner_text().removeprefix("curl ").strip()
    response = page.request.get(entry_point)
    assert response.status == 200
    data = response.json()
    assert data["type"] == "https://schema.oparl.org/1.1/System"
    meetings = page.request.get(page.request.get(data["body"]).json()["data"][0]["meeting"])
    assert [m["name"] for m in meetings.json()["data"]] == [published.meeting.title]
