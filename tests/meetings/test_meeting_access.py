"""Access to every meeting and agenda view (docs/roles.md): anonymous users go to the login
page, members of another council get 404, members get 403 on anything that changes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings import access
from meetings.services import agenda as agenda_services
from tests.factories import make_council
from tests.meetings.factories import PDF_BYTES, Cast, make_item, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    meeting = make_meeting(make_council(name="Regionala samverkansrådet"))
    item = make_item(meeting, title="Punkt")
    attachment = agenda_services.add_attachment(
        item=item, uploaded_file=SimpleUploadedFile("a.pdf", PDF_BYTES), user=None
    )
    return {"meeting": meeting, "item": item, "attachment": attachment, "cast": Cast(meeting)}


MEETING_VIEWS = [
    ("GET", "meeting_detail", "meeting"),
    ("GET", "meeting_edit", "meeting"),
    ("POST", "meeting_status", "meeting"),
    ("GET", "agenda_preview", "meeting"),
    ("GET", "agenda_pdf", "meeting"),
    ("POST", "agenda_approve", "meeting"),
    ("POST", "agenda_reopen", "meeting"),
    ("POST", "agenda_reorder", "meeting"),
    ("GET", "item_create", "meeting"),
    ("GET", "item_detail", "item"),
    ("GET", "item_edit", "item"),
    ("GET", "item_delete", "item"),
    ("POST", "item_move", "item"),
    ("POST", "item_prepared", "item"),
    ("POST", "attachment_upload", "item"),
    ("GET", "attachment_download", "attachment"),
    ("GET", "attachment_replace", "attachment"),
    ("GET", "attachment_delete", "attachment"),
]
WRITE_VIEWS = {
    "meeting_edit",
    "meeting_status",
    "agenda_approve",
    "agenda_reopen",
    "agenda_reorder",
    "item_create",
    "item_edit",
    "item_delete",
    "item_move",
    "item_prepared",
    "attachment_upload",
    "attachment_replace",
    "attachment_delete",
}


def url_for(world, name, scope):
    meeting = world["meeting"]
    if scope == "meeting":
        return reverse(f"meetings:{name}", args=[meeting.pk])
    if scope == "item":
        return reverse(f"meetings:{name}", args=[meeting.pk, world["item"].pk])
    return reverse(f"meetings:{name}", args=[meeting.pk, world["attachment"].pk])


def call(client, method, url):
    return client.get(url) if method == "GET" else client.post(url, {})


@pytest.mark.parametrize("method, name, scope", MEETING_VIEWS)
def test_anonymous_goes_to_login(client, world, method, name, scope):
    response = call(client, method, url_for(world, name, scope))
    assert response.status_code == 302
    assert reverse("login") in response.url


@pytest.mark.parametrize("method, name, scope", MEETING_VIEWS)
def test_member_of_other_council_gets_404(client, world, method, name, scope):
    client.force_login(world["cast"].other_council_member)
    assert call(client, method, url_for(world, name, scope)).status_code == 404


@pytest.mark.parametrize(
    "method, name, scope", [view for view in MEETING_VIEWS if view[1] in WRITE_VIEWS]
)
def test_member_may_read_but_not_change(client, world, method, name, scope):
    client.force_login(world["cast"].member)
    assert call(client, method, url_for(world, name, scope)).status_code == 403


@pytest.mark.parametrize(
    "method, name, scope", [view for view in MEETING_VIEWS if view[1] not in WRITE_VIEWS]
)
def test_member_reads(client, world, method, name, scope):
    client.force_login(world["cast"].member)
    assert call(client, method, url_for(world, name, scope)).status_code == 200


@pytest.mark.parametrize("name", ["meeting_list", "meeting_create", "meeting_series"])
def test_pages_without_a_meeting_need_login(client, name):
    response = client.get(reverse(f"meetings:{name}"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_visible_meetings_per_role(world):
    cast, meeting = world["cast"], world["meeting"]
    other = make_meeting(make_council())
    for user in (cast.secretariat, cast.rus_group):
        assert set(access.visible_meetings(user)) == {meeting, other}
    assert set(access.visible_meetings(cast.member)) == {meeting}
    assert set(access.visible_meetings(cast.chair)) == {meeting}
    assert set(access.visible_meetings(cast.other_council_member)) == set()
    assert set(access.visible_meetings(cast.presenter)) == set()
    make_item(other, presenter=cast.presenter_person)
    assert set(access.visible_meetings(cast.presenter)) == {other}


def test_permission_helpers(world):
    cast, meeting = world["cast"], world["meeting"]
    approve, prepare = access.Action.APPROVE_AGENDA, access.Action.PREPARE_AGENDA
    assert access.may(cast.chair, approve, meeting)
    assert access.may(cast.secretariat, approve, meeting)
    assert not access.may(cast.other_chair, approve, meeting)
    assert not access.may(cast.rus_group, approve, meeting)
    assert not access.may(cast.member, approve, meeting)
    assert access.may(cast.rus_group, prepare, meeting)
    assert access.may(cast.secretariat, prepare, meeting)
    assert not access.may(cast.chair, prepare, meeting)
    assert not access.may(cast.member, prepare, meeting)
