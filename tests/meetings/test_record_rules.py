"""Rules kept where the write happens, whoever calls: each test calls the service or the model
method directly, as a view, the admin, a task or the shell would.

- A meeting is marked held only once it has begun.
- Answers and questions before the meeting (R11) are refused once it is held or over.
- A held meeting's agenda items and attachments are part of the record: frozen.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.models import AgendaItem, Attachment, ItemQuestion, ItemReview, Meeting
from meetings.models.meeting import InvalidTransition
from meetings.services import agenda as agenda_services
from meetings.services import review as review_services
from tests.factories import make_council, make_organisation, make_person
from tests.meetings.factories import make_item, make_meeting, pdf_upload
from tests.meetings.review_support import make_position_item

pytestmark = pytest.mark.django_db

# --- Held only once begun ----------------------------------------------------------------


def test_a_meeting_is_not_marked_held_before_it_begins():
    meeting = make_meeting(status=Meeting.Status.INVITATIONS_SENT, days_ahead=3)
    with pytest.raises(InvalidTransition, match="först när det har börjat"):
        meeting.mark_held()
    with pytest.raises(InvalidTransition):
        agenda_services.change_status(meeting=meeting, user=None, action="held")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.INVITATIONS_SENT

    agenda_services.change_status(meeting=meeting, user=None, action="held", now=meeting.starts_at)
    assert meeting.status == Meeting.Status.HELD


def test_held_is_not_offered_before_the_meeting_begins():
    meeting = make_meeting(status=Meeting.Status.INVITATIONS_SENT, days_ahead=3)
    assert "held" not in meeting.manual_transitions()
    assert "held" in meeting.manual_transitions(now=meeting.starts_at)


# --- R11: answers before the meeting -------------------------------------------------------


@pytest.mark.parametrize("how", ["held", "over"])
def test_review_and_questions_are_refused_outside_the_r11_window(how):
    meeting = make_meeting(make_council(), days_ahead=-1)  # over, never marked held
    item = make_position_item(meeting)
    if how == "held":
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status"])
        item.meeting = meeting
    organisation = make_organisation()
    person = make_person(organisation=organisation)
    assert not meeting.review_is_open

    with pytest.raises(ValidationError):
        review_services.record_review(
            item=item,
            organisation=organisation,
            person=person,
            anchored="yes",
            expects_dissent=False,
        )
    with pytest.raises(ValidationError):
        review_services.ask_question(
            item=item, person=person, organisation=organisation, question="Hur då?"
        )
    assert not ItemReview.objects.exists()
    assert not ItemQuestion.objects.exists()


def test_review_is_recorded_before_the_meeting():
    item = make_position_item(make_meeting(make_council(), days_ahead=5))
    organisation = make_organisation()
    review = review_services.record_review(
        item=item,
        organisation=organisation,
        person=make_person(organisation=organisation),
        anchored="yes",
        expects_dissent=False,
    )
    assert review.pk


# --- A held meeting's agenda is frozen -----------------------------------------------------


@pytest.fixture
def held():
    """A meeting that took place yesterday, with an item and an attachment on it."""
    meeting = make_meeting(make_council(), days_ahead=-1)
    first = make_item(meeting, title="Första")
    second = make_item(meeting, title="Andra")
    attachment = agenda_services.add_attachment(item=first, uploaded_file=pdf_upload(), user=None)
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status"])
    first.refresh_from_db()
    second.refresh_from_db()
    attachment.refresh_from_db()
    return meeting, first, second, attachment


FROZEN_WRITES = {
    "add_item": lambda m, a, b, att: agenda_services.add_item(meeting=m, user=None, title="Ny"),
    "update_item": lambda m, a, b, att: agenda_services.update_item(
        item=a, user=None, title="Ändrad"
    ),
    "remove_item": lambda m, a, b, att: agenda_services.remove_item(item=b, user=None),
    "move_item": lambda m, a, b, att: agenda_services.move_item(item=b, user=None, direction="up"),
    "reorder_items": lambda m, a, b, att: agenda_services.reorder_items(
        meeting=m, user=None, ordered_ids=[b.pk, a.pk]
    ),
    "set_prepared": lambda m, a, b, att: agenda_services.set_prepared(
        item=a, user=None, prepared=False
    ),
    "add_attachment": lambda m, a, b, att: agenda_services.add_attachment(
        item=b, uploaded_file=pdf_upload("ny.pdf"), user=None
    ),
    "replace_attachment": lambda m, a, b, att: agenda_services.replace_attachment(
        attachment=att, uploaded_file=pdf_upload("v2.pdf"), user=None
    ),
    "remove_attachment": lambda m, a, b, att: agenda_services.remove_attachment(
        attachment=att, user=None
    ),
}


@pytest.mark.parametrize("write", sorted(FROZEN_WRITES))
def test_a_held_meetings_agenda_and_attachments_are_frozen(held, write):
    meeting, first, second, attachment = held
    before = list(
        AgendaItem.objects.filter(meeting=meeting)
        .order_by("pk")
        .values_list("pk", "title", "position", "is_prepared")
    )
    with pytest.raises(ValidationError, match="genomfört"):
        FROZEN_WRITES[write](meeting, first, second, attachment)
    after = list(
        AgendaItem.objects.filter(meeting=meeting)
        .order_by("pk")
        .values_list("pk", "title", "position", "is_prepared")
    )
    assert after == before
    assert list(Attachment.objects.values_list("pk", flat=True)) == [attachment.pk]
    assert attachment.versions.count() == 1


def test_every_status_from_held_on_is_frozen():
    frozen = {status for status in Meeting.Status if Meeting(status=status).is_frozen}
    assert frozen == {
        Meeting.Status.HELD,
        Meeting.Status.MINUTES_DRAFTED,
        Meeting.Status.MINUTES_ADJUSTED,
        Meeting.Status.PUBLISHED,
    }


def test_an_approved_meeting_still_takes_recorded_changes():
    """Frozen is not locked: after approval changes are allowed, and marked (R7)."""
    meeting = make_meeting(status=Meeting.Status.AGENDA_APPROVED)
    item = agenda_services.add_item(meeting=meeting, user=None, title="Sent tillagd")
    assert item.changed_after_approval
    assert meeting.starts_at > timezone.now() - datetime.timedelta(days=1)
