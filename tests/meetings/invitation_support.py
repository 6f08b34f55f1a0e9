"""Data and helpers for the invitation tests."""

import email
import email.policy
from dataclasses import dataclass, field

import icalendar

from councils.models import Council, Membership
from meetings.models import Meeting
from meetings.services.invitations import mail
from tests.factories import (
    make_council,
    make_membership,
    make_organisation,
    make_person,
    make_user,
)
from tests.meetings.factories import make_approved_meeting, make_item

FAKE_PDF = b"%PDF-1.4\n% fake agenda for tests\n%%EOF\n"


@dataclass
class Setup:
    council: Council
    meeting: Meeting
    chair_user: object
    chair: object
    members: list = field(default_factory=list)
    presenter: object = None
    item: object = None


def make_invitation_setup(*, members=3, council=None, secretariat_may_invite=True, **meeting_kw):
    """A council with a chair (with login), `members` members with addresses, and an approved
    meeting whose agenda has an item presented by an outside presenter."""
    council = council or make_council(
        name="Regionala samverkansrådet", secretariat_may_invite=secretariat_may_invite
    )
    chair_user = make_user("ordforande")
    organisation = make_organisation()
    chair = make_person(
        given_name="Ingrid",
        family_name="Ordförande",
        user=chair_user,
        organisation=organisation,
        email="ordforande@example.org",
    )
    make_membership(
        person=chair, council=council, role=Membership.Role.CHAIR, organisation=organisation
    )
    people = []
    for n in range(members):
        person = make_person(
            given_name=f"Ledamot{n}",
            family_name=f"Efternamn{n}",
            organisation=organisation,
            email=f"ledamot{n}@example.org",
        )
        make_membership(person=person, council=council, organisation=organisation)
        people.append(person)
    meeting = make_approved_meeting(council, **meeting_kw)
    presenter = make_person(
        given_name="Petra",
        family_name="Föredragande",
        email="petra@example.org",
        organisation=make_organisation(),
    )
    item = make_item(meeting, title="Regional kompetensförsörjning", presenter=presenter)
    return Setup(
        council=council,
        meeting=meeting,
        chair_user=chair_user,
        chair=chair,
        members=people,
        presenter=presenter,
        item=item,
    )


def parse(raw):
    if isinstance(raw, bytes):
        return email.message_from_bytes(raw, policy=email.policy.default)
    return raw


def calendar_parts(message):
    """The text/calendar parts of a parsed message, as icalendar Calendars."""
    calendars = []
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            calendars.append((part, icalendar.Calendar.from_ical(part.get_content())))
    return calendars


def pdf_parts(message):
    return [
        part.get_content()
        for part in message.walk()
        if part.get_content_type() == "application/pdf"
    ]


def clear_pdf_cache():
    mail._pdf_cache.clear()
    mail._parts_cache.clear()
