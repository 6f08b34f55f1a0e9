"""Online review before the meeting (R11): "Mina möten", expected dissent, questions, matrix."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from councils.access import roles_for
from councils.models import Membership, Organisation
from meetings import access
from meetings.access import Action
from meetings.forms.review import AnswerQuestionForm, ItemQuestionForm, ItemReviewForm
from meetings.models import AgendaItem, Attachment, ItemQuestion, ItemReview
from meetings.services import review as services

MY_MEETINGS_TEMPLATE = "meetings/review/my_meetings.html"
QUESTIONS_TEMPLATE = "meetings/review/questions.html"


@dataclass
class ReviewBlock:
    """One organisation's answer on one item, with the form that records it."""

    organisation: Organisation
    review: ItemReview | None = None
    form: ItemReviewForm | None = None

    anchored_choices = ItemReview.Anchored.choices

    @property
    def values(self):
        """What the fields show: what was just typed, else the saved answer, else defaults."""
        if self.form is not None:
            data = self.form.data
            return {
                "anchored": data.get("anchored", ""),
                "expects_dissent": data.get("expects_dissent", "no"),
                "comment": data.get("comment", ""),
            }
        if self.review is not None:
            return {
                "anchored": self.review.anchored,
                "expects_dissent": "yes" if self.review.expects_dissent else "no",
                "comment": self.review.comment,
            }
        return {"anchored": "", "expects_dissent": "no", "comment": ""}


def item_queryset():
    return AgendaItem.objects.select_related(
        "focus_area", "target_area", "influence_issue", "presenter", "proposing_organisation"
    ).prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.prefetch_related("versions"))
    )


def _attach_review_data(meetings, seats, person, failed=None):
    """Put the member's review blocks and questions on each item (two queries in all)."""
    failed = failed or {}
    item_ids = [item.pk for meeting in meetings for item in meeting.agenda]
    organisation_ids = {o.pk for seat in seats.values() for o in seat.question_organisations}
    reviews = {
        (review.item_id, review.organisation_id): review
        for review in ItemReview.objects.filter(
            item_id__in=item_ids, organisation_id__in=organisation_ids
        ).select_related("recorded_by")
    }
    questions = {}
    for question in (
        ItemQuestion.objects.filter(item_id__in=item_ids)
        .filter(Q(organisation_id__in=organisation_ids) | Q(asked_by=person))
        .select_related("asked_by", "organisation")
    ):
        questions.setdefault(question.item_id, []).append(question)
    for meeting in meetings:
        seat = seats[meeting.council_id]
        for item in meeting.agenda:
            item.review_blocks = []
            if item.kind == AgendaItem.Kind.POSITION:
                item.review_blocks = [
                    ReviewBlock(
                        organisation=organisation,
                        review=reviews.get((item.pk, organisation.pk)),
                        form=failed.get((item.pk, organisation.pk)),
                    )
                    for organisation in seat.review_organisations
                ]
            item.my_questions = questions.get(item.pk, [])
            item.question_form = failed.get((item.pk, "question"))


def _my_meetings_context(request, failed=None):
    meetings = access.visible_meetings(request.user)
    roles = roles_for(request.user)
    seats = access.seats_for(roles)
    meetings = list(
        meetings.filter(council_id__in=list(seats))
        .upcoming()
        .select_related("council")
        .prefetch_related(Prefetch("items", queryset=item_queryset()))
        .order_by("starts_at")
    )
    for meeting in meetings:
        meeting.seat = seats[meeting.council_id]
        meeting.review_open = meeting.review_is_open
        meeting.may = access.rights(request.user, meeting)
        meeting.agenda = list(meeting.items.all())
    if meetings:
        _attach_review_data(meetings, seats, roles.person, failed)
    return {"meetings": meetings, "has_seats": bool(seats)}


@login_required
@require_GET
def my_meetings(request):
    """ "Mina möten": coming meetings of my councils, the agenda, every document; on position
    items my organisation's answer (förankrad, expected dissent) and questions (R11)."""
    return render(request, MY_MEETINGS_TEMPLATE, _my_meetings_context(request))


def _back_to(item):
    return reverse("meetings:my_meetings") + f"#punkt-{item.pk}"


@login_required
@require_POST
def review_record(request, item_pk):
    """Record förankrad / expected dissent for my organisation on a position item (R11)."""
    item, seat = access.get_item_for_reviewer(request, item_pk)
    meeting, roles = item.meeting, roles_for(request.user)
    meeting.review_open = meeting.review_is_open
    if item.kind != AgendaItem.Kind.POSITION:
        raise Http404("Förhandsbesked lämnas bara på ställningstaganden.")
    if not seat.review_organisations:
        raise PermissionDenied("Bara ledamöter som deltar i rådets ställningstaganden svarar.")
    if not meeting.review_open:
        raise PermissionDenied("Mötet har redan hållits; förhandsbesked kan inte längre ändras.")
    form = ItemReviewForm(request.POST, organisation_ids=[o.pk for o in seat.review_organisations])
    review = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            review = services.record_review(
                item=item,
                organisation=data["organisation"],
                person=roles.person,
                anchored=data["anchored"],
                expects_dissent=data["expects_dissent"],
                comment=data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
    organisation = form.cleaned_data.get("organisation") or seat.review_organisations[0]
    if review is not None:
        if request.htmx:
            block = ReviewBlock(organisation=organisation, review=review)
            context = {"item": item, "block": block, "meeting": meeting, "saved": True}
            return render(request, MY_MEETINGS_TEMPLATE + "#review-block", context)
        messages.success(request, f"Förhandsbeskedet för {organisation} är sparat.")
        return redirect(_back_to(item))
    if request.htmx:
        block = ReviewBlock(
            organisation=organisation,
            review=ItemReview.objects.filter(item=item, organisation=organisation).first(),
            form=form,
        )
        context = {"item": item, "block": block, "meeting": meeting}
        return render(request, MY_MEETINGS_TEMPLATE + "#review-block", context)
    failed = {(item.pk, organisation.pk): form}
    return render(request, MY_MEETINGS_TEMPLATE, _my_meetings_context(request, failed))


@login_required
@require_POST
def question_ask(request, item_pk):
    """A member asks the secretariat about an item; the answer comes in the app (R8)."""
    item, seat = access.get_item_for_reviewer(request, item_pk)
    meeting, roles = item.meeting, roles_for(request.user)
    if not meeting.review_is_open:
        raise PermissionDenied("Mötet har redan hållits.")
    form = ItemQuestionForm(request.POST)
    if form.is_valid():
        services.ask_question(
            item=item,
            person=roles.person,
            organisation=seat.question_organisations[0],
            question=form.cleaned_data["question"],
        )
        messages.success(request, "Frågan är skickad till kansliet. Svaret visas här.")
        return redirect(_back_to(item))
    failed = {(item.pk, "question"): form}
    return render(request, MY_MEETINGS_TEMPLATE, _my_meetings_context(request, failed))


@dataclass
class MatrixRow:
    organisation: Organisation
    cells: list
    at_risk: bool = False
    answered: int = 0


@dataclass
class MatrixColumn:
    item: AgendaItem
    answered: int = 0
    at_risk: int = 0
    missing: int = 0


@login_required
@require_GET
def review_matrix(request, meeting_pk):
    """Organisations × position items: who has answered and where consensus is at risk (R11)."""
    meeting = access.get_meeting_for_user(request, meeting_pk, action=Action.FOLLOW_REVIEW)
    items = list(
        access.visible_items(request.user, meeting)
        .filter(kind=AgendaItem.Kind.POSITION)
        .select_related("focus_area", "target_area", "influence_issue")
        .order_by("position", "id")
    )
    reviews = {
        (review.organisation_id, review.item_id): review
        for review in ItemReview.objects.filter(item__in=[i.pk for i in items]).select_related(
            "recorded_by"
        )
    }
    seated = (
        Membership.objects.current()
        .filter(council_id=meeting.council_id, role__in=Membership.REVIEW_ROLES)
        .values("organisation_id")
    )
    organisations = list(
        Organisation.objects.filter(
            Q(pk__in=seated) | Q(pk__in={org_id for org_id, _ in reviews})
        ).order_by("name")
    )
    columns = [MatrixColumn(item=item) for item in items]
    rows = []
    for organisation in organisations:
        row = MatrixRow(organisation=organisation, cells=[])
        for column in columns:
            review = reviews.get((organisation.pk, column.item.pk))
            row.cells.append(review)
            if review is None:
                column.missing += 1
                continue
            row.answered += 1
            column.answered += 1
            if review.consensus_at_risk:
                row.at_risk = True
                column.at_risk += 1
        rows.append(row)
    context = {
        "meeting": meeting,
        "columns": columns,
        "rows": rows,
        "risk_count": sum(column.at_risk for column in columns),
    }
    return render(request, "meetings/review/matrix.html", context)


def _questions_context(request, meeting, failed=None):
    questions = list(
        ItemQuestion.objects.filter(item__meeting=meeting)
        .select_related("item", "asked_by", "organisation", "answered_by")
        .order_by("answered_at", "asked_at", "id")
    )
    failed = failed or {}
    for question in questions:
        question.answer_form = failed.get(question.pk)
    return {
        "meeting": meeting,
        "may": access.rights(request.user, meeting),
        "questions": questions,
        "unanswered": sum(1 for q in questions if not q.is_answered),
    }


@login_required
@require_GET
def review_questions(request, meeting_pk):
    """Members' questions on a meeting's items; the secretariat answers them here."""
    meeting = access.get_meeting_for_user(request, meeting_pk, action=Action.FOLLOW_REVIEW)
    return render(request, QUESTIONS_TEMPLATE, _questions_context(request, meeting))


@login_required
@require_POST
def question_answer(request, pk):
    question = access.get_question_for_user(request, pk, action=Action.ANSWER_QUESTIONS)
    meeting = question.item.meeting
    form = AnswerQuestionForm(request.POST)
    if form.is_valid():
        services.answer_question(
            question=question, user=request.user, answer=form.cleaned_data["answer"]
        )
        messages.success(request, "Svaret är sparat och frågeställaren har fått besked.")
        return redirect("meetings:review_questions", meeting_pk=meeting.pk)
    return render(
        request, QUESTIONS_TEMPLATE, _questions_context(request, meeting, {question.pk: form})
    )
