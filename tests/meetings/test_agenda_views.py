"""Agenda editing, ordering, preparation and approval (R6, R7, R12)."""

import pytest
from django.urls import reverse

from meetings.models import AgendaItem, Meeting
from rus.models import SustainabilityDimension
from tests.factories import make_organisation
from tests.meetings.factories import make_item, make_meeting, shown_order, titles

pytestmark = pytest.mark.django_db


def item_data(**overrides):
    data = {
        "title": "Ny punkt",
        "kind": AgendaItem.Kind.INFORMATION,
        "focus_area": "",
        "influence_issue": "",
        "target_area": "",
        "background": "",
        "questions": "",
        "presenter": "",
        "presenter_name": "",
        "presenter_email": "",
        "proposing_organisation": "",
        "estimated_minutes": "15",
        "version": "1",  # a new item's, and the one an edit form was built from
    }
    data.update(overrides)
    return data


# --- Create -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["secretariat", "rus_group"])
def test_secretariat_and_rus_group_add_items(client, cast, meeting, focus_area, role):
    client.force_login(getattr(cast, role))
    organisation = make_organisation("Härnösands kommun")
    dimension = SustainabilityDimension.objects.first()
    data = item_data(
        title="EU:s sammanhållningspolitik",
        kind=AgendaItem.Kind.POSITION,
        focus_area=focus_area.pk,
        background="Remiss om framtidens sammanhållningspolitik.",
        presenter=cast.presenter_person.pk,
        proposing_organisation=organisation.pk,
    )
    if dimension:
        data["dimensions"] = [dimension.pk]
    response = client.post(reverse("meetings:item_create", args=[meeting.pk]), data)
    assert response.status_code == 302
    item = meeting.items.get(title="EU:s sammanhållningspolitik")
    assert item.focus_area == focus_area
    assert item.presenter == cast.presenter_person
    assert item.proposing_organisation == organisation
    assert item.estimated_minutes == 15
    assert titles(meeting)[-2:] == ["EU:s sammanhållningspolitik", "Avslutning"]
    if dimension:
        assert list(item.dimensions.all()) == [dimension]


def test_external_presenter_needs_email(client, cast, meeting):
    client.force_login(cast.secretariat)
    data = item_data(title="Behåll rubriken", presenter_name="Eva Extern")
    response = client.post(reverse("meetings:item_create", args=[meeting.pk]), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Ange e-postadress till den externa föredraganden" in content
    assert "Behåll rubriken" in content and "Eva Extern" in content
    assert not meeting.items.filter(title="Behåll rubriken").exists()


def test_presenter_from_register_and_external_both_refused(client, cast, meeting):
    client.force_login(cast.secretariat)
    data = item_data(
        presenter=cast.presenter_person.pk, presenter_name="Eva", presenter_email="eva@x.se"
    )
    response = client.post(reverse("meetings:item_create", args=[meeting.pk]), data)
    assert "inte båda" in response.content.decode()


@pytest.mark.parametrize("role", ["member", "chair"])
def test_members_and_chair_may_not_add_items(client, cast, meeting, role):
    client.force_login(getattr(cast, role))
    url = reverse("meetings:item_create", args=[meeting.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, item_data()).status_code == 403


def test_other_council_member_gets_404_on_item_create(client, cast, meeting):
    client.force_login(cast.other_council_member)
    assert client.get(reverse("meetings:item_create", args=[meeting.pk])).status_code == 404


def test_anonymous_item_create_goes_to_login(client, meeting):
    response = client.get(reverse("meetings:item_create", args=[meeting.pk]))
    assert response.status_code == 302 and "logga-in" in response.url


# --- Edit, detail, delete -----------------------------------------------------------------------


def test_edit_item_records_history(client, cast, meeting):
    item = make_item(meeting, title="Gammal rubrik")
    client.force_login(cast.rus_group)
    url = reverse("meetings:item_edit", args=[meeting.pk, item.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, item_data(title="Ny rubrik"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Ny rubrik"
    assert not item.changed_after_approval
    last = item.history.latest("history_date")
    assert last.history_user == cast.rus_group
    assert last.history_change_reason == "Punkten ändrades"


def test_change_after_approval_is_marked_and_shown(client, cast, meeting):
    item = make_item(meeting, title="Godkänd punkt")
    meeting.approve_agenda(cast.chair)
    client.force_login(cast.secretariat)
    url = reverse("meetings:item_edit", args=[meeting.pk, item.pk])
    client.post(url, item_data(title="Ändrad punkt"))
    item.refresh_from_db()
    assert item.changed_after_approval
    detail = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Ändrad efter godkännande" in detail
    item_page = client.get(reverse("meetings:item_detail", args=[meeting.pk, item.pk]))
    assert "Punkten ändrades" in item_page.content.decode()
    assert "Ändrat: Rubrik, Beräknad tid (minuter), Ändrad efter godkännande" in (
        item_page.content.decode()
    )


def test_change_after_approval_may_not_strip_a_position_item(client, cast, meeting, focus_area):
    item = make_item(
        meeting,
        title="Godkänt ställningstagande",
        kind=AgendaItem.Kind.POSITION,
        focus_area=focus_area,
        background="Underlag.",
    )
    meeting.approve_agenda(cast.chair)
    client.force_login(cast.secretariat)
    url = reverse("meetings:item_edit", args=[meeting.pk, item.pk])
    data = item_data(
        title="Nytt namn", kind=AgendaItem.Kind.POSITION, focus_area=focus_area.pk, background=""
    )
    response = client.post(url, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Dagordningen är godkänd" in content
    assert "Bakgrund eller frågeställningar saknas." in content
    assert 'value="Nytt namn"' in content  # what was typed is kept
    item.refresh_from_db()
    assert item.title == "Godkänt ställningstagande" and item.background == "Underlag."
    assert not item.changed_after_approval


@pytest.mark.parametrize("role", ["secretariat", "rus_group"])
def test_standing_item_page_shows_its_history(client, cast, meeting, role):
    opening = meeting.items.get(standing_key=AgendaItem.Standing.OPENING)
    client.force_login(getattr(cast, role))
    response = client.get(reverse("meetings:item_detail", args=[meeting.pk, opening.pk]))
    assert response.status_code == 200
    assert "Historik" in response.text and "Skapad" in response.text


def test_item_page_opens_when_the_item_has_no_history_rows(client, cast, meeting):
    """Standing items made before they got history rows (bulk_create) have none at all."""
    opening = meeting.items.get(standing_key=AgendaItem.Standing.OPENING)
    opening.history.all().delete()
    client.force_login(cast.secretariat)
    response = client.get(reverse("meetings:item_detail", args=[meeting.pk, opening.pk]))
    assert response.status_code == 200


def test_item_page_history_starts_at_the_oldest_row_kept(client, cast, meeting):
    """An edit whose creation row is missing is shown without a comparison, not as a 500."""
    item = make_item(meeting, title="Punkt utan början")
    client.force_login(cast.secretariat)
    client.post(
        reverse("meetings:item_edit", args=[meeting.pk, item.pk]), item_data(title="Ny rubrik")
    )
    item.history.filter(history_type="+").delete()
    response = client.get(reverse("meetings:item_detail", args=[meeting.pk, item.pk]))
    assert response.status_code == 200
    assert "Punkten ändrades" in response.text


def test_member_may_read_item_but_not_edit(client, cast, meeting):
    item = make_item(meeting, title="Läsbar punkt", background="Bakgrundstext här.")
    client.force_login(cast.member)
    response = client.get(reverse("meetings:item_detail", args=[meeting.pk, item.pk]))
    assert response.status_code == 200
    assert "Bakgrundstext här." in response.content.decode()
    assert "Historik" not in response.content.decode()
    url = reverse("meetings:item_edit", args=[meeting.pk, item.pk])
    assert client.get(url).status_code == 403


def test_presenter_reads_own_item_only(client, cast, meeting):
    own = make_item(meeting, title="Egen", presenter=cast.presenter_person)
    other = make_item(meeting, title="Annan")
    client.force_login(cast.presenter)
    assert client.get(reverse("meetings:item_detail", args=[meeting.pk, own.pk])).status_code == 200
    response = client.get(reverse("meetings:item_detail", args=[meeting.pk, other.pk]))
    assert response.status_code == 404


def test_item_of_other_meeting_is_404(client, cast, meeting):
    other_meeting = make_meeting(meeting.council)
    item = make_item(other_meeting)
    client.force_login(cast.secretariat)
    response = client.get(reverse("meetings:item_detail", args=[meeting.pk, item.pk]))
    assert response.status_code == 404


def test_delete_item(client, cast, meeting):
    item = make_item(meeting, title="Bort")
    client.force_login(cast.secretariat)
    url = reverse("meetings:item_delete", args=[meeting.pk, item.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert "Bort" not in titles(meeting)
    assert list(meeting.items.values_list("position", flat=True)) == [1, 2, 3, 4]


def test_standing_items_cannot_be_deleted(client, cast, meeting):
    closing = meeting.items.get(standing_key="closing")
    client.force_login(cast.secretariat)
    response = client.post(reverse("meetings:item_delete", args=[meeting.pk, closing.pk]))
    assert response.status_code == 403


def test_member_may_not_delete(client, cast, meeting):
    item = make_item(meeting)
    client.force_login(cast.member)
    response = client.post(reverse("meetings:item_delete", args=[meeting.pk, item.pk]))
    assert response.status_code == 403


# --- Ordering -----------------------------------------------------------------------------------


def test_move_buttons_work_as_plain_posts(client, cast, meeting):
    first = make_item(meeting, title="A")
    make_item(meeting, title="B")
    client.force_login(cast.rus_group)
    url = reverse("meetings:item_move", args=[meeting.pk, first.pk])
    response = client.post(url, {"direction": "down", "shown_order": shown_order(meeting)})
    assert response.status_code == 302
    assert titles(meeting)[3:5] == ["B", "A"]
    # A is now the last movable item: moving it down again changes nothing (the closing item
    # stays last) and says nothing moved.
    before = titles(meeting)
    response = client.post(
        url,
        {"direction": "down", "shown_order": shown_order(meeting)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert titles(meeting) == before
    assert before[-1] == "Avslutning"
    assert "är nu punkt" not in response.content.decode()


def test_move_with_htmx_returns_the_agenda_fragment(client, cast, meeting):
    make_item(meeting, title="A")
    second = make_item(meeting, title="B")
    client.force_login(cast.secretariat)
    url = reverse("meetings:item_move", args=[meeting.pk, second.pk])
    response = client.post(
        url,
        {"direction": "up", "shown_order": shown_order(meeting)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="agenda"')
    assert "<html" not in content
    assert "är nu punkt 4" in content
    assert titles(meeting)[3:5] == ["B", "A"]


def test_reorder_by_drag_and_drop(client, cast, meeting):
    a, b, c = (make_item(meeting, title=t) for t in "ABC")
    client.force_login(cast.secretariat)
    url = reverse("meetings:agenda_reorder", args=[meeting.pk])
    response = client.post(
        url,
        {"order": f"{c.pk},{a.pk},{b.pk}", "shown_order": shown_order(meeting)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert titles(meeting) == [
        "Öppnande",
        "Val av justerare",
        "Godkännande av dagordningen",
        "C",
        "A",
        "B",
        "Avslutning",
    ]


def test_reorder_refuses_foreign_or_missing_ids(client, cast, meeting):
    a, b = make_item(meeting, title="A"), make_item(meeting, title="B")
    closing = meeting.items.get(standing_key="closing")
    client.force_login(cast.secretariat)
    url = reverse("meetings:agenda_reorder", args=[meeting.pk])
    client.post(url, {"order": f"{closing.pk},{b.pk},{a.pk}", "shown_order": shown_order(meeting)})
    client.post(url, {"order": f"{b.pk}", "shown_order": shown_order(meeting)})
    client.post(url, {"order": "x,y", "shown_order": shown_order(meeting)})
    assert titles(meeting)[3:5] == ["A", "B"]


def test_member_may_not_reorder(client, cast, meeting):
    a, b = make_item(meeting, title="A"), make_item(meeting, title="B")
    client.force_login(cast.member)
    url = reverse("meetings:agenda_reorder", args=[meeting.pk])
    assert (
        client.post(
            url, {"order": f"{b.pk},{a.pk}", "shown_order": shown_order(meeting)}
        ).status_code
        == 403
    )
    url = reverse("meetings:item_move", args=[meeting.pk, a.pk])
    assert (
        client.post(url, {"direction": "down", "shown_order": shown_order(meeting)}).status_code
        == 403
    )


def test_reorder_after_approval_marks_moved_items(client, cast, meeting):
    a, b = make_item(meeting, title="A"), make_item(meeting, title="B")
    meeting.approve_agenda(cast.chair)
    client.force_login(cast.secretariat)
    client.post(
        reverse("meetings:item_move", args=[meeting.pk, a.pk]),
        {"direction": "down", "shown_order": shown_order(meeting)},
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.changed_after_approval and b.changed_after_approval


# --- Preparation (R6) ---------------------------------------------------------------------------


def test_rus_group_marks_item_prepared(client, cast, meeting):
    item = make_item(meeting)
    client.force_login(cast.rus_group)
    url = reverse("meetings:item_prepared", args=[meeting.pk, item.pk])
    assert client.post(url, {"prepared": "1"}).status_code == 302
    item.refresh_from_db()
    assert item.is_prepared
    client.post(url, {"prepared": "0"})
    item.refresh_from_db()
    assert not item.is_prepared


def test_marking_prepared_with_htmx_refreshes_the_approval_panel(client, cast, meeting):
    """The approval panel sits outside the swapped agenda: it comes along out of band, or it
    would go on listing the item as not prepared until the page is reloaded."""
    item = make_item(meeting, title="Lägesbild")
    client.force_login(cast.rus_group)
    url = reverse("meetings:item_prepared", args=[meeting.pk, item.pk])
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Inte beredda än:" in page and "punkt 4 (Lägesbild)" in page
    response = client.post(url, {"prepared": "1"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="agenda"')
    assert '<section id="approval" class="card approval"' in content
    assert 'hx-swap-oob="true"' in content
    assert "Inte beredda än" not in content
    assert "Lämna till ordföranden: Beredd för ordföranden" in content


def test_moving_with_htmx_renumbers_the_approval_problems(client, cast, meeting):
    make_item(meeting, title="A")
    position = make_item(meeting, title="Utan bakgrund", kind=AgendaItem.Kind.POSITION)
    client.force_login(cast.secretariat)
    url = reverse("meetings:item_move", args=[meeting.pk, position.pk])
    response = client.post(
        url,
        {"direction": "up", "shown_order": shown_order(meeting)},
        headers={"HX-Request": "true"},
    )
    content = response.content.decode()
    approval = content[content.index('<section id="approval"') :]
    assert "Punkt 4, " in approval and "Utan bakgrund" in approval
    # The refreshed warning is not an alert: screen readers would repeat it after every move.
    assert 'role="alert"' not in approval


def test_full_page_approval_panel_is_not_out_of_band(client, cast, meeting):
    client.force_login(cast.secretariat)
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert '<section id="approval"' in page
    assert "hx-swap-oob" not in page


@pytest.mark.parametrize("role", ["member", "chair"])
def test_others_may_not_mark_prepared(client, cast, meeting, role):
    item = make_item(meeting)
    client.force_login(getattr(cast, role))
    url = reverse("meetings:item_prepared", args=[meeting.pk, item.pk])
    assert client.post(url, {"prepared": "1"}).status_code == 403


# --- Approval (R7, R12) -------------------------------------------------------------------------


def test_approval_refused_while_position_item_lacks_rus_link_or_background(client, cast, meeting):
    make_item(meeting, title="Oberedd ståndpunkt", kind=AgendaItem.Kind.POSITION)
    client.force_login(cast.chair)
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Dagordningen kan inte godkännas än." in page
    assert "Oberedd ståndpunkt" in page
    assert (
        "Koppling till RUS saknas och bakgrund eller frågeställningar saknas. "
        "Inte beredd av RUS-gruppen." in page
    )
    response = client.post(reverse("meetings:agenda_approve", args=[meeting.pk]), follow=True)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED
    assert "Punkt 4 ”Oberedd ståndpunkt”" in response.content.decode()


def test_chair_approves_ready_agenda_which_locks_it(client, cast, meeting, focus_area):
    make_item(
        meeting,
        title="Klar ståndpunkt",
        kind=AgendaItem.Kind.POSITION,
        focus_area=focus_area,
        background="Underlag finns.",
        is_prepared=True,
    )
    client.force_login(cast.chair)
    response = client.post(reverse("meetings:agenda_approve", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_APPROVED
    assert meeting.agenda_approved_by == cast.chair
    assert meeting.agenda_is_locked


def test_secretariat_approves_for_the_chair(client, cast, meeting):
    client.force_login(cast.secretariat)
    client.post(reverse("meetings:agenda_approve", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_APPROVED


@pytest.mark.parametrize("role", ["member", "rus_group"])
def test_members_and_rus_group_may_not_approve(client, cast, meeting, role):
    client.force_login(getattr(cast, role))
    assert client.post(reverse("meetings:agenda_approve", args=[meeting.pk])).status_code == 403


def test_chair_of_other_council_gets_404(client, cast, meeting):
    client.force_login(cast.other_chair)
    assert client.post(reverse("meetings:agenda_approve", args=[meeting.pk])).status_code == 404


def test_chair_reopens_approved_agenda(client, cast, meeting):
    meeting.approve_agenda(cast.chair)
    client.force_login(cast.chair)
    client.post(reverse("meetings:agenda_reopen", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_IN_PREPARATION
    assert meeting.agenda_approved_at is None


def test_member_may_not_reopen(client, cast, meeting):
    meeting.approve_agenda(cast.chair)
    client.force_login(cast.member)
    assert client.post(reverse("meetings:agenda_reopen", args=[meeting.pk])).status_code == 403


def test_page_lists_items_not_yet_prepared(client, cast, meeting):
    make_item(meeting, title="Oberedd")
    prepared = make_item(meeting, title="Beredd")
    prepared.is_prepared = True
    prepared.save()
    client.force_login(cast.chair)
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Inte markerade som beredda av RUS-gruppen: punkt 4." in page
