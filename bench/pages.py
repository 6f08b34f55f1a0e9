"""The pages that grow, at their realistic sizes and at a small size beside them.

Mina möten (a year of meetings: 14 coming, 3 position items each), the proposal queue (40 open
proposals), the review matrix (30 organisations × 20 position items), the invitation progress
page (60 invited members) and the council page (60 members). For each: queries per request (the
same at both sizes: no query per row), median and p95 server time in ms through Django's test
client, warm (the fragment cache filled by the first request).
"""

import logging

from django.test import Client
from django.urls import reverse

from bench._pages import time_page
from councils.models import Council, Membership, Organisation
from meetings.models import ItemQuestion
from meetings.services.invitations import sending
from meetings.services.review import record_review
from tests.factories import (
    make_council,
    make_member_user,
    make_membership,
    make_organisation,
    make_person,
    make_rus_group_user,
    make_secretariat_user,
    make_user,
)
from tests.meetings.factories import make_approved_meeting, make_item, make_meeting
from tests.meetings.review_support import make_position_item, make_proposal

SIZES = {  # the council page first: its R2 check lists every municipality in the register
    "council page": (6, 60),  # members
    "mina möten": (2, 14),  # coming meetings
    "proposal queue": (5, 40),  # open proposals
    "review matrix": ((5, 4), (30, 20)),  # organisations × position items
    "invitation progress": (6, 60),  # invited members
}


def _organisation_of(user):
    return Membership.objects.filter(person=user.person).first().organisation


def _mina_moten(size):
    council = make_council(kind=Council.Kind.REGIONAL)
    member = make_member_user(council)
    organisation = _organisation_of(member)
    for month in range(size):
        meeting = make_meeting(council, days_ahead=14 + 30 * month, title=f"Månadsmöte {month}")
        for n in range(3):
            item = make_position_item(meeting, title=f"Ställningstagande {month}.{n}")
            if n == 0:
                record_review(
                    item=item,
                    organisation=organisation,
                    person=member.person,
                    anchored="yes",
                    expects_dissent=False,
                )
                ItemQuestion.objects.create(item=item, asked_by=member.person, question="Hur?")
        make_item(meeting, title=f"Information {month}")
    return member, reverse("meetings:my_meetings")


def _proposal_queue(size):
    council = make_council(kind=Council.Kind.REGIONAL)
    for days in (14, 44, 74):
        make_meeting(council, days_ahead=days)
    for _ in range(size):
        make_proposal(make_member_user(council))
    return make_rus_group_user(), reverse("meetings:proposal_queue")


def _review_matrix(size):
    organisations, items = size
    council = make_council(kind=Council.Kind.REGIONAL)
    meeting = make_meeting(council)
    members = [make_member_user(council) for _ in range(organisations)]
    for n in range(items):
        item = make_position_item(meeting, title=f"Ställningstagande {n}")
        for index, member in enumerate(members):
            if (index + n) % 4:  # three in four have answered
                record_review(
                    item=item,
                    organisation=_organisation_of(member),
                    person=member.person,
                    anchored="yes" if index % 5 else "no",
                    expects_dissent=not index % 7,
                    comment="Vi väntar en avvikande synpunkt." if not index % 7 else "",
                )
    secretariat = make_secretariat_user(username=f"kansli-matrix-{organisations}", council=council)
    return secretariat, reverse("meetings:review_matrix", args=[meeting.pk])


def _invitation_progress(size):
    council = make_council(kind=Council.Kind.REGIONAL, secretariat_may_invite=True)
    chair = make_user(f"ordf-{size}")
    organisation = make_organisation()
    make_membership(
        person=make_person(given_name="Ingrid", user=chair, organisation=organisation),
        council=council,
        role=Membership.Role.CHAIR,
        organisation=organisation,
    )
    for n in range(size):
        person = make_person(
            given_name=f"Ledamot{n}",
            organisation=make_organisation(),
            email=f"ledamot{n}-{size}@example.org",
        )
        make_membership(person=person, council=council, organisation=person.organisation)
    meeting = make_approved_meeting(council)
    make_item(meeting, title="Regional kompetensförsörjning", presenter_name="Extern")
    trace = logging.getLogger("celery.app.trace")  # one line per mail otherwise
    level, trace.level = trace.level, logging.WARNING
    try:
        sending.send_invitations(meeting=meeting, user=chair)
    finally:
        trace.setLevel(level)
    return chair, reverse("meetings:invitation_progress", args=[meeting.pk])


def _council_page(size):
    """`size` members of the region and its seven municipalities, majority and opposition."""
    council = make_council(kind=Council.Kind.REGIONAL)
    organisations = [make_organisation(f"Kommun {n} ({size})") for n in range(7)]
    organisations.append(make_organisation(f"Regionen ({size})", kind=Organisation.Kind.REGION))
    for n in range(size):
        organisation = organisations[n % len(organisations)]
        make_membership(
            person=make_person(given_name=f"Ledamot{n}", organisation=organisation),
            council=council,
            organisation=organisation,
            role=Membership.Role.SUBSTITUTE if n % 3 == 2 else Membership.Role.MEMBER,
            side=Membership.Side.MAJORITY if n % 2 else Membership.Side.OPPOSITION,
        )
    viewer = make_secretariat_user(username=f"kansli-rad-{size}", council=council)
    return viewer, reverse("councils:council_detail", args=[council.slug])


BUILDERS = {
    "mina möten": _mina_moten,
    "proposal queue": _proposal_queue,
    "review matrix": _review_matrix,
    "invitation progress": _invitation_progress,
    "council page": _council_page,
}


def _size_label(size):
    return " × ".join(str(n) for n in size) if isinstance(size, tuple) else str(size)


def run():
    results = {}
    for page, sizes in SIZES.items():
        for size in sizes:
            user, url = BUILDERS[page](size)
            client = Client()
            client.force_login(user)
            results[f"{page} @ {_size_label(size)}"] = time_page(client, url, repeat=20)
    return results
