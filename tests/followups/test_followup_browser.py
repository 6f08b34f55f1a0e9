"""Recording a formal decision in Debian's chromium, with the axe-core check (R10).

A member records their organisation's decision after a position, with the deciding body, the
date, the reference (diarienummer) and the decision document; the secretariat sees the matrix
change and exports it; neither the matrix (wide and on a phone) nor the coverage report has
serious or critical accessibility violations.
"""

import io
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from followups.models import FollowUp
from tests.browser.test_agenda_flow import serious_violations
from tests.factories import PASSWORD
from tests.followups.support import adjusted_position
from tests.meetings.factories import PDF_BYTES
from tests.protocols.support import setting
from tests.protocols.test_protocol_browser import axe  # noqa: F401 (fixture)
from tests.support.browser import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def adjusted(transactional_db):
    world = setting()
    return world, adjusted_position(world)


def log_out(page):
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/konto/logga-in/")


def test_member_records_a_decision_and_the_secretariat_exports_the_matrix(
    browser_page,
    adjusted,
    axe,  # noqa: F811
):
    world, position = adjusted
    page = browser_page
    page.set_viewport_size({"width": 1200, "height": 1400})
    today = timezone.localdate().isoformat()

    # The member (Sundsvall) edits only Sundsvall's cell.
    log_in(page, "ledamot", PASSWORD)
    page.goto("/uppfoljning/")
    page.get_by_role("link", name="Ändra Sundsvalls kommun").click()
    page.get_by_label("Läge").select_option(label="Beslutat")
    page.get_by_label("Beslutande organ").fill("Kommunstyrelsen")
    page.get_by_label("Beslutsdatum").fill(today)
    page.get_by_label("Diarienummer").fill("KS 2026/88")
    page.get_by_label("Beslutsdokument").set_input_files(
        {"name": "KS-beslut.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(f"**/uppfoljning/stallningstagande/{position.pk}/**")
    assert page.get_by_text("Uppföljningen för Sundsvalls kommun är sparad.").is_visible()
    assert page.get_by_role("link", name="KS-beslut.pdf").is_visible()
    followup = FollowUp.objects.get(entry=position, organisation=world.sundsvall)
    assert (followup.state, followup.reference) == ("decided", "KS 2026/88")
    log_out(page)

    # The secretariat sees the matrix change and exports it with the same filter.
    log_in(page, world.secretariat.username, PASSWORD)
    page.goto("/uppfoljning/")
    cell = page.locator("td.state-decided")
    assert "KS 2026/88" in cell.inner_text()
    assert "1 av 2 beslutade, 1 väntar" in page.locator("tbody td.totals").inner_text()
    page.get_by_label("Bara väntande beslut").check()  # htmx swaps the table
    page.locator("td.state-decided").wait_for(state="detached")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exportera till Excel (XLSX)").click()
    sheet = load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes())).active
    header = [cell.value for cell in sheet[1]]
    assert "Region Västernorrland" in header and "Sundsvalls kommun" not in header
    page.goto("/uppfoljning/")
    assert serious_violations(page, axe) == []
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.locator(".cell-org").first.is_visible()  # the phone list names each cell
    assert serious_violations(page, axe) == []

    page.set_viewport_size({"width": 1200, "height": 1400})
    page.goto("/uppfoljning/rus-rapport/")
    assert page.locator("svg[role=img] title").count() == 5
    assert serious_violations(page, axe) == []
