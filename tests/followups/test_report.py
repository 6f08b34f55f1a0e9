"""The RUS coverage report (R13, R14): numbers per focus area and the other dimensions,
untouched areas flagged, formal decisions per focus area (R10), SVG charts with data tables,
CSV/XLSX export."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from followups import report, services
from followups.models import FollowUp
from meetings.models import AgendaItem
from rus.models import SustainabilityGoal
from tests.factories import make_user
from tests.followups.support import adjusted_position
from tests.rus.strategy_factories import make_focus_area, make_issue, make_plan

pytestmark = pytest.mark.django_db
REPORT = reverse("followups:report")


@pytest.fixture
def reported(world):
    year = timezone.localdate(world.meeting.starts_at).year
    plan = make_plan(year=year, adopted=True)
    touched = make_focus_area(plan, title="Matchning på arbetsmarknaden", goals=[8])
    make_focus_area(plan, title="Strategisk finansiering")
    make_issue(plan, title="Nationell infrastrukturplan")
    AgendaItem.objects.filter(pk=world.position.pk).update(focus_area=touched, estimated_minutes=25)
    world.position.goals.add(SustainabilityGoal.objects.get(number=4))
    entry = adjusted_position(world)
    return {"year": year, "plan": plan, "entry": entry}


def line(data, key, label):
    section = next(s for s in data.sections if s.key == key)
    return next(li for li in section.lines if li.label.startswith(label))


def test_counts_items_positions_and_minutes_per_focus_area_and_flags_the_untouched(reported):
    data = report.build(year=reported["year"])
    touched = line(data, "focus_area", "Matchning")
    assert (touched.items, touched.positions, touched.minutes) == (1, 1, 25)
    assert not touched.untouched
    assert line(data, "focus_area", "Strategisk finansiering").untouched
    assert line(data, "influence_issue", "Nationell infrastrukturplan").untouched
    assert data.positions == 1 and data.items == 2  # the information item counts too


def test_goals_come_from_the_item_and_from_its_focus_area(reported):
    data = report.build(year=reported["year"])
    assert line(data, "goal", "4.").items == 1
    assert line(data, "goal", "8.").positions == 1
    assert line(data, "goal", "1.").items == 0
    assert not line(data, "goal", "1.").untouched  # only the plan's areas are flagged


def test_share_of_formal_decisions_per_focus_area(world, reported):
    data = report.build(year=reported["year"])
    (share,) = data.shares[:1]
    assert (share.needing, share.decided, share.percent) == (2, 0, 0)
    followup = FollowUp.objects.get(entry=reported["entry"], organisation=world.sundsvall)
    services.update_followup(
        followup=followup,
        user=None,
        version=None,
        state="decided",
        decision_date=followup.position_date,
    )
    share = report.build(year=reported["year"]).shares[0]
    assert (share.decided, share.percent) == (1, 50)


def test_another_year_and_another_council_have_nothing(world, reported):
    assert report.build(year=reported["year"] - 1).items == 0
    from tests.factories import make_council

    assert report.build(year=reported["year"], council=make_council()).items == 0


def test_the_page_has_accessible_charts_and_tables(client, world, reported):
    client.force_login(world.member.person.user)
    response = client.get(REPORT, {"ar": reported["year"]})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html and '<title id="chart-focus_area-title">' in html
    assert '<desc id="chart-focus_area-desc">' in html
    assert "Ej berörda: Strategisk finansiering." in html
    assert "Inte berört under året" in html
    assert html.count("<table") >= 6


def test_the_page_costs_a_fixed_number_of_queries(
    client, world, reported, django_assert_max_num_queries
):
    client.force_login(world.secretariat)
    client.get(REPORT)
    with django_assert_max_num_queries(25):
        assert client.get(REPORT, {"ar": reported["year"]}).status_code == 200


def test_every_signed_in_user_reads_it_and_anonymous_must_log_in(client, world, reported):
    client.force_login(make_user("utan-uppdrag"))
    assert client.get(REPORT).status_code == 200
    client.logout()
    assert client.get(REPORT).status_code == 302


def test_export_xlsx_and_csv(client, world, reported):
    client.force_login(world.secretariat)
    url = reverse("followups:report_export")
    sheet = load_workbook(io.BytesIO(client.get(url, {"ar": reported["year"]}).content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Kategori", "Namn", "Ärenden"]
    assert ["Fokusområden", "Strategisk finansiering", 0, 0, 0, "Ja"] in [r[:6] for r in rows]
    csv = client.get(url, {"ar": reported["year"], "format": "csv"}).content.decode("utf-8-sig")
    assert "Matchning på arbetsmarknaden;1;1;25;" in csv
