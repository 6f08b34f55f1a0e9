"""Reads of follow-ups: the matrix (positions × organisations), its filters, a position's row.

The matrix costs the same few queries however many positions and organisations it shows: one
for the rows (as plain values), one for the positions they belong to, and the filter choices.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from councils.access import roles_for
from councils.exports import csv_bytes, xlsx_bytes
from protocols.models import Protocol, ProtocolEntry
from rus.models import FocusArea

from . import access
from .models import FollowUp

STATES = FollowUp.State


@dataclass(frozen=True)
class Filters:
    council: object = None  # Council
    year: int | None = None
    focus_area: object = None  # FocusArea
    only_pending: bool = False

    def querystring(self):
        parts = []
        if self.council is not None:
            parts.append(f"rad={self.council.slug}")
        if self.year:
            parts.append(f"ar={self.year}")
        if self.focus_area is not None:
            parts.append(f"fokus={self.focus_area.pk}")
        if self.only_pending:
            parts.append("vantande=1")
        return "&".join(parts)


@dataclass
class Totals:
    counts: Counter = field(default_factory=Counter)

    def add(self, state):
        self.counts[state] += 1

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def decided(self):
        return self.counts[STATES.DECIDED]

    @property
    def pending(self):
        return self.counts[STATES.PENDING]

    @property
    def not_needed(self):
        return self.counts[STATES.NOT_NEEDED]

    @property
    def declined(self):
        return self.counts[STATES.DECLINED]


@dataclass
class Column:
    organisation_id: int
    name: str
    totals: Totals = field(default_factory=Totals)


@dataclass
class Row:
    entry: ProtocolEntry
    cells: list = field(default_factory=list)  # one per column: a Cell or None
    totals: Totals = field(default_factory=Totals)

    @property
    def meeting(self):
        return self.entry.protocol.meeting


@dataclass
class Cell:
    id: int
    organisation_id: int
    state: str
    state_label: str
    expected: str
    date: object
    decision_date: object
    reference: str
    has_document: bool
    link: str
    organisation_name: str

    @property
    def pending(self):
        return self.state == STATES.PENDING

    @property
    def date_text(self):
        return self.date.isoformat()


@dataclass
class Matrix:
    rows: list
    columns: list
    totals: Totals

    @property
    def empty(self):
        return not self.rows


def followups_for(user, filters):
    """The follow-up rows `user` may see, filtered; of adjusted protocols only. `user=None`:
    every row (a document the secretariat produces)."""
    rows = FollowUp.objects.filter(entry__protocol__status=Protocol.Status.ADJUSTED)
    if user is not None:
        rows = rows.filter(access.visible_followups(user))
    if filters.council is not None:
        rows = rows.filter(entry__council=filters.council)
    if filters.year:
        rows = rows.filter(entry__year=filters.year)
    if filters.focus_area is not None:
        rows = rows.filter(entry__focus_area=filters.focus_area)
    if filters.only_pending:
        rows = rows.filter(state=STATES.PENDING)
    return rows


def matrix(user, filters):
    """Positions (rows, newest first) × organisations (columns), each cell the state with its
    date; totals per organisation, per position and overall (R10)."""
    values = list(
        followups_for(user, filters).values(
            "id",
            "entry_id",
            "organisation_id",
            "organisation_name",
            "state",
            "expected",
            "position_date",
            "decision_date",
            "reference",
            "document",
            "link",
        )
    )
    entries = {
        entry.pk: entry
        for entry in ProtocolEntry.objects.filter(pk__in={v["entry_id"] for v in values})
        .select_related("council", "protocol__meeting", "focus_area")
        .only(
            "id",
            "number",
            "year",
            "title",
            "outcome_text",
            "council__name",
            "council__slug",
            "protocol__id",
            "protocol__meeting__id",
            "protocol__meeting__title",
            "protocol__meeting__starts_at",
            "focus_area__id",
            "focus_area__title",
        )
    }
    names = {}
    for v in values:
        names.setdefault(v["organisation_id"], v["organisation_name"])
    columns = [
        Column(organisation_id=pk, name=name)
        for pk, name in sorted(names.items(), key=lambda pair: pair[1])
    ]
    index = {column.organisation_id: i for i, column in enumerate(columns)}
    labels = dict(STATES.choices)
    rows = {pk: Row(entry=entry, cells=[None] * len(columns)) for pk, entry in entries.items()}
    overall = Totals()
    for v in values:
        row = rows[v["entry_id"]]
        column = columns[index[v["organisation_id"]]]
        row.cells[index[v["organisation_id"]]] = Cell(
            id=v["id"],
            organisation_id=v["organisation_id"],
            state=v["state"],
            state_label=labels[v["state"]],
            expected=v["expected"],
            date=v["decision_date"] or v["position_date"],
            decision_date=v["decision_date"],
            reference=v["reference"],
            has_document=bool(v["document"]),
            link=v["link"],
            organisation_name=v["organisation_name"],
        )
        row.totals.add(v["state"])
        column.totals.add(v["state"])
        overall.add(v["state"])
    ordered = sorted(
        rows.values(),
        key=lambda row: (row.meeting.starts_at, row.entry.council.name, row.entry.number),
        reverse=True,
    )
    return Matrix(rows=ordered, columns=columns, totals=overall)


def filter_choices(user):
    """The councils, years and focus areas the filter offers (what the user may see)."""
    councils = list(access.visible_councils(user))
    years = sorted(
        set(
            FollowUp.objects.filter(access.visible_followups(user))
            .values_list("entry__year", flat=True)
            .distinct()
        ),
        reverse=True,
    )
    focus_areas = list(
        FocusArea.objects.select_related("plan").order_by("-plan__year", "position", "title")
    )
    return {"councils": councils, "years": years, "focus_areas": focus_areas}


def position_rows(entry):
    """A position's own row of the matrix: every organisation's follow-up."""
    return list(entry.followups.order_by("organisation_name"))


def cell_text(cell):
    """A matrix cell as one line of text, for the spreadsheet."""
    if cell is None:
        return ""
    text = f"{cell.state_label} {cell.date.isoformat()}"
    if cell.reference:
        text += f" ({cell.reference})"
    return text


def matrix_table(matrix):
    """The matrix as a header and rows of plain values (XLSX/CSV): one row per position, one
    column per organisation, the totals per position at the end and per organisation last."""
    header = [
        _("Råd"),
        _("Datum"),
        _("Paragraf"),
        _("Ställningstagande"),
        _("Fokusområde"),
        *[column.name for column in matrix.columns],
        _("Beslutat"),
        _("Väntar"),
        _("Behövs inte"),
        _("Avstår"),
    ]
    rows = []
    for row in matrix.rows:
        entry = row.entry
        rows.append(
            [
                entry.council.name,
                timezone.localdate(row.meeting.starts_at).isoformat(),
                f"§ {entry.number}",
                entry.title,
                entry.focus_area.title if entry.focus_area else "",
                *[cell_text(cell) for cell in row.cells],
                row.totals.decided,
                row.totals.pending,
                row.totals.not_needed,
                row.totals.declined,
            ]
        )
    for label, attr in (
        (_("Beslutat"), "decided"),
        (_("Väntar"), "pending"),
        (_("Behövs inte"), "not_needed"),
        (_("Avstår"), "declined"),
    ):
        rows.append(
            [
                _("Summa"),
                "",
                "",
                label,
                "",
                *[getattr(column.totals, attr) for column in matrix.columns],
                *[getattr(matrix.totals, a) if a == attr else "" for a in _TOTAL_ATTRS],
            ]
        )
    return header, rows


_TOTAL_ATTRS = ("decided", "pending", "not_needed", "declined")


def matrix_xlsx(matrix):
    header, rows = matrix_table(matrix)
    widths = (24, 12, 9, 40, 24, *([18] * len(matrix.columns)), 10, 10, 12, 10)
    return xlsx_bytes(header, rows, title=_("Uppföljning"), widths=widths)


def matrix_csv(matrix):
    header, rows = matrix_table(matrix)
    return csv_bytes(header, rows)


def overdue(user, *, limit=10):
    """For the secretariat's start page: pending rows past their council's first reminder day,
    oldest first, and how many there are in all. Empty for everyone else."""
    from .reminders import overdue_filter

    if not roles_for(user).is_secretariat:
        return {"rows": [], "count": 0}
    rows = FollowUp.objects.filter(overdue_filter()).filter(
        entry__protocol__status=Protocol.Status.ADJUSTED
    )
    return {
        "rows": list(
            rows.select_related("entry__council").order_by("position_date", "organisation_name")[
                :limit
            ]
        ),
        "count": rows.count(),
    }
