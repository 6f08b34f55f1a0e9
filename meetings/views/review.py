"""Online review before the meeting (R11): "Mina möten", expected dissent, questions, matrix."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from councils.access import roles_for
from meetings import access
from meetings.access import Action
from meetings.forms.review import AnswerQuestionForm, ItemQuestionForm, ItemReviewForm
from meetings.models import AgendaItem
from meetings.selectors import review as selectors
from meetings.services import review as services
from rus.fragments import render_fragment

MY_MEETINGS_TEMPLATE = "meetings/review/my_meetings.html"
QUESTIONS_TEMPLATE = "meetings/review/questions.html"
MATRIX_TEMPLATE = "meetings/review/matrix.html"


@login_required
@require_GET
def my_meetings(request):
    """ "Mina möten": coming meetings of my councils, the agenda, every document; on position
    items my organisation's answer (förankrad, expected dissent) and questions (R11)."""
    access.require(request, Action.READ)
    context = selectors.my_meetings(request.user, council_slug=request.GET.get("rad", ""))
    return render(request, MY_MEETINGS_TEMPLATE, context)


@login_required
@require_GET
def my_meeting(request, pk):
    """One coming meeting of "Mina möten" in full, on its own page; with htmx, the section
    that replaces the meeting's compact entry in the list."""
    access.require(request, Action.READ)
    context = _one_meeting(request.user, pk)
    template = MY_MEETINGS_TEMPLATE + ("#meeting-full" if request.htmx else "")
    return render(request, template, context)


def _one_meeting(user, pk, failed=None):
    context = selectors.my_meetings(user, failed, open_pk=pk, only_open=True)
    if context["open_meeting"] is None:
        raise Http404("Mötet finns inte bland dina kommande möten.")
    return context | {"own_page": True, "meeting": context["open_meeting"]}


def _back_to(item):
    return reverse("meetings:my_meeting", args=[item.meeting_id]) + f"#punkt-{item.pk}"


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
            block = selectors.ReviewBlock(organisation=organisation, review=review)
            context = {"item": item, "block": block, "meeting": meeting, "saved": True}
            return render(request, MY_MEETINGS_TEMPLATE + "#review-block", context)
        messages.success(
            request,
            _("Förhandsbeskedet för %(organisation)s är sparat.") % {"organisation": organisation},
        )
        return redirect(_back_to(item))
    if request.htmx:
        block = selectors.review_block(item, organisation, form=form)
        context = {"item": item, "block": block, "meeting": meeting}
        return render(request, MY_MEETINGS_TEMPLATE + "#review-block", context)
    failed = {(item.pk, organisation.pk): form}
    return render(
        request, MY_MEETINGS_TEMPLATE, _one_meeting(request.user, item.meeting_id, failed)
    )


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
        messages.success(request, _("Frågan är skickad till kansliet. Svaret visas här."))
        return redirect(_back_to(item))
    failed = {(item.pk, "question"): form}
    return render(
        request, MY_MEETINGS_TEMPLATE, _one_meeting(request.user, item.meeting_id, failed)
    )


@login_required
@require_GET
def review_matrix(request, meeting_pk):
    """Organisations × position items: who has answered and where consensus is at risk (R11)."""
    meeting = access.get_meeting_for_user(request, meeting_pk, action=Action.FOLLOW_REVIEW)
    context = selectors.review_matrix(request.user, meeting)
    context["table_html"] = render_fragment(
        request,
        MATRIX_TEMPLATE + "#matrix-table",
        name="review-matrix",
        parts=[meeting.pk, context["table_state"]],
        context=lambda: context,
    )
    return render(request, MATRIX_TEMPLATE, context)


@login_required
@require_GET
def review_questions(request, meeting_pk):
    """Members' questions on a meeting's items; the secretariat answers them here."""
    meeting = access.get_meeting_for_user(request, meeting_pk, action=Action.FOLLOW_REVIEW)
    return render(request, QUESTIONS_TEMPLATE, selectors.questions_page(request.user, meeting))


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
        messages.success(request, _("Svaret är sparat och frågeställaren har fått besked."))
        return redirect("meetings:review_questions", meeting_pk=meeting.pk)
    return render(
        request,
        QUESTIONS_TEMPLATE,
        selectors.questions_page(request.user, meeting, {question.pk: form}),
    )
