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
    cancelled=False,
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
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if organizer is not None:
        organizer_email, organizer_name = organizer
        event.add("organizer", _address(organizer_email, organizer_name))
    if attendee is not None:
        email, name = attendee
        address = _address(email, name)
        address.params["ROLE"] = icalendar.vText("REQ-PARTICIPANT")
        address.params["PARTSTAT"] = icalendar.vText("NEEDS-ACTION")
        address.params["RSVP"] = icalendar.vText("FALSE")
        address.params["CUTYPE"] = icalendar.vText("INDIVIDUAL")
        event.add("attendee", address)
    return event


def default_organizer():
    """The site's sender address, for a chair without an address of their own."""
    name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return email, name


def _calendar(method, events, *, dates, name=None):
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", TZID)
    # The VTIMEZONE first, as RFC 5545 examples and Outlook expect it before the events.
    today = timezone.localdate()
    calendar.add_component(
        stockholm_vtimezone(min([today, *dates]).year - 1, max([today, *dates]).year + 1)
    )
    for event in events:
        calendar.add_component(event)
    return calendar


@functools.lru_cache(maxsize=16)
def stockholm_vtimezone(first_year, last_year):
    """Europe/Stockholm's VTIMEZONE for whole years: small, and the same for every client
    (Outlook included). Cached: 500 invitations share one."""
    return icalendar.Timezone.from_tzid(
        TZID,
        first_date=datetime.date(first_year, 1, 1),
        last_date=datetime.date(last_year, 12, 31),
    )


def invitation_calendar(meeting, *, organizer, attendee, description="", url="", method=REQUEST):
    """The .ics of one invitation, update (REQUEST) or cancellation (CANCEL) for one person."""
    event = meeting_event(
        meeting,
        organizer=organizer,
        attendee=attendee,
        description=description,
        url=url,
        cancelled=method == CANCEL,
    )
    dates = [_local(meeting.starts_at).date(), _local(meeting.ends_at).date()]
    return _calendar(method, [event], dates=dates).to_ical()


def feed_calendar(meetings, *, name, url_for=None):
    """A person's subscription feed: every meeting as it stands now (METHOD:PUBLISH).

    Cancelled meetings stay in the feed with STATUS:CANCELLED so that calendars drop them.
    """
    meetings = list(meetings)
    events = [
        meeting_event(
            meeting,
            url=url_for(meeting) if url_for else "",
            cancelled=meeting.status == meeting.Status.CANCELLED,
        )
        for meeting in meetings
    ]
    dates = [_local(meeting.starts_at).date() for meeting in meetings]
    return _calendar(PUBLISH, events, dates=dates, name=name).to_ical()
