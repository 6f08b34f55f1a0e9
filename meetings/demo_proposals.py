"""Demo data for item proposals and online review (R9, R11). Safe to run again."""

from councils.models import Council, Membership, Person
from meetings.models import AgendaItem, ItemProposal, ItemReview, Meeting
from rus.models import FocusArea, TargetArea

PROPOSAL_TITLE = "Gemensam satsning på kompetensförsörjning i vård och omsorg"
PROPOSAL_BACKGROUND = (
    "Kommunerna i länet har svårt att rekrytera undersköterskor och sjuksköterskor. Sundsvalls "
    "kommun föreslår att rådet diskuterar en gemensam satsning på utbildning och validering "
    "tillsammans med Region Västernorrland och Arbetsförmedlingen."
)
PROPOSAL_QUESTIONS = "Är rådet berett att ta fram en gemensam handlingsplan till hösten?"

# (anchored, expects dissent, comment) per organisation and position item, in agenda order.
DEMO_ANSWERS = [
    ("yes", False, ""),
    (
        "in_progress",
        True,
        "Kommunstyrelsen har inte behandlat frågan; vi kan behöva reservera oss.",
    ),
]


def _regional_seat(person):
    return (
        Membership.objects.current()
        .filter(person=person, council__kind=Council.Kind.REGIONAL)
        .select_related("organisation", "council")
        .first()
    )


def _rus_link(strategy):
    focus_areas = FocusArea.objects.all()
    target_areas = TargetArea.objects.all()
    if strategy is not None:
        focus_areas = focus_areas.filter(plan__strategy=strategy)
        target_areas = target_areas.filter(strategy=strategy)
    focus_area = focus_areas.filter(title__icontains="matchning").first() or focus_areas.first()
    if focus_area is not None:
        return {"focus_area": focus_area}
    target_area = target_areas.first()
    return {"target_area": target_area} if target_area is not None else None


def seed_demo_proposals(*, users, strategy=None):
    """One open proposal from `ledamot`'s organisation, and a couple of expected-dissent answers
    on the position items of the coming approved meeting."""
    person = Person.objects.filter(user=users.get("ledamot")).first()
    seat = _regional_seat(person) if person else None
    if seat is None:
        return
    coming = Meeting.objects.upcoming().filter(council=seat.council).order_by("starts_at")
    link = _rus_link(strategy)
    if link is not None:
        wished = (
            coming.filter(status=Meeting.Status.AGENDA_IN_PREPARATION).first() or coming.first()
        )
        ItemProposal.objects.get_or_create(
            organisation=seat.organisation,
            title=PROPOSAL_TITLE,
            defaults={
                "proposer": person,
                "kind": ItemProposal.Kind.POSITION,
                "background": PROPOSAL_BACKGROUND,
                "questions": PROPOSAL_QUESTIONS,
                "wished_meeting": wished,
                **link,
            },
        )

    meeting = coming.filter(status=Meeting.Status.AGENDA_APPROVED).first() or coming.first()
    if meeting is None:
        return
    items = list(meeting.items.filter(kind=AgendaItem.Kind.POSITION).order_by("position")[:1])
    if not items:
        return
    other_seat = (
        Membership.objects.current()
        .filter(council=seat.council, role=Membership.Role.MEMBER)
        .exclude(organisation=seat.organisation)
        .select_related("organisation", "person")
        .order_by("organisation__name")
        .first()
    )
    answering = [(seat.organisation, person)]
    if other_seat is not None:
        answering.append((other_seat.organisation, other_seat.person))
    for (organisation, answerer), (anchored, dissent, comment) in zip(
        answering, DEMO_ANSWERS, strict=False
    ):
        for item in items:
            ItemReview.objects.get_or_create(
                item=item,
                organisation=organisation,
                defaults={
                    "anchored": anchored,
                    "expects_dissent": dissent,
                    "comment": comment,
                    "recorded_by": answerer,
                },
            )
