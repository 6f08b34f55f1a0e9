"""The RUS group hands a prepared agenda over to the chair (R6, R7); approval asks R12 (c)
background *or* questions, and position items prepared first (R10)."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from meetings.models import AgendaItem, Meeting
from meetings.services import agenda as agenda_services
from meetings.services import handover
from rus.models import OutgoingMail
from tests.meetings.factories import make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def prepared_agenda(meeting, focus_area):
    meeting.start_agenda_preparation()
    make_item(meeting, title="Lägesbild", is_prepared=True)
    make_item(
        meeting,
        title="Gemensam position",
        kind=AgendaItem.Kind.POSITION,
        focus_area=focus_area,
        questions="Står alla bakom kraven?",
        is_prepared=True,
    )
    return meeting


def test_rus_group_hands_over_and_the_chair_gets_one_mail(
    cast, prepared_agenda, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        handover.declare_prepared(meeting=prepared_agenda, user=cast.rus_group)

    prepared_agenda.refresh_from_db()
    assert prepared_agenda.awaits_approval
    assert prepared_agenda.agenda_prepared_by == cast.rus_group
    [row] = OutgoingMail.objects.filter(template="agenda_prepared")
    assert row.to == [cast.chair.person.contact_email]
    [message] = mail.outbox
    assert message.subject.startswith("Dagordning att godkänna: ")
    assert "väntar på ditt godkännande" in message.body
    assert f"/moten/{prepared_agenda.pk}/#approval" in message.body


def test_hand_over_is_refused_while_an_item_is_not_prepared(cast, prepared_agenda):
    make_item(prepared_agenda, title="Obered punkt")

    with pytest.raises(handover.ItemsNotPrepared) as refused:
        handover.declare_prepared(meeting=prepared_agenda, user=cast.rus_group)

    assert [item.title for item in refused.value.items] == ["Obered punkt"]
    prepared_agenda.refresh_from_db()
    assert not prepared_agenda.awaits_approval
    assert not OutgoingMail.objects.exists()


def test_hand_over_is_refused_without_items_twice_and_after_approval(cast, meeting, focus_area):
    with pytest.raises(ValidationError, match="inga punkter"):
        handover.declare_prepared(meeting=meeting, user=cast.rus_group)
    make_item(meeting, title="Klar", is_prepared=True)
    handover.declare_prepared(meeting=meeting, user=cast.rus_group)
    with pytest.raises(ValidationError, match="redan beredd"):
        handover.declare_prepared(meeting=meeting, user=cast.rus_group)
    agenda_services.approve_agenda(meeting=meeting, user=cast.chair)
    assert not meeting.awaits_approval
    with pytest.raises(ValidationError, match="under beredning"):
        handover.declare_prepared(meeting=meeting, user=cast.rus_group)


def test_a_member_may_not_hand_over(cast, prepared_agenda):
    with pytest.raises(PermissionDenied):
        handover.declare_prepared(meeting=prepared_agenda, user=cast.member)


def test_unpreparing_an_item_or_adding_one_takes_the_hand_over_back(cast, prepared_agenda):
    handover.declare_prepared(meeting=prepared_agenda, user=cast.rus_group)
    item = prepared_agenda.items.get(title="Lägesbild")

    agenda_services.set_prepared(item=item, user=cast.rus_group, prepared=False)
    prepared_agenda.refresh_from_db()
    assert not prepared_agenda.awaits_approval

    agenda_services.set_prepared(item=item, user=cast.rus_group, prepared=True)
    handover.declare_prepared(meeting=prepared_agenda, user=cast.rus_group)
    make_item(prepared_agenda, title="Sen punkt")
    prepared_agenda.refresh_from_db()
    assert not prepared_agenda.awaits_approval


def test_approval_takes_questions_instead_of_background_r12c(cast, prepared_agenda):
    agenda_services.approve_agenda(meeting=prepared_agenda, user=cast.chair)
    assert prepared_agenda.status == Meeting.Status.AGENDA_APPROVED


def test_a_position_item_not_prepared_keeps_the_agenda_from_approval_r10(cast, meeting, focus_area):
    item = make_item(
        meeting,
        title="Oberedd position",
        kind=AgendaItem.Kind.POSITION,
        focus_area=focus_area,
        background="Underlag.",
    )
    with pytest.raises(agenda_services.AgendaNotReady) as refused:
        agenda_services.approve_agenda(meeting=meeting, user=cast.chair)
    [problem] = refused.value.problems
    assert (problem.item, problem.reason) == (item, "Inte beredd av RUS-gruppen.")


def test_the_page_says_which_items_are_not_prepared_and_the_rus_group_hands_over(
    client, cast, prepared_agenda
):
    unprepared = make_item(prepared_agenda, title="Obered punkt")
    client.force_login(cast.rus_group)
    url = reverse("meetings:meeting_detail", args=[prepared_agenda.pk])

    page = client.get(url).content.decode()
    assert "Inte beredda än:" in page and f"punkt {unprepared.number} (Obered punkt)" in page
    assert "Lämna till ordföranden: Beredd för ordföranden" not in page

    agenda_services.set_prepared(item=unprepared, user=cast.rus_group)
    page = client.get(url).content.decode()
    assert "Lämna till ordföranden: Beredd för ordföranden" in page

    response = client.post(reverse("meetings:agenda_hand_over", args=[prepared_agenda.pk]))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Lämnad till ordföranden" in page


def test_the_chair_sees_the_agenda_waiting_on_the_start_page_and_a_member_does_not(
    client, cast, prepared_agenda, django_assert_max_num_queries
):
    handover.declare_prepared(meeting=prepared_agenda, user=cast.rus_group)

    client.force_login(cast.chair)
    with django_assert_max_num_queries(8):  # the waiting agendas are one query, justerings one
        page = client.get(reverse("home")).content.decode()
    assert "Dagordningar som väntar på godkännande" in page
    assert f'href="/moten/{prepared_agenda.pk}/#approval"' in page

    client.force_login(cast.other_chair)
    assert (
        "Dagordningar som väntar på godkännande" not in client.get(reverse("home")).content.decode()
    )
    client.force_login(cast.member)
    assert (
        "Dagordningar som väntar på godkännande" not in client.get(reverse("home")).content.decode()
    )


def test_a_member_may_not_post_the_hand_over(client, cast, prepared_agenda):
    client.force_login(cast.member)
    response = client.post(reverse("meetings:agenda_hand_over", args=[prepared_agenda.pk]))
    assert response.status_code == 403
    prepared_agenda.refresh_from_db()
    assert not prepared_agenda.awaits_approval


# --- The secretariat approves for the chair only where the council allows it (R7) ------------


def test_secretariat_approves_for_the_chair_where_the_council_allows_it(cast, prepared_agenda):
    assert prepared_agenda.council.secretariat_may_approve_for_chair  # the default
    agenda_services.approve_agenda(meeting=prepared_agenda, user=cast.secretariat)
    prepared_agenda.refresh_from_db()
    assert prepared_agenda.status == Meeting.Status.AGENDA_APPROVED
    assert prepared_agenda.agenda_approved_by == cast.secretariat


def test_secretariat_may_not_approve_where_the_council_keeps_it_for_the_chair(
    cast, prepared_agenda
):
    council = prepared_agenda.council
    council.secretariat_may_approve_for_chair = False
    council.save()
    with pytest.raises(PermissionDenied):
        agenda_services.approve_agenda(meeting=prepared_agenda, user=cast.secretariat)
    prepared_agenda.refresh_from_db()
    assert prepared_agenda.status != Meeting.Status.AGENDA_APPROVED
    # The chair still does.
    agenda_services.approve_agenda(meeting=prepared_agenda, user=cast.chair)
    prepared_agenda.refresh_from_db()
    assert prepared_agenda.status == Meeting.Status.AGENDA_APPROVED


@pytest.mark.parametrize("allowed", [True, False])
def test_the_page_shows_the_secretariat_whether_it_may_approve(
    client, cast, prepared_agenda, allowed
):
    council = prepared_agenda.council
    council.secretariat_may_approve_for_chair = allowed
    council.save()
    client.force_login(cast.secretariat)
    url = reverse("meetings:meeting_detail", args=[prepared_agenda.pk])
    page = client.get(url).text
    assert ("Godkänn dagordningen</button>" in page) == allowed
    assert ("bara ordföranden godkänner dagordningen" in page) == (not allowed)
    response = client.post(reverse("meetings:agenda_approve", args=[prepared_agenda.pk]))
    assert response.status_code == (302 if allowed else 403)


@pytest.mark.parametrize("allowed", [True, False])
def test_the_secretariat_sees_agendas_waiting_only_where_it_may_approve(
    client, cast, prepared_agenda, allowed
):
    council = prepared_agenda.council
    council.secretariat_may_approve_for_chair = allowed
    council.save()
    handover.declare_prepared(meeting=prepared_agenda, user=cast.rus_group)
    client.force_login(cast.secretariat)
    page = client.get(reverse("home")).content.decode()
    assert (f'href="/moten/{prepared_agenda.pk}/#approval"' in page) == allowed
