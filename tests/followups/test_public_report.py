"""The RUS coverage report in the public archive (R13, R14, R15): anyone reads
the same report per year and council, counted only from what the archive publishes (adjusted
protocols of councils that publish), with SVG charts beside data tables and CSV/XLSX export;
no one's name or contact details; cached like the archive's pages."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from councils.models import Person
from followups import access, report
from meetings.models import AgendaItem
from protocols import services as protocol_services
from tests.followups.support import adjusted_position, take_position
from tests.meetings.factories import make_item
from tests.protocols.support import started_meeting
from tests.rus.strategy_factories import make_focus_area, make_plan

pytestmark = pytest.mark.django_db
REPORT = reverse("archive_report:report")
EXPORT = reverse("archive_report:export")


@pytest.fixture
def published(world):
    """The world's meeting adjusted with a position in "Matchning" (a published protocol), and
    a later meeting whose protocol, also with a consensus position in "Matchning", is still a
    draft."""
    world.council.publishes_protocols = True
    world.council.save()
    year = timezone.localdate(world.meeting.starts_at).year
    plan = make_plan(year=year, adopted=True)
    matchning = make_focus_area(plan, title="Matchning på arbetsmarknaden")
    make_focus_area(plan, title="Strategisk finansiering")
    AgendaItem.objects.filter(pk=world.position.pk).update(
        focus_area=matchning, estimated_minutes=25
    )
    entry = adjusted_position(world)
    later = started_meeting(world.council, title="Utkastmöte")
    draft_item = make_item(
        later,
        title="Ställningstagande i utkast",
        kind=AgendaItem.Kind.POSITION,
        focus_area=matchning,
        background="Bakgrund.",
        estimated_minutes=40,
    )
    draft = protocol_services.open_protocol(meeting=later, user=world.secretariat)
    take_position(draft.entries.get(agenda_item=draft_item))
    return {"year": year, "entry": entry, "draft": draft, "matchning": matchning}


def focus_line(data, label):
    section = next(s for s in data.sections if s.key == "focus_area")
    return next(line for line in section.lines if line.label.startswith(label))


def test_a_position_of_an_unadjusted_protocol_is_not_counted(world, published):
    year = published["year"]
    signed_in = focus_line(report.build(year=year), "Matchning")
    public = focus_line(report.build(year=year, public=True), "Matchning")
    # The signed-in report counts the draft's item (its meeting was held) ...
    assert (signed_in.items, signed_in.minutes) == (2, 65)
    # ... the public one only what the archive publishes.
    assert (public.items, public.positions, public.minutes) == (1, 1, 25)
    assert report.build(year=year, public=True).items == 2  # the published meeting's two items


def test_nothing_of_a_council_that_does_not_publish(world, published):
    world.council.publishes_protocols = False
    world.council.save()
    data = report.build(year=published["year"], public=True)
    assert (data.items, data.positions, data.minutes) == (0, 0, 0)
    assert all(share.needing == 0 for share in data.shares)
    assert access.public_report_councils() == []


def test_the_shares_count_only_published_positions(world, published):
    share = next(
        s
        for s in report.build(year=published["year"], public=True).shares
        if s.focus_area.startswith("Matchning")
    )
    assert share.needing == published["entry"].followups.count() > 0


def test_anonymous_reads_the_report_with_charts_and_tables(client, world, published):
    response = client.get(REPORT, {"ar": published["year"], "rad": world.council.slug})
    assert response.status_code == 200
    html = response.text
    assert f"RUS-täckning {published['year']}: {world.council.name}" in html
    assert 'role="img"' in html and '<title id="chart-focus_area-title">' in html
    assert '<desc id="chart-focus_area-desc">' in html
    assert "Ej berörda: Strategisk finansiering." in html
    assert html.count("<table") >= 6
    assert "csrfmiddlewaretoken" not in html and "Logga ut" not in html
    assert "Ställningstagande i utkast" not in html
    # The plan is named, not linked into the signed-in pages.
    assert reverse("rus:plan_detail", args=[report.build(year=published["year"]).plan.pk]) not in (
        html
    )


def test_no_names_or_contact_details_of_people(client, world, published):
    html = client.get(REPORT, {"ar": published["year"]}).text
    html += client.get(EXPORT, {"ar": published["year"], "format": "csv"}).content.decode(
        "utf-8-sig"
    )
    for person in Person.objects.all():
        assert person.full_name not in html
        assert not person.email or person.email not in html
    assert "@" not in html


def test_linked_from_the_archive_and_the_council_page(client, world, published):
    index = client.get(reverse("archive:index")).text
    assert f'href="{REPORT}"' in index
    council_page = client.get(reverse("archive:council", args=[world.council.slug])).text
    assert f"{REPORT}?rad={world.council.slug}" in council_page


def test_export_xlsx_and_csv_for_anyone(client, world, published):
    params = {"ar": published["year"], "rad": world.council.slug}
    response = client.get(EXPORT, params)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        f'rus-tackning-{published["year"]}-{world.council.slug}.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row][:6] for row in sheet.iter_rows()]
    assert ["Fokusområden", "Matchning på arbetsmarknaden", 1, 1, 25, None] in rows
    csv = client.get(EXPORT, {**params, "format": "csv"}).content.decode("utf-8-sig")
    assert "Matchning på arbetsmarknaden;1;1;25;" in csv


def test_cached_like_the_archive_and_a_change_changes_the_validators(client, world, published):
    response = client.get(REPORT)
    assert "public" in response["Cache-Control"] and response["ETag"]
    etag = response["ETag"]
    assert client.get(REPORT, headers={"If-None-Match": etag}).status_code == 304
    followup = published["entry"].followups.first()
    followup.comment = "Beslut väntas i mars."
    followup.save()
    assert client.get(REPORT, headers={"If-None-Match": etag}).status_code == 200


def test_the_page_costs_a_fixed_number_of_queries(
    client, world, published, django_assert_num_queries
):
    params = {"ar": published["year"]}
    # 9 validators, the year and council choices, the plan, 5 registers, the items with their
    # tags (5), the positions, the follow-ups.
    with django_assert_num_queries(24):
        etag = client.get(REPORT, params)["ETag"]
    with django_assert_num_queries(9):  # the validators alone: nothing of the page is built
        assert client.get(REPORT, params, headers={"If-None-Match": etag}).status_code == 304


def test_in_english(client, world, published):
    client.cookies["django_language"] = "en"
    html = client.get(REPORT, {"ar": published["year"]}).text
    assert f"RUS coverage {published['year']}" in html
