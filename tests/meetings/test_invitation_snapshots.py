"""Snapshots of time, place and agenda stored with each mailing, and the changes told from them
(R7): the same moment written in another time zone is no change."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.demo_invitations import TITLE
from meetings.models import Mailing, Meeting
from meetings.schedule import describe_changes, snapshot
from meetings.selectors import invitations as selectors
from tests.meetings.factories import STOCKHOLM, make_approved_meeting

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NEW_YORK = ZoneInfo("America/New_York")


def stored(meeting):
    """The snapshot as a mailing keeps it: written to the database and read back."""
    mailing = Mailing.objects.create(
        meeting=meeting, kind=Mailing.Kind.INVITATION, sequence=0, snapshot=snapshot(meeting)
    )
    return Mailing.objects.get(pk=mailing.pk).snapshot


@pytest.mark.parametrize(
    "starts_at",
    [
        datetime.datetime(2027, 1, 8, 9, 0, tzinfo=STOCKHOLM),  # winter time, +01:00
        datetime.datetime(2027, 6, 11, 9, 0, tzinfo=STOCKHOLM),  # summer time, +02:00
        datetime.datetime(2027, 3, 28, 1, 30, tzinfo=STOCKHOLM),  # the night clocks go forward
        datetime.datetime(2027, 10, 31, 2, 30, tzinfo=STOCKHOLM, fold=1),  # the repeated hour
    ],
)
def test_snapshot_round_trip_across_time_zones_reports_no_change(starts_at):
    meeting = make_approved_meeting(starts_at=starts_at)
    before = stored(meeting)  # written with the Stockholm offset the form gave

    for zone in (UTC, NEW_YORK, STOCKHOLM):
        with timezone.override(zone):
            reloaded = Meeting.objects.get(pk=meeting.pk)  # read back from the database in UTC
            reloaded.starts_at = reloaded.starts_at.astimezone(zone)
            reloaded.ends_at = reloaded.ends_at.astimezone(zone)
            assert describe_changes(before, snapshot(reloaded)) == []
            assert describe_changes(snapshot(reloaded), before) == []


def test_a_real_change_of_an_hour_across_the_daylight_saving_change_is_reported():
    meeting = make_approved_meeting(
        starts_at=datetime.datetime(2027, 3, 27, 9, 0, tzinfo=STOCKHOLM)
    )
    before = stored(meeting)
    meeting.starts_at = datetime.datetime(2027, 3, 28, 9, 0, tzinfo=UTC)  # 11.00 summer time
    meeting.ends_at = meeting.starts_at + datetime.timedelta(hours=2)
    meeting.save()

    with timezone.override(STOCKHOLM):
        changes = describe_changes(before, snapshot(Meeting.objects.get(pk=meeting.pk)))

    assert changes == [
        "Ny tid: söndag 28 mars 2027 kl. 11.00–13.00 "
        "(tidigare lördag 27 mars 2027 kl. 09.00–11.00)."
    ]


def test_demo_meeting_with_invitations_sent_offers_no_update(client, demo):
    meeting = Meeting.objects.get(title=TITLE)
    assert meeting.status == Meeting.Status.INVITATIONS_SENT

    assert selectors.pending_changes(meeting) == []
    client.force_login(demo["ordforande"])
    for url in (
        reverse("meetings:meeting_detail", args=[meeting.pk]),
        reverse("meetings:invitation_progress", args=[meeting.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "Skicka uppdatering" not in response.content.decode()


def test_snapshot_names_the_same_moment_in_the_same_text_whatever_the_time_zone():
    meeting = make_approved_meeting(
        starts_at=datetime.datetime(2027, 6, 11, 9, 0, tzinfo=STOCKHOLM)
    )
    texts = set()
    for zone in (UTC, NEW_YORK, STOCKHOLM):
        meeting.starts_at = meeting.starts_at.astimezone(zone)
        meeting.ends_at = meeting.ends_at.astimezone(zone)
        texts.add((snapshot(meeting)["starts_at"], snapshot(meeting)["ends_at"]))

    assert texts == {("2027-06-11T07:00:00+00:00", "2027-06-11T09:00:00+00:00")}


def test_snapshot_written_in_stockholm_time_by_an_earlier_version_is_no_change():
    meeting = make_approved_meeting(starts_at=datetime.datetime(2027, 1, 8, 9, 0, tzinfo=STOCKHOLM))
    legacy = snapshot(meeting) | {
        "starts_at": "2027-01-08T09:00:00+01:00",
        "ends_at": timezone.localtime(meeting.ends_at, STOCKHOLM).isoformat(),
    }
    naive_utc = snapshot(meeting) | {"starts_at": "2027-01-08T08:00:00"}

    assert describe_changes(legacy, snapshot(meeting)) == []
    assert describe_changes(naive_utc, snapshot(meeting)) == []
