"""Minute-taking in Debian's chromium, with the axe-core check (R8, R10, R11).

The secretariat opens the minutes of a meeting under way, minutes an information item, a
position reached by consensus with the dissent that a member organisation announced before the
meeting, and a position without consensus; checks the attendance (the R2 warning follows at
once); and reads the draft. Fields save as they are left (htmx), the rest as plain forms. Neither
the minute-taking page nor the draft has serious or critical accessibility violations.
"""

import re

import pytest

from councils.models import Membership
from meetings.models import AgendaItem, ItemProposal, Meeting
from protocols.models import Dissent, Protocol
from tests.browser.test_agenda_flow import AXE_JS, serious_violations
from tests.factories import PASSWORD
from tests.meetings.factories import make_item
from tests.protocols.support import expect_dissent, setting
from tests.support.browser import in_ci, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def axe():
    if not AXE_JS.is_file():
        reason = f"axe-core is missing ({AXE_JS}): run `make install` (npm ci)"
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE_JS


@pytest.fixture
def meeting_under_way(transactional_db):
    world = setting()
    world.meeting.status = Meeting.Status.AGENDA_APPROVED
    world.meeting.save()
    second = make_item(
        world.meeting,
        title="Gemensam modell för etableringsstöd",
        kind=AgendaItem.Kind.POSITION,
        target_area=world.position.target_area,
        background="Bakgrund.",
        proposing_organisation=world.sundsvall,
    )
    expect_dissent(world.position, world.sundsvall, "Sundsvall vill prioritera industrin.")
    return world, second


def saved(page, entry):
    page.locator(f"#saved-{entry.pk}").filter(
        has_text=re.compile(r"Sparat kl\. \d\d\.\d\d")
    ).wait_for()


def wait_for_new_version(page, entry, before):
    """An htmx save hands the page the entry's new version (out of band)."""
    page.wait_for_function(
        "([id, before]) => document.getElementById(id).value !== before",
        arg=[f"id_entry-{entry.pk}-version", before],
    )


def test_secretariat_minutes_a_meeting_and_reads_the_draft(browser_page, meeting_under_way, axe):
    world, second = meeting_under_way
    page = browser_page
    page.set_viewport_size({"width": 1200, "height": 1600})
    log_in(page, world.secretariat.username, PASSWORD)
    page.goto(f"/moten/{world.meeting.pk}/")
    page.locator("#protocol-panel").get_by_role("button", name="Protokollför").click()
    page.wait_for_url(f"**/moten/{world.meeting.pk}/protokoll/protokollfor/")
    protocol = Protocol.objects.get(meeting=world.meeting)
    info = protocol.entries.get(agenda_item=world.info)
    consensus = protocol.entries.get(agenda_item=world.position)
    no_consensus = protocol.entries.get(agenda_item=second)

    # Information: the text saves as the field is left.
    minutes = page.locator(f"#id_entry-{info.pk}-minutes")
    minutes.fill("Kansliet redovisade läget i länet.")
    minutes.press("Tab")
    saved(page, info)

    # Consensus: the position text, then the outcome; each saves on its own.
    text = page.locator(f"#id_entry-{consensus.pk}-outcome_text")
    text.fill("Rådet står bakom en gemensam hållning.")
    text.press("Tab")
    saved(page, consensus)
    page.locator(f"#id_entry-{consensus.pk}-outcome").select_option("consensus")
    wait_for_new_version(page, consensus, "2")
    # The dissent Sundsvall announced before the meeting, recorded in one action.
    page.locator(f"#paragraf-{consensus.pk}").get_by_role(
        "button", name="Anteckna som avvikande synpunkt"
    ).click()
    page.get_by_text("Den avvikande synpunkten är antecknad.").wait_for()

    # No consensus: the reason (saved as it is left), the outcome (saved on change), then the
    # plain form's button, which posts the version the page now holds.
    reason = page.locator(f"#id_entry-{no_consensus.pk}-outcome_text")
    reason.fill("Kommunerna behöver förankra modellen.")
    reason.press("Tab")
    saved(page, no_consensus)
    page.locator(f"#id_entry-{no_consensus.pk}-outcome").select_option("no_consensus")
    wait_for_new_version(page, no_consensus, "2")
    page.locator(f"#paragraf-{no_consensus.pk}").get_by_role("button", name="Spara").click()
    page.get_by_text(f"§ {no_consensus.number} är sparad.").wait_for()

    assert serious_violations(page, axe) == []

    # Attendance: the opposition member leaves; the R2 check follows at once.
    page.get_by_role("link", name="Närvaro").first.click()
    page.wait_for_url("**/protokoll/narvaro/")
    opposition = protocol.attendance.get(membership=world.opposition)
    page.locator(f"#id_attendance-{opposition.pk}-present").uncheck()
    page.locator("#representation-gaps").get_by_text("Sundsvalls kommun: opposition").wait_for()

    # The draft.
    page.goto(f"/moten/{world.meeting.pk}/protokoll/")
    document = page.locator("#document")
    document.get_by_text("Ställningstagande", exact=True).wait_for()
    assert "Rådet står bakom en gemensam hållning." in document.inner_text()
    assert "Avvikande synpunkt: " in document.inner_text()
    assert "Ingen konsensus" in document.inner_text()
    assert re.search(r"§§ 1–\d+", document.inner_text())
    assert serious_violations(page, axe) == []

    consensus.refresh_from_db()
    assert consensus.outcome == "consensus"
    assert Dissent.objects.get(entry=consensus).from_expected
    assert ItemProposal.objects.filter(returned_from=second).exists()
    assert not protocol.attendance.get(membership=world.opposition).present
    assert Membership.objects.filter(pk=world.opposition.pk).exists()
