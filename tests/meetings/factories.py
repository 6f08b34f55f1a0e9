"""Meetings and agenda items for tests (the proposal and invitation tests import these too)."""

import datetime
import itertools
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from councils.locking import order_token
from meetings.models import AgendaItem, Meeting
from meetings.services import agenda as agenda_services
from tests.factories import (
    make_chair_user,
    make_council,
    make_member_user,
    make_person,
    make_rus_group_user,
    make_secretariat_user,
    make_user,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"
_counter = itertools.count(1)


def make_meeting(
    council=None,
    *,
    starts_at=None,
    days_ahead=14,
    hours=2,
    status=Meeting.Status.PLANNED,
    title=None,
    standing_items=True,
    **extra,
):
    """A meeting `days_ahead` days from now (negative for the past), with the standing items."""
    council = council or make_council()
    if starts_at is None:
        day = timezone.localdate() + datetime.timedelta(days=days_ahead)
        starts_at = datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=STOCKHOLM)
    meeting = Meeting.objects.create(
        council=council,
        title=title or f"Sammanträde {next(_counter)}",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        status=status,
        **extra,
    )
    if standing_items:
        agenda_services.add_standing_items(meeting=meeting)
    return meeting


def make_item(meeting=None, *, title=None, kind=AgendaItem.Kind.INFORMATION, **fields):
    """An agenda item added the way the app adds it: before the closing item."""
    meeting = meeting or make_meeting()
    return agenda_services.add_item(
        meeting=meeting,
        user=None,
        title=title or f"Punkt {next(_counter)}",
        kind=kind,
        **fields,
    )


def pdf_upload(name="underlag.pdf"):
    """A small PDF as a browser uploads it."""
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def titles(meeting):
    """The agenda's titles in order, standing items included."""
    return list(meeting.items.order_by("position").values_list("title", flat=True))


def shown_order(meeting):
    """What the meeting page's move and reorder forms carry: the order they were built from."""
    return order_token(meeting.items.filter(is_standing=False).values_list("pk", flat=True))


def make_approved_meeting(council=None, **kwargs):
    meeting = make_meeting(council, status=Meeting.Status.AGENDA_APPROVED, **kwargs)
    meeting.agenda_approved_at = timezone.now()
    meeting.save(update_fields=["agenda_approved_at"])
    return meeting


class Cast:
    """The usual people around one meeting, each a user with the role the name says."""

    def __init__(self, meeting):
        self.meeting = meeting
        council = meeting.council
        self.secretariat = make_secretariat_user(username=f"kansli{next(_counter)}")
        self.rus_group = make_rus_group_user(username=f"rus{next(_counter)}")
        self.chair = make_chair_user(council, username=f"ordf{next(_counter)}")
        self.member = make_member_user(council, username=f"ledamot{next(_counter)}")
        self.other_council_member = make_member_user(
            make_council(), username=f"annan{next(_counter)}"
        )
        self.other_chair = make_chair_user(make_council(), username=f"annanordf{next(_counter)}")
        self.presenter = make_user(f"foredragande{next(_counter)}")
        self.presenter_person = make_person(given_name="Petra", user=self.presenter)
