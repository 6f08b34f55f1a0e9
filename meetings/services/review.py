"""Online review before the meeting (R11): expected dissent per organisation, questions (R8)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from councils.models import Membership
from councils.selectors import contact_emails
from meetings.models import ItemQuestion, ItemReview
from rus.tasks import queue_mail


@transaction.atomic
def record_review(*, item, organisation, person, anchored, expects_dissent, comment=""):
    """Record (or replace) the organisation's answer on a position item (R11).

    Only position items take answers: information items lead to no position (R10). Answers are
    given before the meeting, on a meeting that will take place (Meeting.review_is_open).
    """
    if item.kind != item.Kind.POSITION:
        raise ValidationError(
            gettext("Förhandsbesked lämnas bara på ställningstaganden."), code="kind"
        )
    if not item.meeting.review_is_open:
        raise ValidationError(
            gettext("Mötet har redan hållits; förhandsbesked kan inte längre ändras."),
            code="closed",
        )
    comment = (comment or "").strip()
    if expects_dissent and not comment:
        raise ValidationError(
            gettext("Beskriv kort den avvikande synpunkten."), code="dissent_needs_comment"
        )
    review, _ = ItemReview.objects.update_or_create(
        item=item,
        organisation=organisation,
        defaults={
            "anchored": anchored,
            "expects_dissent": expects_dissent,
            "comment": comment,
            "recorded_by": person,
            "recorded_at": timezone.now(),
        },
    )
    return review


def secretariat_emails(council):
    """Addresses of the council's current secretaries (the kansli, R8)."""
    return contact_emails(
        Membership.objects.current().filter(council=council, role=Membership.Role.SECRETARY)
    )


@transaction.atomic
def ask_question(*, item, person, organisation, question):
    """A member asks the secretariat about an item before the meeting (R11); the secretariat
    is told by mail."""
    if not item.meeting.review_is_open:
        raise ValidationError(gettext("Mötet har redan hållits."), code="closed")
    question = ItemQuestion.objects.create(
        item=item, organisation=organisation, asked_by=person, question=question.strip()
    )
    meeting = item.meeting
    to = secretariat_emails(meeting.council)
    if to:
        queue_mail(
            template="proposal_question_asked",
            to=to,
            context={
                "asker": person.full_name,
                "organisation": organisation.name if organisation else "",
                "item": item.title,
                "meeting": str(meeting),
                "question": question.question,
                "path": reverse("meetings:review_questions", args=[meeting.pk]),
            },
        )
    return question


@transaction.atomic
def answer_question(*, question, user, answer):
    """The secretariat answers in the app; the member who asked is told by mail."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError(gettext("Skriv ett svar."), code="answer_required")
    question.answer = answer
    question.answered_by = user
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    person = question.asked_by
    to = person.contact_email
    if to:
        queue_mail(
            template="proposal_question_answered",
            to=[to],
            context={
                "asker": person.full_name,
                "item": question.item.title,
                "meeting": str(question.item.meeting),
                "question": question.question,
                "answer": answer,
                "path": reverse("meetings:my_meetings") + f"#punkt-{question.item_id}",
            },
        )
    return question
