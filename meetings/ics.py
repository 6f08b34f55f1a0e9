"""iCalendar entries for meetings (RFC 5545/5546), built with the `icalendar` library.

One VEVENT per meeting: UID `meeting.calendar_uid` (stable for the meeting's whole life),
SEQUENCE `meeting.calendar_sequence` (raised on every change), DTSTART/DTEND in Europe/Stockholm
with its VTIMEZONE, the chair as ORGANIZER. An invitation carries METHOD:REQUEST for one
attendee, a cancellation METHOD:CANCEL; the personal feed is METHOD:PUBLISH with many events.
"""

import datetime
import functools
import zoneinfo
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.utils import timezone

PRODID = "-//Region Västernorrland//Samverkan//SV"
TZID = "Europe/Stockholm"
STOCKHOLM = zoneinfo.ZoneInfo(TZID)

REQUEST = "REQUEST"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"


def _address(email, name):
    address = icalendar.vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = icalendar.vText(name)
    return address


def _local(moment):
    return timezone.localtime(moment, STOCKHOLM)


def meeting_location(meeting):
    """LOCATION: the place, the video link, or both for a hybrid meeting."""
    return " – ".join(part for part in (meeting.place, meeting.video_link) if part)


def meeting_event(
    meeting,
    *,
    organizer=None,
    attendee=None,
    description="",
    url="",
    status="CONFIRMED",
    stamp=None,
):
    """One VEVENT for the meeting; `organizer` and `attendee` are (email, name) pairs."""
    event = icalendar.Event()
    event.add("uid", meeting.calendar_uid)
    event.add("sequence", meeting.calendar_sequence)
    event.add("dtstamp", stamp or timezone.now())
    event.add("dtstart", _local(meeting.starts_at))
    event.add("dtend", _local(meeting.ends_at))
    event.add("summary", f"{meeting.council.name}: {meeting.title}")
    location = meeting_location(meeting)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    event.add("status", status)
    event.add("transp", "OPAQUE")
    if organizer is not None:
        organizer_email, organizer_name = organizer
        event.add("organizer", _address(organizer_email, organizer_name))
    if attendee is not None:
        event.add("attendee", _attendee(*attendee))
    return event


def default_organizer():
    """The site's sender address, for a chair without an address of their own."""
    name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return email, name


def _calendar(method, events, *, name=None):
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", TZID)
    # The VTIMEZONE first, as RFC 5545 examples and Outlook expect it before the events.
    calendar.add_component(stockholm_vtimezone())
    for event in events:
        calendar.add_component(event)
    return calendar


@functools.lru_cache(maxsize=1)
def stockholm_vtimezone():
    """Europe/Stockholm as a rule-based VTIMEZONE (the EU rule: summer time from the last
    Sunday of March 02:00 to the last Sunday of October 03:00), the form Google Calendar and
    Outlook themselves send and every client reads. A test checks it against zoneinfo."""
    vtimezone = icalendar.Timezone()
    vtimezone.add("tzid", TZID)
    vtimezone.add("x-lic-location", TZID)
    for component, name, offset_from, offset_to, start, month in (
        (icalendar.TimezoneDaylight, "CEST", 1, 2, datetime.datetime(1970, 3, 29, 2, 0), 3),
        (icalendar.TimezoneStandard, "CET", 2, 1, datetime.datetime(1970, 10, 25, 3, 0), 10),
    ):
        rule = component()
        rule.add("tzname", name)
        rule.add("tzoffsetfrom", datetime.timedelta(hours=offset_from))
        rule.add("tzoffsetto", datetime.timedelta(hours=offset_to))
        rule.add("dtstart", start)
        rule.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        vtimezone.add_component(rule)
    return vtimezone


def invitation_calendar(
    meeting, *, organizer, attendee, description="", url="", method=REQUEST, stamp=None
):
    """The .ics of one invitation, update (REQUEST) or cancellation (CANCEL) for one person."""
    event = meeting_event(
        meeting,
        organizer=organizer,
        attendee=attendee,
        description=description,
        url=url,
        status="CANCELLED" if method == CANCEL else "CONFIRMED",
        stamp=stamp,
    )
    return _calendar(method, [event]).to_ical()


def _attendee(email, name):
    address = _address(email, name)
    address.params["ROLE"] = icalendar.vText("REQ-PARTICIPANT")
    address.params["PARTSTAT"] = icalendar.vText("NEEDS-ACTION")
    address.params["RSVP"] = icalendar.vText("FALSE")
    address.params["CUTYPE"] = icalendar.vText("INDIVIDUAL")
    return address


def _attendee_lines(ical):
    """Where the ATTENDEE content line (folded over several lines) is in `ical`."""
    start = ical.index(b"\r\nATTENDEE") + 2
    end = ical.index(b"\r\n", start)
    while ical[end + 2 : end + 3] == b" ":  # a folded line continues
        end = ical.index(b"\r\n", end + 2)
    return start, end + 2


class InvitationCalendars:
    """The .ics of one mailing for each of its attendees: `invitation_calendar` built once with
    a stand-in attendee; each person's ATTENDEE line is built alone and put in its place (the
    icalendar library spends as long on a whole calendar as a message's SMTP exchange takes)."""

    STAND_IN = ("attendee@samverkan.invalid", "Samverkan")

    def __init__(self, meeting, *, organizer, description="", url="", method=REQUEST, stamp=None):
        self.ical = invitation_calendar(
            meeting,
            organizer=organizer,
            attendee=self.STAND_IN,
            description=description,
            url=url,
            method=method,
            stamp=stamp or timezone.now(),
        )
        self.start, self.end = _attendee_lines(self.ical)

    def for_attendee(self, email, name):
        event = icalendar.Event()
        event.add("attendee", _attendee(email, name))
        line = event.to_ical()
        start, end = _attendee_lines(line)
        return self.ical[: self.start] + line[start:end] + self.ical[self.end :]


def feed_status(meeting):
    """TENTATIVE until the invitations are sent, CANCELLED after a cancellation (calendars then
    drop it), else CONFIRMED."""
    if meeting.status == meeting.Status.CANCELLED:
        return "CANCELLED"
    if meeting.status in meeting.NOT_YET_INVITED_STATUSES:
        return "TENTATIVE"
    return "CONFIRMED"


def feed_calendar(meetings, *, name, url_for=None):
    """A person's subscription feed: every meeting as it stands now (METHOD:PUBLISH)."""
    meetings = list(meetings)
    events = [
        meeting_event(
            meeting,
            url=url_for(meeting) if url_for else "",
            status=feed_status(meeting),
        )
        for meeting in meetings
    ]
    return _calendar(PUBLISH, events, name=name).to_ical()
