"""The minute-taking page and the draft protocol with 40 entries and 60 attendees (and, for
comparison, 10 entries): queries per request (must not grow with entries) and the median
server time through Django's test client."""

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench import measure, page
from councils.models import Council, Membership, Organisation
from meetings.models import AgendaItem, ItemReview, Meeting
from protocols import services
from protocols.models import Attendance
from rus.models import Strategy, TargetArea
from tests.factories import (
    make_council,
    make_membership,
    make_organisation,
    make_person,
    make_user_with_role,
)
from tests.meetings.factories import make_meeting

ATTENDEES = 60


def _seats(council):
    """60 seats: majority and opposition from 25 municipalities and the region, plus adjunct and
    speaking-right seats (the secretary's seat is the 60th)."""
    organisations = [make_organisation(f"Benchkommun {i}") for i in range(25)]
    organisations.append(make_organisation("Benchregionen", kind=Organisation.Kind.REGION))
    for organisation in organisations:
        for side in (Membership.Side.MAJORITY, Membership.Side.OPPOSITION):
            person = make_person(given_name=f"Ledamot {side}", organisation=organisation)
            make_membership(person=person, council=council, organisation=organisation, side=side)
    county = make_organisation("Benchlänsstyrelsen", kind=Organisation.Kind.COUNTY_BOARD)
    for i in range(ATTENDEES - 1 - 2 * len(organisations)):
        role = Membership.Role.ADJUNCT if i == 0 else Membership.Role.SPEAKING_RIGHT
        make_membership(
            person=make_person(given_name=f"Gäst {i}", organisation=county),
            council=council,
            organisation=county,
            role=role,
        )
    return organisations


def _minuted(council, entries, *, user, target_area, organisation):
    starts_at = timezone.now() - datetime.timedelta(days=1)
    meeting = make_meeting(council, starts_at=starts_at, status=Meeting.Status.AGENDA_APPROVED)
    standing = meeting.items.count()
    items = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=10 + i,
            title=f"Punkt {i}: regional utveckling",
            kind=AgendaItem.Kind.POSITION if i % 2 else AgendaItem.Kind.INFORMATION,
            target_area=target_area,
            background="Bakgrund " * 20,
        )
        for i in range(entries - standing)
    )
    from meetings.services.agenda import renumber

    renumber(meeting=meeting)
    for item in items[1::4]:
        ItemReview.objects.create(
            item=item,
            organisation=organisation,
            anchored=ItemReview.Anchored.YES,
            expects_dissent=True,
            comment="Vi kan komma att avvika.",
        )
    protocol = services.open_protocol(meeting=meeting, user=user)
    member = protocol.attendance.filter(capacity=Attendance.Capacity.MEMBER).first()
    for entry in protocol.entries.filter(kind=AgendaItem.Kind.POSITION)[:10]:
        services.save_entry(
            entry=entry,
            user=user,
            version=entry.version,
            minutes="Diskussion " * 30,
            outcome="consensus",
            outcome_text="Rådet står bakom förslaget.",
        )
        services.record_dissent(entry=entry, user=user, attendance=member, text="Avvikande.")
    return meeting, protocol


def run():
    council = make_council(name="Regionala samverkansrådet (bench)", kind=Council.Kind.REGIONAL)
    user = make_user_with_role(Membership.Role.SECRETARY, council=council, username="bench")
    organisations = _seats(council)
    strategy = Strategy.objects.create(name="RUS bench", start_year=2020, end_year=2030)
    target_area = TargetArea.objects.create(strategy=strategy, title="Målområde")
    client = Client()
    client.force_login(user)
    results = {}
    for entries in (10, 40):
        meeting, protocol = _minuted(
            council, entries, user=user, target_area=target_area, organisation=organisations[0]
        )
        assert protocol.entries.count() == entries
        results[f"{entries}_entries_attendees"] = protocol.attendance.count()
        for name, label in (("protocols:minutes", "minute page"), ("protocols:draft", "draft")):
            url = reverse(name, args=[meeting.pk])

            def get(url=url):
                response = client.get(url)
                assert response.status_code == 200, response.status_code

            figures = measure(get, repeat=10, warmup=2)
            results[f"protocol {label} @ {entries} entries"] = page(figures)
    for label in ("minute page", "draft"):
        grows = (
            results[f"protocol {label} @ 10 entries"]["queries"]
            != results[f"protocol {label} @ 40 entries"]["queries"]
        )
        results[f"{label.replace(' ', '_')}_queries_grow_with_entries"] = "JA" if grows else "nej"
    return results
