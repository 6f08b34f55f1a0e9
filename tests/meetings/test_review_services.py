"""Expected dissent per organisation and questions (R11): rules kept by services and database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meetings.models import ItemQuestion, ItemReview
from meetings.services import review as services
from tests.factories import make_council, make_organisation, make_person
from tests.meetings.factories import make_item, make_meeting
from tests.meetings.review_support import make_position_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def item():
    return make_position_item(make_meeting(make_council()))


def test_one_review_per_item_and_organisation(item):
    organisation = make_organisation()
    ItemReview.objects.create(item=item, organisation=organisation, anchored="yes")
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemReview.objects.create(item=item, organisation=organisation, anchored="no")


def test_record_review_updates_in_place(item):
    organisation = make_organisation()
    person = make_person(organisation=organisation)
    first = services.record_review(
        item=item, organisation=organisation, person=person, anchored="no", expects_dissent=False
    )
    second = services.record_review(
        item=item,
        organisation=organisation,
        person=person,
        anchored="yes",
        expects_dissent=True,
        comment=" Reservation ",
    )
    assert first.pk == second.pk
    second.refresh_from_db()
    assert second.comment == "Reservation" and second.consensus_at_risk


def test_expected_dissent_needs_text(item):
    organisation = make_organisation()
    with pytest.raises(ValidationError):
        services.record_review(
            item=item,
            organisation=organisation,
            person=None,
            anchored="yes",
            expects_dissent=True,
            comment="",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemReview.objects.create(
            item=item, organisation=organisation, anchored="yes", expects_dissent=True
        )


def test_information_items_take_no_review():
    information = make_item(make_meeting(make_council()))
    with pytest.raises(ValidationError):
        services.record_review(
            item=information,
            organisation=make_organisation(),
            person=None,
            anchored="yes",
            expects_dissent=False,
        )


@pytest.mark.parametrize(
    ("anchored", "dissent", "at_risk"),
    [
        ("yes", False, False),
        ("in_progress", False, False),
        ("no", False, True),
        ("yes", True, True),
    ],
)
def test_consensus_at_risk(anchored, dissent, at_risk):
    assert ItemReview(anchored=anchored, expects_dissent=dissent).consensus_at_risk is at_risk


def test_answered_question_has_answer(item):
    question = ItemQuestion.objects.create(item=item, asked_by=make_person(), question="?")
    question.answer = "Svar"
    with pytest.raises(IntegrityError), transaction.atomic():
        question.save()  # an answer without answered_at


def test_answer_question_requires_text(item):
    question = ItemQuestion.objects.create(item=item, asked_by=make_person(), question="?")
    with pytest.raises(ValidationError):
        services.answer_question(question=question, user=None, answer="  ")
