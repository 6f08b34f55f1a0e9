"""The demo shows every protocol capability at once (`manage.py seed_demo`; the shared demo
data, tests/conftest.py)."""

from io import StringIO

import pytest
from django.core.management import call_command

from meetings.models import ItemProposal, Meeting
from protocols import demo as protocols_demo
from protocols import services
from protocols.models import Attendance, Protocol

pytestmark = pytest.mark.django_db


def test_the_held_meeting_has_a_full_draft_protocol(demo):
    protocol = Protocol.objects.get(meeting__title=protocols_demo.HELD_TITLE)
    assert protocol.meeting.status == Meeting.Status.HELD
    attendance = protocol.attendance.all()
    assert attendance.filter(capacity=Attendance.Capacity.SERVING_SUBSTITUTE, present=True)
    assert attendance.filter(capacity=Attendance.Capacity.ADJUNCT, present=True)
    assert attendance.filter(present=False)
    assert attendance.filter(is_adjuster=True).count() == 2
    entries = protocol.entries.all()
    assert entries.filter(kind="information", outcome="noted").exists()
    consensus = entries.get(outcome="consensus")
    assert consensus.dissents.get().from_expected
    assert consensus.withdrawn_dissents.count() == 1
    returned = entries.get(outcome="no_consensus").returned_proposal
    assert returned.status == ItemProposal.Status.SUBMITTED and returned.returned_from_id


def test_the_ongoing_meeting_can_be_minuted(demo):
    meeting = Meeting.objects.get(title=protocols_demo.ONGOING_TITLE)
    assert services.may_open(meeting)
    assert not Protocol.objects.filter(meeting=meeting).exists()


def test_seeding_twice_adds_nothing(demo):
    """Seeding again on the shared demo data (rolled back at the end of the test)."""
    counts = (Protocol.objects.count(), Meeting.objects.count(), ItemProposal.objects.count())
    call_command("seed_demo", force=True, stdout=StringIO())
    assert (
        Protocol.objects.count(),
        Meeting.objects.count(),
        ItemProposal.objects.count(),
    ) == counts
