"""Reads for the review before the meeting (R11): "Mina möten", the review matrix, the
questions to the secretariat, and the review panel on the meeting page."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from councils.access import roles_for
from councils.models import Membership, Organisation
from meetings import access
from meetings.access import Action
from meetings.models import (
    AgendaItem,
    Attachment,
    Invitation,
    ItemProposal,
    ItemQuestion,
    ItemReview,
)
from meetings.models.invitations import DeliveryStatus


@dataclass
class ReviewBlock:
    """One organisation's answer on one item, with the form that records it."""

    organisation: Organisation
    review: ItemReview | None = None
    form: object = None  # an ItemReviewForm that did not validate

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


def _item_queryset():
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


@dataclass
class Awaiting:
    """What a coming meeting waits for from the member (the compact list of "Mina möten")."""

    invitation_unanswered: bool = False
    positions_unanswered: int = 0

    def __bool__(self):
        return self.invitation_unanswered or bool(self.positions_unanswered)


def _awaiting(meetings, person):
    """Per meeting: an invitation without an answer, and position items without their
    organisations' answers (three queries for any number of meetings)."""
    ids = [meeting.pk for meeting in meetings]
    unanswered = set()
    if person is not None:
        unanswered = set(
            Invitation.objects.filter(meeting_id__in=ids, person=person, reply="")
            .exclude(status=DeliveryStatus.WITHDRAWN)
            .values_list("meeting_id", flat=True)
        )
    positions = dict(
        AgendaItem.objects.filter(meeting_id__in=ids, kind=AgendaItem.Kind.POSITION)
        .values("meeting_id")
        .annotate(n=Count("pk"))
        .values_list("meeting_id", "n")
    )
    organisation_ids = {o.pk for m in meetings for o in m.seat.review_organisations}
    answered = {}
    for meeting_id, organisation_id in ItemReview.objects.filter(
        item__meeting_id__in=ids,
        item__kind=AgendaItem.Kind.POSITION,
        organisation_id__in=organisation_ids,
    ).values_list("item__meeting_id", "organisation_id"):
        answered[(meeting_id, organisation_id)] = answered.get((meeting_id, organisation_id), 0) + 1
    for meeting in meetings:
        missing = 0
        if meeting.review_open:
            for organisation in meeting.seat.review_organisations:
                missing += positions.get(meeting.pk, 0) - answered.get(
                    (meeting.pk, organisation.pk), 0
                )
        meeting.awaiting = Awaiting(
            invitation_unanswered=meeting.pk in unanswered, positions_unanswered=missing
        )


def my_meetings(user, failed=None, *, council_slug="", open_pk=None, only_open=False):
    """ "Mina möten": the coming meetings of the user's councils. One meeting open — the next
    one, or `open_pk` — with every item and document, its organisations' answers on position
    items and the member's questions (R11); the others compact, each with what awaits the
    member. `council_slug` narrows the list to one council; `only_open` leaves out the others
    (a meeting's own page).

    `failed` maps (item id, organisation id or "question") to a form that did not validate.
    A fixed number of queries whatever the number of meetings (pinned in the tests).
    """
    roles = roles_for(user)
    seats = access.seats_for(roles)
    meetings = list(
        access.visible_meetings(user)
        .filter(council_id__in=list(seats))
        .upcoming()
        .select_related("council")
        .order_by("starts_at")
    )
    councils = sorted({m.council for m in meetings}, key=lambda council: council.name)
    selected = next((c for c in councils if c.slug == council_slug), None)
    if selected is not None:
        meetings = [m for m in meetings if m.council_id == selected.pk]
    for meeting in meetings:
        meeting.seat = seats[meeting.council_id]
        meeting.review_open = meeting.review_is_open
    open_meeting = next((m for m in meetings if m.pk == open_pk), None) if open_pk else None
    if open_meeting is None and not open_pk and meetings:
        open_meeting = meetings[0]
    if open_meeting is not None:
        open_meeting.may = access.rights(user, open_meeting)
        open_meeting.agenda = list(
            _item_queryset().filter(meeting=open_meeting).order_by("position", "id")
        )
        _attach_review_data([open_meeting], seats, roles.person, failed)
    others = [] if only_open else [m for m in meetings if m is not open_meeting]
    if others:
        _awaiting(others, roles.person)
    return {
        "open_meeting": open_meeting,
        "other_meetings": others,
        "councils": councils if len(councils) > 1 else [],
        "selected_council": selected,
        "has_seats": bool(seats),
    }


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


def review_matrix(user, meeting):
    """Organisations × position items: who has answered and where consensus is at risk (R11)."""
    items = list(
        access.visible_items(user, meeting)
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
    # What the table shows, as plain values: its cached fragment's key (rus.fragments). The
    # rows are all loaded: no query.
    context["table_state"] = [
        [[c.item.pk, c.item.version, c.item.position] for c in columns],
        [[o.pk, o.version] for o in organisations],
        [
            [r.pk, r.organisation_id, r.item_id, r.anchored, r.expects_dissent, r.comment]
            + [r.recorded_at, r.recorded_by and [r.recorded_by.pk, r.recorded_by.version]]
            for r in reviews.values()
        ],
    ]
    return context


def questions_page(user, meeting, failed=None):
    """Members' questions on a meeting's items, unanswered first; `failed` maps a question id to
    an answer form that did not validate."""
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
        "may": access.rights(user, meeting),
        "questions": questions,
        "unanswered": sum(1 for q in questions if not q.is_answered),
    }


def review_panel(roles, meeting):
    """Links and counts for the meeting page: expected dissent, questions, proposals (R9, R11).

    A fixed number of queries whatever the size of the agenda.
    """
    may = access.roles_rights(roles, meeting)
    panel = {
        "meeting": meeting,
        "review_open": meeting.review_is_open,
        "seated": roles.sits_in(meeting.council),
        "may": may,
    }
    panel["has_links"] = (
        (panel["seated"] and panel["review_open"])
        or may[Action.FOLLOW_REVIEW]
        or may[Action.PREPARE_AGENDA]
    )
    if may[Action.FOLLOW_REVIEW]:
        panel["position_count"] = meeting.items.filter(kind=AgendaItem.Kind.POSITION).count()
        panel.update(
            ItemReview.objects.filter(item__meeting=meeting).aggregate(
                answers=Count("id"),
                at_risk=Count("id", filter=Q(expects_dissent=True) | Q(anchored="no")),
            )
        )
        panel["unanswered_questions"] = ItemQuestion.objects.filter(
            item__meeting=meeting, answered_at__isnull=True
        ).count()
    if may[Action.PREPARE_AGENDA]:
        panel["open_proposals"] = (
            ItemProposal.objects.open()
            .filter(Q(wished_meeting=meeting) | Q(deferred_to=meeting))
            .count()
        )
    return panel


def review_block(item, organisation, *, form=None):
    """One organisation's block on one item with its saved answer (the htmx fragment)."""
    review = ItemReview.objects.filter(item=item, organisation=organisation).first()
    return ReviewBlock(organisation=organisation, review=review, form=form)
