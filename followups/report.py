"""The RUS coverage report (R13, R14): what the councils' work of a year did for the strategy.

Per year (and council, or all councils): the number of agenda items, positions and minutes of
meeting time per focus area, target area, påverkansagenda issue, Agenda 2030 goal and
sustainability dimension; the focus areas and influence issues of the year's plan that no item
touched (flagged); and per focus area the share of follow-ups needing a decision that are
decided (R10).

What counts:
- an *item* is a non-procedural agenda item of a held meeting in the year (Swedish time);
- its *minutes* are the item's estimated time on the agenda;
- a *position* is an item whose § in an adjusted protocol ended in consensus;
- an item counts for the Agenda 2030 goals and dimensions it is tagged with, and for those of
  its focus area (R14: focus areas carry the tags too).

The public version in the archive (R15, `public=True`) counts only what the archive publishes
(`access.public_report_protocols()`): an item only when its § stands in a published protocol,
a position only from one, the follow-up shares only for them. It names no one.

The report costs a fixed number of queries whatever the year holds: one per dimension's
register, one for the items with their tags, one for the positions, one for the follow-ups.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from councils.exports import csv_bytes, xlsx_bytes
from councils.models import Council
from meetings.models import AgendaItem, Meeting
from protocols import public as protocols_public
from protocols.models import Protocol, ProtocolEntry
from rus.models import (
    FocusArea,
    InfluenceIssue,
    StrategicPlan,
    SustainabilityDimension,
    SustainabilityGoal,
    TargetArea,
)

from . import access
from .models import FollowUp

CATEGORIES = [
    ("focus_area", gettext_lazy("Fokusområden")),
    ("target_area", gettext_lazy("Målområden")),
    ("influence_issue", gettext_lazy("Påverkansagendan")),
    ("goal", gettext_lazy("Agenda 2030-mål")),
    ("dimension", gettext_lazy("Hållbarhetsdimensioner")),
]
# Untouched ones are flagged for these (the year's plan lifts them, R13).
FLAGGED = {"focus_area", "influence_issue"}


@dataclass
class Line:
    key: int
    label: str
    items: int = 0
    positions: int = 0
    minutes: int = 0
    flag_untouched: bool = False

    @property
    def untouched(self):
        return self.flag_untouched and self.items == 0


@dataclass
class Section:
    key: str
    title: str
    lines: list

    @property
    def untouched(self):
        return [line for line in self.lines if line.untouched]

    @property
    def max_items(self):
        return max([line.items for line in self.lines] + [1])


@dataclass
class Share:
    focus_area: str
    needing: int
    decided: int

    @property
    def percent(self):
        return round(100 * self.decided / self.needing) if self.needing else None


@dataclass
class Report:
    year: int
    council: object
    plan: object
    items: int
    positions: int
    minutes: int
    sections: list
    shares: list = field(default_factory=list)

    @property
    def untouched(self):
        return [(section, line) for section in self.sections for line in section.untouched]


# A meeting that took place: held, and later minuted, adjusted or published.
HELD_STATUSES = [
    Meeting.Status.HELD,
    Meeting.Status.MINUTES_DRAFTED,
    Meeting.Status.MINUTES_ADJUSTED,
    Meeting.Status.PUBLISHED,
]


def years():
    """The years with held meetings or a strategic plan, newest first (the year choices)."""
    held = {
        d.year
        for d in Meeting.objects.filter(status__in=HELD_STATUSES).datetimes("starts_at", "year")
    }
    planned = set(StrategicPlan.objects.values_list("year", flat=True))
    return sorted(held | planned, reverse=True)


def public_years():
    """The years of the published protocols, newest first (the public report's choices)."""
    return sorted(
        set(access.public_report_protocols().values_list("year", flat=True)), reverse=True
    )


def councils():
    return list(Council.objects.exclude(kind=Council.Kind.PREPARATION))


def build(*, year, council=None, public=False):
    plan = StrategicPlan.objects.current(year)
    items = AgendaItem.objects.filter(
        meeting__status__in=HELD_STATUSES, meeting__starts_at__year=year
    ).exclude(kind=AgendaItem.Kind.PROCEDURAL)
    entries = ProtocolEntry.objects.filter(protocol__status=Protocol.Status.ADJUSTED)
    if public:
        entries = ProtocolEntry.objects.filter(
            protocol__in=access.public_report_protocols(), struck=False
        )
        items = items.filter(pk__in=entries.values("agenda_item_id"))
    if council is not None:
        items = items.filter(meeting__council=council)
    else:
        items = items.exclude(meeting__council__kind=Council.Kind.PREPARATION)
    items = list(
        items.select_related("focus_area", "target_area", "influence_issue").prefetch_related(
            "goals", "dimensions", "focus_area__goals", "focus_area__dimensions"
        )
    )
    position_ids = set(
        entries.filter(
            agenda_item__in=[item.pk for item in items],
            outcome=ProtocolEntry.Outcome.CONSENSUS,
            struck=False,
        ).values_list("agenda_item_id", flat=True)
    )

    registers = _registers(plan)
    sections = {key: {} for key, _label in CATEGORIES}
    for key, rows in registers.items():
        for pk, label in rows:
            sections[key][pk] = Line(key=pk, label=label, flag_untouched=key in FLAGGED)

    def count(key, pk, label, item):
        if pk is None:
            return
        line = sections[key].get(pk)
        if line is None:  # e.g. a focus area of another year's plan
            line = sections[key][pk] = Line(key=pk, label=label)
        line.items += 1
        line.minutes += item.estimated_minutes
        line.positions += item.pk in position_ids

    for item in items:
        focus = item.focus_area
        count("focus_area", item.focus_area_id, _label(focus), item)
        count("target_area", item.target_area_id, _label(item.target_area), item)
        count("influence_issue", item.influence_issue_id, _label(item.influence_issue), item)
        goals = {goal.pk: goal for goal in item.goals.all()}
        dimensions = {dimension.pk: dimension for dimension in item.dimensions.all()}
        if focus is not None:
            goals.update({goal.pk: goal for goal in focus.goals.all()})
            dimensions.update({d.pk: d for d in focus.dimensions.all()})
        for pk, goal in goals.items():
            count("goal", pk, str(goal), item)
        for pk, dimension in dimensions.items():
            count("dimension", pk, str(dimension), item)

    return Report(
        year=year,
        council=council,
        plan=plan,
        items=len(items),
        positions=len(position_ids),
        minutes=sum(item.estimated_minutes for item in items),
        sections=[
            Section(key=key, title=str(label), lines=list(sections[key].values()))
            for key, label in CATEGORIES
        ],
        shares=_shares(year, council, registers["focus_area"], public=public),
    )


def _label(obj):
    return str(getattr(obj, "title", obj)) if obj is not None else ""


def _registers(plan):
    """Every focus area and influence issue of the year's plan, every target area, goal and
    dimension: each listed even when no item touched it."""
    focus_areas = influence_issues = []
    if plan is not None:
        focus_areas = list(
            FocusArea.objects.filter(plan=plan)
            .order_by("position", "title")
            .values_list("pk", "title")
        )
        influence_issues = list(
            InfluenceIssue.objects.filter(plan=plan).order_by("title").values_list("pk", "title")
        )
    return {
        "focus_area": focus_areas,
        "target_area": list(
            TargetArea.objects.order_by("position", "title").values_list("pk", "title")
        ),
        "influence_issue": influence_issues,
        "goal": [(goal.pk, str(goal)) for goal in SustainabilityGoal.objects.all()],
        "dimension": [(d.pk, str(d)) for d in SustainabilityDimension.objects.all()],
    }


def _shares(year, council, focus_areas, *, public=False):
    """Per focus area: follow-ups needing a decision (all but "not needed") and how many are
    decided, for the year's positions (R10); in public, of the published positions only."""
    rows = FollowUp.objects.filter(
        entry__year=year, entry__protocol__status=Protocol.Status.ADJUSTED
    ).exclude(state=FollowUp.State.NOT_NEEDED)
    if public:
        rows = rows.filter(
            entry__protocol__in=access.public_report_protocols(), entry__struck=False
        )
    if council is not None:
        rows = rows.filter(entry__council=council)
    counts = defaultdict(lambda: [0, 0])
    titles = dict(focus_areas)
    for focus_id, title, state in rows.values_list(
        "entry__focus_area_id", "entry__focus_area__title", "state"
    ):
        if focus_id is None:
            continue
        titles.setdefault(focus_id, title)
        counts[focus_id][0] += 1
        counts[focus_id][1] += state == FollowUp.State.DECIDED
    return [
        Share(focus_area=title, needing=counts[pk][0], decided=counts[pk][1])
        for pk, title in titles.items()
    ]


def table(report):
    header = [
        _("Kategori"),
        _("Namn"),
        _("Ärenden"),
        _("Ställningstaganden"),
        _("Mötestid (minuter)"),
        _("Ej berört"),
        _("Uppföljningar som kräver beslut"),
        _("Beslutade"),
        _("Andel beslutade (%)"),
    ]
    rows = [
        [
            section.title,
            line.label,
            line.items,
            line.positions,
            line.minutes,
            _("Ja") if line.untouched else "",
            "",
            "",
            "",
        ]
        for section in report.sections
        for line in section.lines
    ]
    rows.extend(
        [
            _("Formella beslut per fokusområde"),
            share.focus_area,
            "",
            "",
            "",
            "",
            share.needing,
            share.decided,
            share.percent if share.percent is not None else "",
        ]
        for share in report.shares
    )
    return header, rows


def report_xlsx(report):
    header, rows = table(report)
    return xlsx_bytes(
        header, rows, title=_("RUS-täckning"), widths=(26, 50, 10, 18, 18, 10, 16, 10, 12)
    )


def report_csv(report):
    header, rows = table(report)
    return csv_bytes(header, rows)


def public_changed_at():
    """When anything the public report counts last changed (its Last-Modified and ETag): the
    archive (a protocol adjusted, a council's publishing), a follow-up, an agenda item's tags,
    the strategy's registers. One aggregate query each; None when nothing is recorded."""
    moments = [protocols_public.changed_at()]
    for model in (FollowUp, AgendaItem, StrategicPlan, FocusArea, InfluenceIssue, TargetArea):
        moments.append(model.history.aggregate(at=Max("history_date"))["at"])
    moments = [moment for moment in moments if moment is not None]
    return max(moments) if moments else None
