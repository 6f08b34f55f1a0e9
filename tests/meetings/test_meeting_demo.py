"""Demo data for meetings: idempotent, approved agenda, works without parts."""

import pytest
from django.contrib.auth import get_user_model

from councils import demo as councils_demo
from meetings import demo as meetings_demo
from meetings.models import AgendaItem, Attachment, Meeting
from meetings.pdf import render_agenda_pdf
from rus import demo as rus_demo

pytestmark = pytest.mark.django_db


def demo_users():
    User = get_user_model()
    return {
        name: User.objects.get_or_create(username=name)[0]
        for name in ("kansli", "ordforande", "ledamot", "rusgrupp", "admin")
    }


def test_demo_meeting_has_approved_agenda_with_rus_links_presenter_and_attachment():
    users = demo_users()
    strategy = rus_demo.seed()
    councils_demo.seed(users=users)
    result = meetings_demo.seed(users=users, strategy=strategy)
    approved = result["approved"]
    assert approved.status == Meeting.Status.AGENDA_APPROVED
    assert approved.council.slug == "regionala-samverkansradet"
    assert approved.is_upcoming
    items = list(approved.items.exclude(is_standing=True))
    kinds = {item.kind for item in items}
    assert kinds == {AgendaItem.Kind.INFORMATION, AgendaItem.Kind.POSITION}
    assert all(item.has_rus_link for item in items)
    assert any(item.presenter_id for item in items)
    # The situation report and the consultation paper about funding (found by search).
    attachments = Attachment.objects.filter(item__meeting=approved)
    assert attachments.count() == 2
    for attachment in attachments:
        assert attachment.current_version.file.read(4) == b"%PDF"
    assert approved.agenda_approved_by == users["ordforande"]
    assert render_agenda_pdf(approved).startswith(b"%PDF")

    preparing = result["in_preparation"]
    assert preparing.status == Meeting.Status.AGENDA_IN_PREPARATION
    assert preparing.items.filter(kind=AgendaItem.Kind.POSITION).exists()


def test_demo_is_idempotent():
    users = demo_users()
    strategy = rus_demo.seed()
    councils_demo.seed(users=users)
    meetings_demo.seed(users=users, strategy=strategy)
    counts = (Meeting.objects.count(), AgendaItem.objects.count(), Attachment.objects.count())
    meetings_demo.seed(users=users, strategy=strategy)
    assert (
        Meeting.objects.count(),
        AgendaItem.objects.count(),
        Attachment.objects.count(),
    ) == counts


def test_demo_without_councils_does_nothing():
    assert meetings_demo.seed(users=demo_users(), strategy=None) is None
    assert not Meeting.objects.exists()


def test_demo_without_strategy_still_creates_meetings():
    users = demo_users()
    councils_demo.seed(users=users)
    result = meetings_demo.seed(users=users, strategy=None)
    assert result["approved"].items.count() > 4
