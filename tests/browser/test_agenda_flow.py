"""The whole agenda flow in Debian's chromium, with an axe-core check.

The secretariat creates a meeting with two items; a member proposes an item and flags an
expected dissent (R9, R11); the RUS group accepts the proposal, prepares every item and hands
the agenda over to the chair (R6, R10); the chair finds it on the start page, approves the
agenda and downloads the PDF (R7). The agenda page then has no serious or critical
accessibility violations according to axe-core (installed from npm: `make install`).
"""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone

from meetings.calendar_days import day_remark
from meetings.models import AgendaItem, ItemProposal, ItemReview, Meeting
from rus.management.commands.seed_demo import DEMO_PASSWORD
from tests.support.browser import in_ci, log_in

pytestmark = pytest.mark.browser

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
MEETING_TITLE = "Flödestest: månadsmöte"
PROPOSAL_TITLE = "Gemensam etableringsservice för företag"


@pytest.fixture
def axe_script():
    if not AXE_JS.is_file():
        reason = f"axe-core is missing ({AXE_JS}): run `make install` (npm ci)"
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE_JS


def log_out(page):
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/konto/logga-in/")


def serious_violations(page, axe_path):
    """Run axe-core in the page; return the serious and critical violations, readable."""
    # Evaluated, not added as a <script> element: the page's Content-Security-Policy refuses
    # inline scripts, and the test must not loosen it.
    page.evaluate(axe_path.read_text(encoding="utf-8"))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    problems = []
    for violation in results["violations"]:
        if violation["impact"] in {"serious", "critical"}:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"])
            problems.append(
                f"{violation['impact']}: {violation['id']} – {violation['help']} ({targets})"
            )
    return problems


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def secretariat_creates_meeting_with_two_items(page):
    log_in(page, "kansli", DEMO_PASSWORD)
    page.goto("/moten/nytt/")
    page.get_by_label("Råd").select_option(label="Regionala samverkansrådet")
    page.get_by_label("Rubrik").fill(MEETING_TITLE)
    day = timezone.localdate() + datetime.timedelta(days=21)
    while day_remark(day) is not None:  # a working day: no weekend or holiday to confirm
        day += datetime.timedelta(days=1)
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
    page.get_by_label("Börjar").fill(_local(starts))
    page.get_by_label("Slutar").fill(_local(starts + datetime.timedelta(hours=2)))
    page.get_by_role("button", name="Skapa sammanträde").click()
    page.wait_for_url("**/moten/*/")
    meeting = Meeting.objects.get(title=MEETING_TITLE)

    page.get_by_role("link", name="Lägg till punkt").click()
    page.get_by_label(re.compile(r"^Rubrik")).fill("Läget i arbetsmarknaden")
    page.get_by_label("Typ av ärende").select_option(label="Informationsärende")
    page.get_by_role("button", name="Lägg till punkten").click()
    page.wait_for_url(f"**/moten/{meeting.pk}/**")

    page.goto(f"/moten/{meeting.pk}/punkter/ny/")
    page.get_by_label(re.compile(r"^Rubrik")).fill("Gemensam påverkan för Ostkustbanan")
    page.get_by_label("Typ av ärende").select_option(label="Ställningstagande")
    page.get_by_label(re.compile(r"^Bakgrund")).fill("Dubbelspår behövs för regionens utveckling.")
    page.get_by_label("Påverkansfråga").select_option(index=1)
    page.get_by_role("button", name="Lägg till punkten").click()
    page.wait_for_url(f"**/moten/{meeting.pk}/**")
    page.goto(f"/moten/{meeting.pk}/")
    agenda = page.locator("#agenda")
    assert "Läget i arbetsmarknaden" in agenda.inner_text()
    assert "Gemensam påverkan för Ostkustbanan" in agenda.inner_text()
    log_out(page)
    return meeting


def member_proposes_and_flags_dissent(page, meeting):
    log_in(page, "ledamot", DEMO_PASSWORD)
    page.goto(f"/forslag/nytt/?mote={meeting.pk}")
    page.get_by_label(re.compile(r"^Rubrik")).fill(PROPOSAL_TITLE)
    page.get_by_label("Typ av ärende").select_option(label="Ställningstagande")
    page.get_by_label(re.compile(r"^Bakgrund")).fill("Företag ska mötas av en väg in i hela länet.")
    page.get_by_label("Fokusområde").select_option(index=1)
    assert page.get_by_label("Önskat sammanträde").input_value() == str(meeting.pk)
    page.get_by_role("button", name="Lämna in förslaget").click()
    page.wait_for_url("**/forslag/*/")
    assert "Inlämnat" in page.locator("main").inner_text()

    position = AgendaItem.objects.get(meeting=meeting, kind=AgendaItem.Kind.POSITION)
    page.goto(f"/mina-moten/{meeting.pk}/")  # its own page: the next meeting is another
    block = page.locator(f"#punkt-{position.pk} .review-block")
    block.get_by_label("Förankrat hemma?").select_option(label="Pågår")
    block.get_by_label("Avvikande synpunkt väntas?").select_option(label="Ja")
    block.get_by_label("Kommentar").fill(
        "Kommunstyrelsen har inte tagit ställning till finansieringen."
    )
    block.get_by_role("button", name="Spara förhandsbesked").click()
    page.locator(f"#punkt-{position.pk}").get_by_text("Sparat.").wait_for()
    review = ItemReview.objects.get(item=position)
    assert review.expects_dissent and review.anchored == "in_progress"
    log_out(page)


def rus_group_accepts(page, meeting):
    proposal = ItemProposal.objects.get(title=PROPOSAL_TITLE)
    log_in(page, "rusgrupp", DEMO_PASSWORD)
    page.goto("/forslag/beredning/")
    card = page.locator(f"#forslag-{proposal.pk}")
    card.get_by_label("Anta till sammanträde").select_option(value=str(meeting.pk))
    card.get_by_role("button", name="Anta").click()
    page.locator(f"#forslag-{proposal.pk}").get_by_text("lades som punkt").wait_for()
    proposal.refresh_from_db()
    assert proposal.status == ItemProposal.Status.ACCEPTED
    assert proposal.agenda_item.meeting_id == meeting.pk

    # Every item prepared (htmx swaps the agenda and the approval panel), then handed over.
    page.goto(f"/moten/{meeting.pk}/")
    for item in meeting.items.filter(is_standing=False):
        page.locator(f"#prepared-{item.pk}").click()
        page.locator(f"#item-{item.pk}").get_by_text("Ångra beredd").wait_for()
    page.get_by_role("button", name="Lämna till ordföranden: Beredd för ordföranden").click()
    page.locator(".approval").get_by_text("Lämnad till ordföranden").wait_for()
    meeting.refresh_from_db()
    assert meeting.awaits_approval
    log_out(page)


def chair_approves_and_downloads_pdf(page, meeting):
    log_in(page, "ordforande", DEMO_PASSWORD)
    page.goto("/")
    page.locator(".awaiting-approval").get_by_role("link", name=MEETING_TITLE).click()
    page.wait_for_url(f"**/moten/{meeting.pk}/**")
    assert PROPOSAL_TITLE in page.locator("#agenda").inner_text()
    page.get_by_role("button", name="Godkänn dagordningen").click()
    page.locator(".approval").get_by_text("Dagordningen är godkänd och låst").wait_for()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_APPROVED
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner kallelse (PDF)").click()
    content = Path(download_info.value.path()).read_bytes()
    assert content.startswith(b"%PDF")


def test_agenda_flow_from_meeting_to_pdf(browser_page, demo_data, axe_script):
    page = browser_page
    meeting = secretariat_creates_meeting_with_two_items(page)
    member_proposes_and_flags_dissent(page, meeting)
    rus_group_accepts(page, meeting)
    chair_approves_and_downloads_pdf(page, meeting)

    # The agenda page, as the chair sees it after approval: no serious or critical violations.
    page.goto(f"/moten/{meeting.pk}/")
    assert serious_violations(page, axe_script) == []


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("ledamot", "/mina-moten/"),
        ("ledamot", "/forslag/nytt/"),
        ("ledamot", "/forslag/"),
        ("rusgrupp", "/forslag/beredning/"),
        ("kansli", "granskning"),
    ],
)
def test_review_pages_have_no_serious_accessibility_problems(
    browser_page, demo_data, axe_script, username, path
):
    page = browser_page
    log_in(page, username, DEMO_PASSWORD)
    if path == "granskning":
        meeting = Meeting.objects.upcoming().order_by("starts_at").first()
        assert meeting is not None, "the demo has a coming meeting"
        path = f"/granskning/{meeting.pk}/"
    page.goto(path)
    assert page.locator("h1").count() == 1
    assert serious_violations(page, axe_script) == []
