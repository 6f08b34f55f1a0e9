"""The protocol PDF and the public archive in Debian's chromium, with the axe-core check
(R8, R15).

The draft goes through justering in the browser (sent by the secretariat, approved by the
adjuster and the chair); the protocol page then shows "PDF skapas…" and, polled by htmx, the
link to the PDF/A once the render task has run. An anonymous visitor goes from the login page
to the public archive, filters the positions by council and finds the position, and opens the
protocol it was taken in, and the council's RUS coverage report. No serious or critical
accessibility violations on the public pages.
"""

import pytest

from protocols import documents
from rus.documents import rendering
from rus.documents.models import RenderedDocument, RenderStatus
from tests.browser.test_agenda_flow import serious_violations
from tests.protocols.support import ready_draft, setting
from tests.protocols.test_justering_browser import approve_from_the_start_page, sign_in_as
from tests.protocols.test_protocol_browser import axe  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser

POSITION = "Rådet står bakom en stark sammanhållningspolitik."


@pytest.fixture
def draft(transactional_db):
    world = setting()
    world.council.publishes_protocols = True
    world.council.save()
    return world, ready_draft(world)


def test_the_pdf_appears_and_anyone_finds_the_position_in_the_archive(
    browser_page,
    draft,
    axe,  # noqa: F811
):
    world, protocol = draft
    page = browser_page
    page.set_viewport_size({"width": 1200, "height": 1600})
    sign_in_as(page, world.secretariat.username)
    page.goto(f"/moten/{world.meeting.pk}/protokoll/v1/")
    page.get_by_role("button", name="Skicka för justering").click()
    page.get_by_text("Protokollet är skickat för justering").wait_for()
    approve_from_the_start_page(page, world.meeting, "ledamot", axe)
    approve_from_the_start_page(page, world.meeting, "ordf", axe)
    page.get_by_text("Protokollet är justerat.").first.wait_for()

    # The PDF was asked for when the justering committed. Shown while it is being made, the
    # status line polls until the worker (here: this test) has rendered it.
    document = documents.pdf_document(protocol)
    assert document is not None
    RenderedDocument.objects.filter(pk=document.pk).update(
        status=RenderStatus.QUEUED, attempts=0, finished_at=None
    )
    page.goto(f"/moten/{world.meeting.pk}/protokoll/")
    page.get_by_text("PDF skapas…").wait_for()
    assert serious_violations(page, axe) == []
    assert rendering.render(document.pk).status == "done"
    link = page.get_by_role("link", name="Ladda ner PDF")
    link.wait_for(timeout=10_000)
    pdf = page.request.get(link.get_attribute("href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF-")

    # Anyone, signed out: from the login page to the position.
    page.context.clear_cookies()
    page.goto("/konto/logga-in/")
    page.get_by_role("link", name="justerade protokoll och ställningstaganden").click()
    page.wait_for_url("**/arkiv/")
    assert serious_violations(page, axe) == []
    page.get_by_role("navigation", name="Arkivet").get_by_role(
        "link", name="Ställningstaganden"
    ).click()
    page.wait_for_url("**/arkiv/stallningstaganden/")
    page.get_by_label("Råd", exact=True).select_option(label=world.council.name)
    page.get_by_role("button", name="Visa").click()
    page.wait_for_url("**/arkiv/stallningstaganden/?rad=*")
    page.get_by_text(POSITION).wait_for()
    assert serious_violations(page, axe) == []
    page.get_by_role("link", name=f"{world.council.name} §").first.click()
    page.wait_for_url(f"**/arkiv/protokoll/{protocol.pk}/*")
    page.get_by_text(POSITION).first.wait_for()
    assert page.get_by_role("link", name="Ladda ner som PDF/A").is_visible()
    assert serious_violations(page, axe) == []
    page.get_by_role("link", name="Tillgänglighetsredogörelse").click()
    page.get_by_role("heading", name="Tillgänglighetsredogörelse").wait_for()
    assert serious_violations(page, axe) == []

    # The RUS coverage report of the published protocols (R15), from the
    # council's page: the position's item counted, charts and tables without serious violations.
    page.goto(f"/arkiv/{world.council.slug}/")
    page.get_by_role("link", name="Rådets arbete för RUS (RUS-täckning)").click()
    page.wait_for_url(f"**/arkiv/rus-rapport/?rad={world.council.slug}")
    page.get_by_role("heading", name="RUS-täckning", exact=False).first.wait_for()
    assert page.get_by_role("img", name="Målområden", exact=False).count() == 1
    assert serious_violations(page, axe) == []
