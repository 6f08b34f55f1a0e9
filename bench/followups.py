"""The follow-up matrix for ten years of data: 120 positions (one a month) × 30 organisations
(3 600 rows), and the RUS coverage report for a year, signed in and public: queries per request
(the matrix's must not grow with positions: one year's 12 positions against all 120) and the
median server time through Django's test client, plus the matrix's XLSX export."""

import datetime
import random

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench import measure, page
from councils.models import Council, Membership, Organisation
from followups.models import FollowUp
from meetings.models import AgendaItem, Meeting
from protocols.models import HomeDecision, Protocol, ProtocolEntry
from rus.models import Strategy
from tests.factories import make_council, make_organisation, make_user_with_role
from tests.rus.strategy_factories import make_focus_area, make_plan

YEARS = 10
ORGANISATIONS = 30
STATES = [
    FollowUp.State.DECIDED,
    FollowUp.State.DECIDED,
    FollowUp.State.PENDING,
    FollowUp.State.NOT_NEEDED,
    FollowUp.State.DECLINED,
]


def _ten_years(council, organisations, user):
    """120 held meetings, each with one consensus position in an adjusted protocol, and one
    follow-up per position and organisation in mixed states."""
    last = timezone.localdate().year
    strategy = Strategy.objects.create(name="RUS bench", start_year=2015, end_year=2035)
    rng = random.Random(12)
    meetings, plans = [], {}
    for year in range(last - YEARS + 1, last + 1):
        plan = make_plan(strategy, year=year, adopted=True)
        plans[year] = [
            make_focus_area(plan, title=f"Fokusområde {n} ({year})", goals=[n + 1, 8])
            for n in range(4)
        ]
        for month in range(1, 13):
            starts_at = datetime.datetime(year, month, 10, 9, tzinfo=datetime.UTC)
            meetings.append(
                Meeting(
                    council=council,
                    title=f"Månadsmöte {year}-{month:02}",
                    starts_at=starts_at,
                    ends_at=starts_at + datetime.timedelta(hours=2),
                    status=Meeting.Status.MINUTES_ADJUSTED,
                )
            )
    meetings = Meeting.objects.bulk_create(meetings)
    items = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=1,
            title=f"Ställningstagande {meeting.title}",
            kind=AgendaItem.Kind.POSITION,
            focus_area=plans[meeting.starts_at.year][meeting.starts_at.month % 4],
            background="Bakgrund.",
            estimated_minutes=30,
        )
        for meeting in meetings
    )
    protocols = Protocol.objects.bulk_create(
        Protocol(
            meeting=meeting,
            council=council,
            year=meeting.starts_at.year,
            adjust_by=meeting.starts_at.date() + datetime.timedelta(days=14),
            opened_by=user,
        )
        for meeting in meetings
    )
    entries = ProtocolEntry.objects.bulk_create(
        ProtocolEntry(
            protocol=protocol,
            council=council,
            year=protocol.year,
            number=item.meeting.starts_at.month,
            agenda_item=item,
            title=item.title,
            kind=AgendaItem.Kind.POSITION,
            focus_area=item.focus_area,
            outcome=ProtocolEntry.Outcome.CONSENSUS,
            outcome_text="Rådet står bakom förslaget.",
        )
        for protocol, item in zip(protocols, items, strict=True)
    )
    HomeDecision.objects.bulk_create(
        HomeDecision(entry=entry, organisation=org, organisation_name=org.name, expected="yes")
        for entry in entries
        for org in organisations
    )
    # Adjusted last: nothing is written under an adjusted protocol.
    Protocol.objects.filter(pk__in=[p.pk for p in protocols]).update(
        status=Protocol.Status.ADJUSTED
    )
    rows = []
    for entry in entries:
        day = entry.protocol.meeting.starts_at.date()
        for org in organisations:
            state = rng.choice(STATES)
            rows.append(
                FollowUp(
                    entry=entry,
                    organisation=org,
                    organisation_name=org.name,
                    position_date=day,
                    expected="no" if state == FollowUp.State.NOT_NEEDED else "yes",
                    state=state,
                    deciding_body="Kommunstyrelsen" if state == FollowUp.State.DECIDED else "",
                    decision_date=day + datetime.timedelta(days=30)
                    if state == FollowUp.State.DECIDED
                    else None,
                    reference=f"KS {day.year}/{rng.randint(1, 999)}"
                    if state == FollowUp.State.DECIDED
                    else "",
                )
            )
    FollowUp.objects.bulk_create(rows, batch_size=1000)
    return last


def run():
    council = make_council(name="Regionala samverkansrådet (bench)", kind=Council.Kind.REGIONAL)
    user = make_user_with_role(Membership.Role.SECRETARY, council=council, username="bench")
    organisations = [make_organisation(f"Benchkommun {i:02}") for i in range(ORGANISATIONS - 1)]
    organisations.append(make_organisation("Benchregionen", kind=Organisation.Kind.REGION))
    last = _ten_years(council, organisations, user)
    assert FollowUp.objects.count() == YEARS * 12 * ORGANISATIONS
    client = Client()
    client.force_login(user)
    matrix = reverse("followups:matrix")
    results = {"rows": FollowUp.objects.count()}

    def get(url, params=None, *, contains=None, visitor=client):
        def call():
            response = visitor.get(url, params or {})
            assert response.status_code == 200, response.status_code
            if contains:
                assert contains in response.content.decode()

        return call

    for positions, params in ((12, {"ar": last}), (120, {})):
        figures = measure(get(matrix, params, contains="Benchregionen"), repeat=10, warmup=2)
        results[f"follow-up matrix @ {positions} positions"] = page(figures)
    grows = (
        results["follow-up matrix @ 12 positions"]["queries"]
        != results["follow-up matrix @ 120 positions"]["queries"]
    )
    results["matrix_queries_grow_with_positions"] = "JA" if grows else "nej"
    figures = measure(get(reverse("followups:matrix_export")), repeat=5, warmup=1)
    results["follow-up matrix export (xlsx) @ 120 positions"] = page(figures)
    figures = measure(
        get(reverse("followups:report"), {"ar": last}, contains="Fokusområde 1"),
        repeat=10,
        warmup=2,
    )
    results["årsunderlag report @ 1 year"] = page(figures)
    # The public coverage report (R15): the same report from the published protocols only, for
    # an anonymous visitor (no session, the archive's cache validators computed each time).
    Council.objects.filter(pk=council.pk).update(publishes_protocols=True)
    figures = measure(
        get(
            reverse("archive_report:report"),
            {"ar": last},
            contains="Fokusområde 1",
            visitor=Client(),
        ),
        repeat=10,
        warmup=2,
    )
    results["public RUS report @ 1 year"] = page(figures)
    return results
