"""No silent lost update on meetings and on proposal decisions (councils/locking.py)."""

import pytest
from django.test import Client
from django.urls import reverse

from councils.locking import StaleEdit
from meetings.models import Meeting
from meetings.services import agenda as agenda_services
from tests.factories import make_secretariat_user
from tests.meetings.factories import make_meeting
from tests.support.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(council):
    return make_meeting(council, place="Sundsvall")


def test_stale_meeting_form_is_refused_and_keeps_both_versions(cast, meeting):
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    first, second = Client(), Client()
    first.force_login(cast.secretariat)
    second.force_login(make_secretariat_user(username="kansli-andra"))
    first_data = form_data(first.get(url))
    second_data = form_data(second.get(url))

    first_data["place"] = "Härnösand, Landstingshuset"
    assert first.post(url, first_data).status_code == 302
    second_data["title"] = "Månadsmöte december"
    response = second.post(url, second_data)

    assert response.status_code == 409
    meeting.refresh_from_db()
    assert meeting.place == "Härnösand, Landstingshuset"
    form = response.context["form"]
    assert form["title"].value() == "Månadsmöte december"
    assert form["place"].value() == "Sundsvall"
    assert form["place"].saved_value == "Härnösand, Landstingshuset"
    assert form["starts_at"].saved_value == ""  # unchanged: nothing shown

    merged = form_data(response)
    assert merged["version"] == str(meeting.version)
    merged["place"] = "Härnösand, Landstingshuset"
    assert second.post(url, merged).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.place) == ("Månadsmöte december", "Härnösand, Landstingshuset")
    records = list(meeting.history.order_by("history_id"))[-2:]
    assert [(r.version, r.title, r.place) for r in records] == [
        (2, meeting.history.earliest().title, "Härnösand, Landstingshuset"),
        (3, "Månadsmöte december", "Härnösand, Landstingshuset"),
    ]


def test_fresh_meeting_edit_is_accepted(client, cast, meeting):
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    client.force_login(cast.secretariat)
    data = form_data(client.get(url))
    data["place"] = "Östersund"
    assert client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.place, meeting.version) == ("Östersund", 2)


def test_status_changes_do_not_make_an_open_meeting_form_stale(client, cast, meeting):
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    client.force_login(cast.secretariat)
    data = form_data(client.get(url))
    agenda_services.change_status(meeting=meeting, user=None, action="prepare")
    data["place"] = "Östersund"
    assert client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.place, meeting.status) == ("Östersund", Meeting.Status.AGENDA_IN_PREPARATION)


def test_update_meeting_refuses_a_stale_version(meeting):
    agenda_services.update_meeting(meeting=meeting, user=None, version=1, place="Umeå")
    stale = Meeting.objects.get(pk=meeting.pk)
    with pytest.raises(StaleEdit) as refused:
        agenda_services.update_meeting(meeting=stale, user=None, version=1, place="Kramfors")
    assert refused.value.current.place == "Umeå"
    meeting.refresh_from_db()
    assert (meeting.place, meeting.version) == ("Umeå", 2)
