"""The meeting page with 10 and with 100 agenda items.

For each size: queries per request (the same for both sizes), median and p95 server time in ms
through Django's test client (all middleware, templates and the review, invitation and
kallelse panels included), with the fragment cache warm (the usual case: the agenda has not
changed since someone last looked) and cold (emptied before each request). As a council
member on an approved agenda (the page members read) and as the secretariat on a draft
(the page with every control).
"""

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench._pages import time_page
from councils.models import Council, Membership
from meetings import documents
from meetings.models import AgendaItem, Attachment, AttachmentVersion, Meeting
from rus.documents.models import RenderedDocument, RenderStatus
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


def _approve(meeting):
    """Approve the agenda, and have its kallelse med handlingar rendered as the worker would."""
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.AGENDA_APPROVED, agenda_approved_at=timezone.now()
    )
    meeting.refresh_from_db()
    RenderedDocument.objects.create(
        kind=documents.KIND,
        object_key=str(meeting.pk),
        version_key=documents.version_key(meeting),
        status=RenderStatus.DONE,
        sha256="0" * 64,
        filename="kallelse.pdf",
        content_type="application/pdf",
        size=1,
        finished_at=timezone.now(),
    )


def run():
    council = make_council(name="Regionala samverkansrådet (bench)", kind=Council.Kind.REGIONAL)
    secretary = make_user_with_role(Membership.Role.SECRETARY, council=council, username="bench")
    member = make_user_with_role(Membership.Role.MEMBER, council=council, username="member")
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
    clients = {}
    for name, user in (("member", member), ("secretariat", secretary)):
        clients[name] = Client()
        clients[name].force_login(user)
    results = {}
    for count in (10, 100):
        meetings = {}
        for name in ("member", "secretariat"):
            meetings[name] = _meeting_with_items(
                council,
                count,
                focus_area=focus_area,
                presenter=presenter,
                organisation=organisation,
                goals=goals,
            )
        _approve(meetings["member"])
        for name, label in (
            ("member", "meeting page"),
            ("secretariat", "meeting page, secretariat"),
        ):
            url = reverse("meetings:meeting_detail", args=[meetings[name].pk])
            client = clients[name]
            results[f"{label} @ {count} items"] = time_page(client, url, repeat=30)
            results[f"{label} @ {count} items (cold)"] = time_page(
                client, url, repeat=15, cold=True
            )
    return results
