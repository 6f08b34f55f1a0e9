"""The .ics entries: REQUEST and CANCEL for one attendee, the PUBLISH feed (R7)."""

import datetime

import icalendar
import pytest

from meetings import ics
from meetings.models import Meeting
from tests.meetings.factories import STOCKHOLM, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return make_meeting(
        title="Månadsmöte februari",
        starts_at=datetime.datetime(2027, 2, 11, 9, 0, tzinfo=STOCKHOLM),
        place="Härnösand, Landstingshuset",
        video_link="https://meet.example.org/rsr-feb",
    )


def parse(content):
    calendar = icalendar.Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_request_has_uid_sequence_organizer_attendee_and_stockholm_times(meeting):
    meeting.calendar_sequence = 3
    content = ics.invitation_calendar(
        meeting,
        organizer=("ordforande@example.org", "Ingrid Ordförande"),
        attendee=("ledamot@example.org", "Lars Ledamot"),
        description="1. Öppnande",
        url="https://samverkan.example.org/moten/1/",
    )
    calendar, event = parse(content)

    assert calendar["METHOD"] == "REQUEST"
    assert str(calendar["PRODID"]) == ics.PRODID
    assert str(event["UID"]) == meeting.calendar_uid
    assert int(event["SEQUENCE"]) == 3
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert event["DTSTART"].dt == datetime.datetime(2027, 2, 11, 9, 0, tzinfo=STOCKHOLM)
    assert event["DTEND"].dt == datetime.datetime(2027, 2, 11, 11, 0, tzinfo=STOCKHOLM)
    assert str(event["ORGANIZER"]) == "mailto:ordforande@example.org"
    assert event["ORGANIZER"].params["CN"] == "Ingrid Ordförande"
    assert str(event["ATTENDEE"]) == "mailto:ledamot@example.org"
    assert event["ATTENDEE"].params["PARTSTAT"] == "NEEDS-ACTION"
    assert "Härnösand" in str(event["LOCATION"])
    assert "meet.example.org" in str(event["LOCATION"])
    assert str(event["SUMMARY"]).endswith("Månadsmöte februari")
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "DTSTAMP" in event
    (timezone_component,) = calendar.walk("VTIMEZONE")
    assert str(timezone_component["TZID"]) == "Europe/Stockholm"
    # Both offsets of the year are described, so clients convert summer dates correctly.
    offsets = {c["TZOFFSETTO"].td for c in timezone_component.subcomponents}
    assert {datetime.timedelta(hours=1), datetime.timedelta(hours=2)} <= offsets


def test_uid_is_stable_across_versions(meeting):
    first = parse(ics.invitation_calendar(meeting, organizer=None, attendee=None))[1]
    meeting.calendar_sequence += 1
    meeting.starts_at += datetime.timedelta(hours=1)
    meeting.ends_at += datetime.timedelta(hours=1)
    second = parse(ics.invitation_calendar(meeting, organizer=None, attendee=None))[1]
    assert str(first["UID"]) == str(second["UID"])
    assert int(second["SEQUENCE"]) == int(first["SEQUENCE"]) + 1


def test_cancel_has_method_cancel_and_status_cancelled(meeting):
    calendar, event = parse(
        ics.invitation_calendar(
            meeting,
            organizer=("ordforande@example.org", "Ingrid"),
            attendee=("ledamot@example.org", "Lars"),
            method=ics.CANCEL,
        )
    )
    assert calendar["METHOD"] == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"


def test_lines_are_folded_and_crlf_terminated(meeting):
    meeting.title = "Ett mycket långt mötesnamn " * 6
    content = ics.invitation_calendar(
        meeting, organizer=("a@example.org", "Å"), attendee=("b@example.org", "Ö")
    )
    assert b"\r\n" in content
    assert all(len(line) <= 75 for line in content.split(b"\r\n"))


def test_feed_is_publish_with_every_meeting_and_cancelled_ones_marked(meeting):
    cancelled = make_meeting(
        council=meeting.council,
        starts_at=datetime.datetime(2027, 3, 11, 9, 0, tzinfo=STOCKHOLM),
        status=Meeting.Status.CANCELLED,
    )
    content = ics.feed_calendar([meeting, cancelled], name="Samverkan – Lars")
    calendar = icalendar.Calendar.from_ical(content)
    assert calendar["METHOD"] == "PUBLISH"
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {meeting.calendar_uid, cancelled.calendar_uid}
    assert str(events[cancelled.calendar_uid]["STATUS"]) == "CANCELLED"
    assert len(calendar.walk("VTIMEZONE")) == 1


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Meeting.Status.PLANNED, "TENTATIVE"),
        (Meeting.Status.AGENDA_IN_PREPARATION, "TENTATIVE"),
        (Meeting.Status.AGENDA_APPROVED, "TENTATIVE"),
        (Meeting.Status.INVITATIONS_SENT, "CONFIRMED"),
        (Meeting.Status.HELD, "CONFIRMED"),
        (Meeting.Status.CANCELLED, "CANCELLED"),
    ],
)
def test_feed_marks_meetings_tentative_until_the_invitations_are_sent(meeting, status, expected):
    meeting.status = status

    content = ics.feed_calendar([meeting], name="Samverkan – Lars")

    _, event = parse(content)
    assert str(event["STATUS"]) == expected


def test_rule_based_vtimezone_agrees_with_zoneinfo_hour_by_hour():
    """The VTIMEZONE we send says the same as the tz database, 2020–2035, DST switches included."""
    described = ics.stockholm_vtimezone().to_tz()
    moment = datetime.datetime(2020, 1, 1, 0, 30)
    while moment.year < 2036:
        assert described.utcoffset(moment) == moment.replace(tzinfo=STOCKHOLM).utcoffset(), moment
        moment += datetime.timedelta(hours=1)
    vtimezone = ics.stockholm_vtimezone()
    rules = {c.name: str(c["RRULE"].to_ical(), "ascii") for c in vtimezone.subcomponents}
    assert rules["DAYLIGHT"] == "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"
    assert rules["STANDARD"] == "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"
