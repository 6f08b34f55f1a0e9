"""Agenda services: standing items, appending, locking (R7, R12)."""

import pytest
from django.core.exceptions import ValidationError

from meetings.models import AgendaItem, Meeting
from meetings.services import agenda as agenda_services
from tests.meetings.factories import make_item, make_meeting, titles

pytestmark = pytest.mark.django_db


def test_new_meeting_gets_standing_items_with_closing_last():
    meeting = make_meeting()
    assert titles(meeting) == [
        "Öppnande",
        "Val av justerare",
        "Godkännande av dagordningen",
        "Avslutning",
    ]


def test_standing_items_are_created_with_history_by_whoever_created_the_meeting():
    from tests.factories import make_council, make_secretariat_user

    user = make_secretariat_user("kansli")
    meeting = make_meeting(make_council(), standing_items=False)
    agenda_services.add_standing_items(meeting=meeting, user=user)
    records = AgendaItem.history.filter(meeting_id=meeting.pk)
    assert records.count() == 4
    assert {(r.history_type, r.history_user_id) for r in records} == {("+", user.pk)}
    # Adding them again adds nothing, so no new history either.
    agenda_services.add_standing_items(meeting=meeting, user=user)
    assert records.count() == 4


def test_added_items_go_before_the_closing_item():
    meeting = make_meeting()
    make_item(meeting, title="Fokus: finansiering")
    make_item(meeting, title="Påverkansagenda")
    assert titles(meeting)[-3:] == ["Fokus: finansiering", "Påverkansagenda", "Avslutning"]
    assert list(meeting.items.values_list("position", flat=True)) == [1, 2, 3, 4, 5, 6]


def test_item_added_after_approval_is_marked_changed():
    meeting = make_meeting(status=Meeting.Status.AGENDA_APPROVED)
    item = make_item(meeting, title="Sen punkt")
    assert item.changed_after_approval
    meeting.refresh_from_db()
    assert meeting.calendar_sequence == 1


def test_item_added_before_approval_is_not_marked():
    item = make_item(make_meeting(), title="Tidig punkt")
    assert not item.changed_after_approval


def test_position_item_without_rus_link_blocks_approval():
    meeting = make_meeting()
    item = make_item(meeting, title="Ställningstagande", kind=AgendaItem.Kind.POSITION)
    with pytest.raises(agenda_services.AgendaNotReady) as excinfo:
        agenda_services.approve_agenda(meeting=meeting, user=None)
    [problem] = excinfo.value.problems
    assert problem.item == item
    assert "RUS" in problem.reason and "bakgrund" in problem.reason


def test_locked_agenda_refuses_a_position_item_without_its_basis():
    """Approval checked R12 once; a later change may not slip in a position item without a RUS
    link or background, nor strip an approved one of its background."""
    meeting = make_meeting(status=Meeting.Status.AGENDA_APPROVED)
    with pytest.raises(ValidationError, match="Dagordningen är godkänd"):
        make_item(meeting, title="Sent ställningstagande", kind=AgendaItem.Kind.POSITION)
    assert "Sent ställningstagande" not in titles(meeting)
    item = make_item(meeting, title="Information")
    with pytest.raises(ValidationError, match="Koppling till RUS saknas"):
        agenda_services.update_item(item=item, user=None, kind=AgendaItem.Kind.POSITION)
    item.refresh_from_db()
    assert item.kind == AgendaItem.Kind.INFORMATION


def test_open_agenda_takes_an_incomplete_position_item():
    item = make_item(make_meeting(), title="Utkast", kind=AgendaItem.Kind.POSITION)
    assert item.pk is not None


def test_series_dates_same_date_falls_back_to_month_end():
    import datetime

    dates = agenda_services.series_dates(first_date=datetime.date(2027, 1, 31), count=3)
    assert dates == [
        datetime.date(2027, 1, 31),
        datetime.date(2027, 2, 28),
        datetime.date(2027, 3, 31),
    ]


def test_series_dates_fifth_weekday_becomes_last():
    import datetime

    # 29 January 2027 is the fifth Friday; February 2027 has only four Fridays.
    dates = agenda_services.series_dates(
        first_date=datetime.date(2027, 1, 29), count=2, by_weekday=True
    )
    assert dates == [datetime.date(2027, 1, 29), datetime.date(2027, 2, 26)]


def test_series_dates_until_and_interval():
    import datetime

    dates = agenda_services.series_dates(
        first_date=datetime.date(2027, 1, 14),
        until=datetime.date(2027, 12, 31),
        interval_months=3,
        by_weekday=True,
    )
    assert [d.month for d in dates] == [1, 4, 7, 10]
    assert all(d.weekday() == 3 for d in dates)


def test_removal_after_approval_is_kept_in_history():
    meeting = make_meeting(status=Meeting.Status.AGENDA_APPROVED)
    item = make_item(meeting, title="Struken punkt")
    item_id = item.pk
    agenda_services.remove_item(item=item, user=None)
    deleted = AgendaItem.history.filter(id=item_id, history_type="-").get()
    assert deleted.history_change_reason == "Punkten togs bort efter godkännande"
    assert [i.standing_key for i in meeting.items.all()][-1] == "closing"


def test_standing_items_cannot_be_moved_or_removed():
    from django.core.exceptions import ValidationError

    meeting = make_meeting()
    closing = meeting.items.get(standing_key="closing")
    with pytest.raises(ValidationError):
        agenda_services.remove_item(item=closing, user=None)
    with pytest.raises(ValidationError):
        agenda_services.move_item(item=closing, user=None, direction="up")


def test_new_approval_clears_change_marks():
    meeting = make_meeting()
    meeting.approve_agenda(None)
    item = make_item(meeting, title="Sent tillagd")
    assert item.changed_after_approval
    agenda_services.reopen_agenda(meeting=meeting, user=None)
    agenda_services.approve_agenda(meeting=meeting, user=None)
    item.refresh_from_db()
    assert not item.changed_after_approval
    assert meeting.status == Meeting.Status.AGENDA_APPROVED


def test_database_refuses_two_kinds_of_presenter_and_duplicate_standing_items():
    from django.db import IntegrityError, transaction

    from tests.factories import make_person

    meeting = make_meeting()
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(
            meeting=meeting, title="Båda", presenter=make_person(), presenter_name="Extern"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(
            meeting=meeting, title="Avslutning igen", is_standing=True, standing_key="closing"
        )
