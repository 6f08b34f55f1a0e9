"""The meeting page with 10 and with 100 agenda items.

Prints the number of queries per request (must be the same for both sizes) and the median
server time through Django's test client (all middleware, templates and the review and
invitation panels included).
"""

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench import measure
from councils.models import Council, Membership
from meetings.models import AgendaItem, Attachment, AttachmentVersion
from rus.models import FocusArea, StrategicPlan, Strategy, SustainabilityGoal
from tests.factories import make_council, make_organisation, make_person, make_user_with_role
from tests.meetings.factories import make_meeting


def _meeting_with_items(council, count, *, focus_area, presenter, organisation, goals):
    meeting = make_meeting(council, days_ahead=20)
    items = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=10 + i,
            title=f"Punkt {i}: regional utveckling",
            kind=AgendaItem.Kind.POSITION if i % 2 else AgendaItem.Kind.INFORMATION,
            focus_area=focus_area,
            background="Bakgrund " * 30,
            presenter=presenter if i % 3 else None,
            presenter_name="" if i % 3 else "Extern Föredragande",
            presenter_email="" if i % 3 else "extern@example.org",
            proposing_organisation=organisation,
            estimated_minutes=15,
        )
        for i in range(count)
    )
    for item in items:
        item.goals.set(goals)
        attachment = Attachment.objects.create(item=item, title=f"Underlag {item.title}")
        for number in (1, 2):
            AttachmentVersion.objects.create(
                attachment=attachment,
                number=number,
                file=f"agenda/bench/underlag-{item.pk}-{number}.pdf",
                original_name="underlag.pdf",
                content_type="application/pdf",
                size=12345,
            )
    # Put the closing item last again, as the services would.
    from meetings.services.agenda import renumber

    renumber(meeting=meeting)
    return meeting


def run():
    council = make_council(name="Regionala samverkansrådet (bench)", kind=Council.Kind.REGIONAL)
    user = make_user_with_role(Membership.Role.SECRETARY, council=council, username="bench")
    strategy = Strategy.objects.create(name="RUS bench", start_year=2020, end_year=2030)
    plan = StrategicPlan.objects.create(
        strategy=strategy,
        year=timezone.localdate().year,
        status=StrategicPlan.Status.ADOPTED,
        adopted_on=datetime.date(2025, 1, 1),
    )
    focus_area = FocusArea.objects.create(
        plan=plan, title="Strategisk finansiering", vision_2030="."
    )
    organisation = make_organisation("Bench kommun")
    presenter = make_person(given_name="Bengt", organisation=organisation)
    goals = list(SustainabilityGoal.objects.all()[:3])
    client = Client()
    client.force_login(user)
    results = {}
    for count in (10, 100):
        meeting = _meeting_with_items(
            council,
            count,
            focus_area=focus_area,
            presenter=presenter,
            organisation=organisation,
            goals=goals,
        )
        url = reverse("meetings:meeting_detail", args=[meeting.pk])

        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        figures = measure(get, repeat=20, warmup=2)
        results[f"{count}_items_queries"] = figures["queries_per_run"]
        results[f"{count}_items_median_ms"] = figures["median_ms"]
    results["queries_grow_with_items"] = (
        "nej" if results["10_items_queries"] == results["100_items_queries"] else "JA"
    )
    return results
