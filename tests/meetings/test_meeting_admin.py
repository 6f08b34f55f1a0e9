"""The admin changes a meeting's status only through the life cycle's transitions (the same
service as the meeting page), and leaves a held meeting's agenda as it is."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from meetings.models import Meeting
from tests.factories import make_council
from tests.meetings.factories import make_item, make_meeting

pytestmark = pytest.mark.django_db


def _change_url(meeting):
    return reverse("admin:meetings_meeting_change", args=[meeting.pk])


def _form_data(meeting, **changes):
    data = {
        "council": meeting.council_id,
        "kind": meeting.kind,
        "title": meeting.title,
        "starts_at_0": meeting.starts_at.strftime("%Y-%m-%d"),
        "starts_at_1": meeting.starts_at.strftime("%H:%M:%S"),
        "ends_at_0": meeting.ends_at.strftime("%Y-%m-%d"),
        "ends_at_1": meeting.ends_at.strftime("%H:%M:%S"),
        "place": "",
        "video_link": "",
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "version": meeting.version,  # the change form's, from which the save was made
    }
    data.update(changes)
    return data


def test_status_is_read_only_in_the_admin(admin_client):
    meeting = make_meeting(make_council(), standing_items=False)
    page = admin_client.get(_change_url(meeting)).content.decode()
    assert 'name="status"' not in page
    response = admin_client.post(_change_url(meeting), _form_data(meeting, status="published"))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def _run_action(admin_client, name, meeting):
    return admin_client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": f"status_{name}", ACTION_CHECKBOX_NAME: [meeting.pk]},
        follow=True,
    )


def test_admin_actions_go_through_the_transitions(admin_client):
    meeting = make_meeting(make_council(), days_ahead=3)
    _run_action(admin_client, "cancel", meeting)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    _run_action(admin_client, "reinstate", meeting)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_admin_cannot_mark_a_coming_meeting_held(admin_client):
    meeting = make_meeting(make_council(), days_ahead=3, status=Meeting.Status.INVITATIONS_SENT)
    response = _run_action(admin_client, "held", meeting)
    assert "först när det har börjat" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.INVITATIONS_SENT


def test_held_meetings_items_are_read_only_in_the_admin(admin_client):
    meeting = make_meeting(make_council(), days_ahead=-1)
    item = make_item(meeting, title="Protokollförd")
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    url = reverse("admin:meetings_agendaitem_change", args=[item.pk])
    response = admin_client.post(url, {"title": "Ändrad i efterhand"})
    assert response.status_code == 403
    delete = reverse("admin:meetings_agendaitem_delete", args=[item.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    item.refresh_from_db()
    assert item.title == "Protokollförd"
