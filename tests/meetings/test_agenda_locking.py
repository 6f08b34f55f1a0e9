"""No silent lost update on agenda items: a stale edit form or a stale order is refused, the
user's input is kept and the saved state shown (optimistic locking, councils/locking.py)."""

import pytest
from django.test import Client
from django.urls import reverse

from councils.locking import StaleEdit, StaleOrder, order_token
from meetings.models import AgendaItem
from meetings.services import agenda as agenda_services
from tests.meetings.factories import make_item, shown_order
from tests.support.forms import form_data

pytestmark = pytest.mark.django_db


def test_stale_edit_form_is_refused_and_keeps_both_versions(cast, meeting):
    """Two people open the same item's edit form; the first changes the title, the second (now
    stale) the background: the second save is refused, shows the title saved meanwhile beside
    what they typed, and goes through once they save again from the re-shown form."""
    item = make_item(meeting, title="Regional utvecklingsstrategi", background="Första utkastet.")
    url = reverse("meetings:item_edit", args=[meeting.pk, item.pk])
    first, second = Client(), Client()
    first.force_login(cast.secretariat)
    second.force_login(cast.rus_group)
    first_data = form_data(first.get(url))
    second_data = form_data(second.get(url))

    first_data["title"] = "RUS: remissvar"
    assert first.post(url, first_data).status_code == 302

    second_data["background"] = "Utkast med synpunkter från beredningsgruppen."
    response = second.post(url, second_data)

    assert response.status_code == 409
    item.refresh_from_db()
    assert item.title == "RUS: remissvar"
    assert item.background == "Första utkastet."
    form = response.context["form"]
    # Nothing typed is lost: the second person's values are in the form as they typed them.
    assert form["background"].value() == "Utkast med synpunkter från beredningsgruppen."
    assert form["title"].value() == "Regional utvecklingsstrategi"
    # The saved values are shown beside each field that differs from what they typed.
    assert form["title"].saved_value == "RUS: remissvar"
    assert form["background"].saved_value == "Första utkastet."
    assert form["questions"].saved_value == ""
    content = response.content.decode()
    assert "Sparat nu (av någon annan):" in content
    assert "RUS: remissvar" in content
    assert "efter att du öppnade formuläret" in content
    # The re-shown form carries the saved version: after merging, the save goes through.
    merged = form_data(response)
    assert merged["version"] == str(item.version)
    merged["title"] = "RUS: remissvar"
    assert second.post(url, merged).status_code == 302
    item.refresh_from_db()
    assert item.title == "RUS: remissvar"
    assert item.background == "Utkast med synpunkter från beredningsgruppen."
    # The history keeps both accepted saves, each with its version and author.
    records = list(item.history.order_by("history_id"))[-2:]
    assert [(r.version, r.title, r.history_user) for r in records] == [
        (2, "RUS: remissvar", cast.secretariat),
        (3, "RUS: remissvar", cast.rus_group),
    ]
    assert records[-1].background == "Utkast med synpunkter från beredningsgruppen."


def test_fresh_edit_is_accepted_and_raises_the_version(client, cast, meeting):
    item = make_item(meeting, title="Gammal rubrik")
    url = reverse("meetings:item_edit", args=[meeting.pk, item.pk])
    client.force_login(cast.secretariat)
    data = form_data(client.get(url))
    data["title"] = "Ny rubrik"
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert (item.title, item.version) == ("Ny rubrik", 2)


def test_edit_form_without_version_is_refused(client, cast, meeting):
    item = make_item(meeting, title="Gammal rubrik")
    url = reverse("meetings:item_edit", args=[meeting.pk, item.pk])
    client.force_login(cast.secretariat)
    data = form_data(client.get(url))
    del data["version"]
    data["title"] = "Ny rubrik"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Ladda om sidan" in response.content.decode()
    item.refresh_from_db()
    assert item.title == "Gammal rubrik"


def test_service_refuses_a_stale_version_and_writes_nothing(meeting):
    item = make_item(meeting, title="A")
    agenda_services.update_item(item=item, user=None, version=1, title="B")
    stale = AgendaItem.objects.get(pk=item.pk)
    stale.version = 1
    history_before = item.history.count()
    with pytest.raises(StaleEdit) as refused:
        agenda_services.update_item(item=stale, user=None, version=1, background="Text")
    assert refused.value.current.title == "B"
    assert refused.value.current.version == 2
    item.refresh_from_db()
    assert (item.title, item.background, item.version) == ("B", "", 2)
    assert item.history.count() == history_before


def test_bookkeeping_does_not_make_an_open_form_stale(client, cast, meeting):
    """Marking an item prepared or moving it is not an edit of its content: a form opened
    before stays valid, and its save does not undo the mark or the move."""
    item = make_item(meeting, title="A")
    make_item(meeting, title="B")
    url = reverse("meetings:item_edit", args=[meeting.pk, item.pk])
    client.force_login(cast.secretariat)
    data = form_data(client.get(url))
    agenda_services.set_prepared(item=item, user=None, prepared=True)
    agenda_services.move_item(item=item, user=None, direction="down")
    data["title"] = "A, omarbetad"
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert (item.title, item.is_prepared, item.position) == ("A, omarbetad", True, 5)


def test_every_save_of_the_content_counts_the_admins_too(meeting):
    item = make_item(meeting)
    item.title = "Ändrad i administrationen"
    item.save()
    item.save(update_fields=["background"])
    item.save(update_fields=["is_prepared", "position"])
    item.refresh_from_db()
    assert item.version == 3


# --- Order -------------------------------------------------------------------------------------


def test_reorder_from_a_stale_page_is_refused(cast, meeting):
    """Two people reorder from pages showing the same order: the second, built before the
    first's change, is refused and shown the saved order instead of overwriting it."""
    a, b, c = (make_item(meeting, title=t) for t in "ABC")
    url = reverse("meetings:agenda_reorder", args=[meeting.pk])
    first, second = Client(), Client()
    first.force_login(cast.secretariat)
    second.force_login(cast.rus_group)
    page = reverse("meetings:meeting_detail", args=[meeting.pk])
    token = first.get(page).context["order_token"]
    assert second.get(page).context["order_token"] == token == shown_order(meeting)

    first.post(url, {"order": f"{c.pk},{a.pk},{b.pk}", "shown_order": token})
    response = second.post(
        url,
        {"order": f"{b.pk},{a.pk},{c.pk}", "shown_order": token},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200  # htmx swaps the agenda with the saved order
    content = response.content.decode()
    assert "Någon annan har ändrat ordningen" in content
    # The swapped-in agenda's forms carry the saved order, so the next move goes through.
    assert f'name="shown_order" value="{order_token([c.pk, a.pk, b.pk])}"' in content
    titles = list(meeting.items.order_by("position").values_list("title", flat=True))
    assert titles[3:6] == ["C", "A", "B"]


def test_move_button_from_a_stale_page_is_refused(client, cast, meeting):
    a, b, c = (make_item(meeting, title=t) for t in "ABC")
    token = shown_order(meeting)
    agenda_services.move_item(item=c, user=None, direction="up", shown_order=token)  # A C B
    client.force_login(cast.secretariat)
    url = reverse("meetings:item_move", args=[meeting.pk, c.pk])
    response = client.post(url, {"direction": "up", "shown_order": token}, follow=True)
    assert "Någon annan har ändrat ordningen" in response.content.decode()
    titles = list(meeting.items.order_by("position").values_list("title", flat=True))
    assert titles[3:6] == ["A", "C", "B"]
    # From the fresh page the same move goes through.
    client.post(url, {"direction": "up", "shown_order": shown_order(meeting)})
    titles = list(meeting.items.order_by("position").values_list("title", flat=True))
    assert titles[3:6] == ["C", "A", "B"]


def test_order_changed_by_an_added_item_is_stale(meeting):
    a, b = make_item(meeting, title="A"), make_item(meeting, title="B")
    token = shown_order(meeting)
    make_item(meeting, title="C")
    with pytest.raises(StaleOrder):
        agenda_services.reorder_items(
            meeting=meeting, user=None, ordered_ids=[b.pk, a.pk], shown_order=token
        )
