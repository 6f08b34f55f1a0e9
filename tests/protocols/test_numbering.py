"""§ numbers run per council through the calendar year (Swedish practice): § 1 at the year's
first meeting, continuing across meetings, restarting in January, unique and gapless, also when
two meetings of one council are minuted at once (PostgreSQL)."""

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from meetings.models import Meeting
from protocols import services
from protocols.models import ProtocolEntry
from tests.factories import make_council, make_secretariat_user
from tests.meetings.factories import make_meeting
from tests.protocols.support import at


def numbers(protocol):
    return list(protocol.entries.order_by("number").values_list("number", flat=True))


def held(council, starts_at):
    """A held meeting with the four standing items (four §§ each)."""
    return make_meeting(council, starts_at=starts_at, status=Meeting.Status.HELD)


@pytest.mark.django_db
def test_numbers_continue_across_meetings_and_restart_in_january():
    council = make_council()
    user = make_secretariat_user()
    march = services.open_protocol(meeting=held(council, at(2026, 3, 10)), user=user)
    april = services.open_protocol(meeting=held(council, at(2026, 4, 14)), user=user)
    january = services.open_protocol(meeting=held(council, at(2027, 1, 12)), user=user)
    assert numbers(march) == [1, 2, 3, 4]
    assert numbers(april) == [5, 6, 7, 8]
    assert numbers(january) == [1, 2, 3, 4]


@pytest.mark.django_db
def test_councils_number_separately():
    user = make_secretariat_user()
    one = services.open_protocol(meeting=held(make_council(), at(2026, 3, 10)), user=user)
    two = services.open_protocol(meeting=held(make_council(), at(2026, 3, 11)), user=user)
    assert numbers(one) == numbers(two) == [1, 2, 3, 4]


@pytest.mark.django_db
def test_an_added_item_moves_a_later_draft_up_and_leaves_no_gap():
    council = make_council()
    user = make_secretariat_user()
    march = services.open_protocol(meeting=held(council, at(2026, 3, 10)), user=user)
    april = services.open_protocol(meeting=held(council, at(2026, 4, 14)), user=user)
    services.add_entry(protocol=march, user=user, title="Övrig fråga", kind="information")
    assert numbers(march) == [1, 2, 3, 4, 5]
    assert numbers(april) == [6, 7, 8, 9]
    assert march.entries.get(number=5).standing_key == "closing"


@pytest.mark.django_db
def test_the_database_refuses_a_number_twice():
    council = make_council()
    protocol = services.open_protocol(
        meeting=held(council, at(2026, 3, 10)), user=make_secretariat_user()
    )
    entry = protocol.entries.get(number=2)
    entry.number = 1
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.save()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_meetings_minuted_at_once_never_share_a_number():
    council = make_council()
    user = make_secretariat_user()
    meetings = [held(council, at(2026, 5, day)) for day in (5, 6, 7, 8)]
    barrier = threading.Barrier(len(meetings))
    errors = []

    def minute(meeting):
        try:
            barrier.wait()
            services.open_protocol(meeting=meeting, user=user)
            protocol = meeting.protocols.get(version=1)
            services.add_entry(protocol=protocol, user=user, title="Övrig", kind="information")
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=minute, args=(m,)) for m in meetings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    all_numbers = sorted(
        ProtocolEntry.objects.filter(council=council, year=2026).values_list("number", flat=True)
    )
    assert all_numbers == list(range(1, 5 * len(meetings) + 1))
    for meeting in meetings:
        own = numbers(meeting.protocols.get(version=1))
        assert own == list(range(own[0], own[0] + 5))  # each protocol one unbroken run
