"""Justering in Debian's chromium, with the axe-core check (R8).

The secretariat sends a complete draft for justering from the meeting page; the adjuster finds
it on the start page, reads it and approves ("Jag justerar protokollet"); the chair does the
same and the protocol is adjusted. The justering page has no serious or critical accessibility
violations, neither out for justering nor adjusted.
"""

import pytest

from meetings.models import Meeting
from protocols.models import Protocol
from tests.browser.test_agenda_flow import serious_violations
from tests.factories import PASSWORD
from tests.protocols.support import ready_draft, setting
from tests.protocols.test_protocol_browser import axe  # noqa: F401 - the fixture
from tests.support.browser import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def draft(transactional_db):
    world = setting()
    return world, ready_draft(world)


def sign_in_as(page, username):
    page.context.clear_cookies()
    log_in(page, username, PASSWORD)


def approve_from_the_start_page(page, meeting, username, axe_js):
    sign_in_as(page, username)
    page.get_by_role("link", name=meeting.title).first.click()
    page.wait_for_url(f"**/moten/{meeting.pk}/protokoll/v1/")
    assert serious_violations(page, axe_js) == []
    page.get_by_label("Jag har läst protokollet och justerar det.").check()
    page.get_by_role("button", name="Jag justerar protokollet").click()
    page.wait_for_url(f"**/moten/{meeting.pk}/protokoll/v1/")


def test_secretariat_sends_adjuster_and_chair_approve(browser_page, draft, axe):  # noqa: F811
    world, protocol = draft
    page = browser_page
    page.set_viewport_size({"width": 1200, "height": 1600})
    sign_in_as(page, world.secretariat.username)
    page.goto(f"/moten/{world.meeting.pk}/")
    page.locator("#protocol-panel").get_by_role("link", name="Skicka för justering").click()
    page.wait_for_url(f"**/moten/{world.meeting.pk}/protokoll/v1/")
    assert serious_violations(page, axe) == []
    page.get_by_role("button", name="Skicka för justering").click()
    page.get_by_text("Protokollet är skickat för justering").wait_for()
    protocol.refresh_from_db()
    assert protocol.is_sent

    approve_from_the_start_page(page, world.meeting, "ledamot", axe)
    page.get_by_text("Du har justerat protokollet.").wait_for()
    protocol.refresh_from_db()
    assert protocol.is_sent

    approve_from_the_start_page(page, world.meeting, "ordf", axe)
    page.get_by_text("Protokollet är justerat.").first.wait_for()
    assert serious_violations(page, axe) == []
    protocol = Protocol.objects.get(pk=protocol.pk)
    assert protocol.is_adjusted
    assert Meeting.objects.get(pk=world.meeting.pk).status == Meeting.Status.MINUTES_ADJUSTED

    page.get_by_role("link", name="Justeringslogg").click()
    page.get_by_role("cell", name="Protokollet justerat").wait_for()
