"""The demo shows every protocol capability at once (`manage.py seed_demo`; the shared demo
data, tests/conftest.py)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from meetings.models import ItemProposal, Meeting
from protocols import canonical, services
from protocols import demo as protocols_demo
from protocols.models import Attendance, JusteringEvent, Protocol, Signatory
from rus.models import OutgoingMail

pytestmark = pytest.mark.django_db


def test_the_held_meeting_has_a_full_protocol(demo):
    protocol = Protocol.objects.get(meeting__title=protocols_demo.HELD_TITLE)
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


def test_the_held_meetings_protocol_was_adjusted_through_the_services(demo):
    protocol = Protocol.objects.get(meeting__title=protocols_demo.HELD_TITLE)
    assert protocol.is_adjusted
    assert protocol.meeting.status == Meeting.Status.MINUTES_ADJUSTED
    assert all(
        s.has_approved and s.checksum == protocol.checksum for s in protocol.signatories.all()
    )
    assert protocol.checksum == canonical.checksum(protocol)
    kinds = [e.kind for e in protocol.justering_events.all()]
    assert kinds[0] == JusteringEvent.Kind.SENT and kinds[-1] == JusteringEvent.Kind.ADJUSTED
    assert OutgoingMail.objects.filter(template="protocol_adjusted").exists()


def test_the_chair_finds_the_waiting_protocol_on_logging_in(client, demo):
    protocol = Protocol.objects.get(meeting__title=protocols_demo.WAITING_TITLE)
    assert protocol.is_sent
    assert protocol.meeting.status == Meeting.Status.MINUTES_DRAFTED
    chair = protocol.signatories.get(role=Signatory.Role.CHAIR)
    assert not chair.has_approved
    assert all(s.has_approved for s in protocol.signatories.exclude(pk=chair.pk))
    # Its adjuster has no account: signed on paper, recorded by the secretariat (R8).
    paper = protocol.signatories.get(role=Signatory.Role.ADJUSTER)
    assert paper.on_paper and paper.person.user_id is None
    assert paper.approved_by.username == "kansli"
    assert protocol.justering_events.filter(kind=JusteringEvent.Kind.APPROVED_ON_PAPER).exists()
    assert client.login(username="ordforande", password="samverkan-demo")
    html = client.get(reverse("home")).content.decode()
    assert "Protokoll att justera" in html and protocols_demo.WAITING_TITLE in html


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


def test_the_adjusted_protocol_has_its_pdf_and_is_in_the_public_archive(client, demo):
    from protocols import documents
    from rus.documents.models import RenderStatus
    from rus.tasks import render_document

    protocol = Protocol.objects.get(meeting__title=protocols_demo.HELD_TITLE)
    document = documents.pdf_document(protocol)
    # Asked for in seed_demo's transaction; its task is published when that commits (the shared
    # demo data of the tests is never committed), so it runs here as the worker would run it.
    assert document is not None and document.version_key == protocol.checksum
    render_document.delay(document.pk)
    document.refresh_from_db()
    assert document.status == RenderStatus.DONE and document.page_count >= 2
    assert protocol.council.publishes_protocols
    client.logout()
    page = client.get(reverse("archive:protocol", args=[protocol.pk]))
    assert page.status_code == 200
    assert reverse("archive:protocol_pdf", args=[protocol.pk]) in page.text
    pdf = client.get(reverse("archive:protocol_pdf", args=[protocol.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    consensus = protocol.entries.get(outcome="consensus")
    positions = client.get(reverse("archive:positions")).text
    assert consensus.title in positions
    waiting = Protocol.objects.get(meeting__title=protocols_demo.WAITING_TITLE)
    assert client.get(reverse("archive:protocol", args=[waiting.pk])).status_code == 404
