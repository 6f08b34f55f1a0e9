"""The one change-history reader: django-simple-history's records as readable entries.

Every history page uses it: the registers (here), the strategy and its plans (`rus`), agenda
items (`meetings`). It lives in the lowest app so that all of them may import it.

Each entry says who changed what and when. The "what" compares each record with the record of
the same object before it; an object whose older records are missing (rows made by
`bulk_create`, or a history cut short) simply starts at its oldest record kept. A form save that
also sets tags writes one record for the fields and then one per tag field: a record that changes
only tags, by the same user within two seconds of the one before, reads as part of that edit.

A page costs the same few queries however long its history is: one per queryset of records, two
per tag field, one per kind of related object named in the entries.
"""

import datetime
import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from .models import Council, Membership, Organisation, Person

ACTIONS = {"+": gettext_lazy("Skapad"), "~": gettext_lazy("Ändrad"), "-": gettext_lazy("Borttagen")}
SAME_EDIT_SECONDS = 2


@dataclass
class Change:
    field: str
    label: str
    old: str
    new: str
    segments: tuple = ()  # long texts: word diff as (op, text) pairs, see text_segments
    added: list = field(default_factory=list)  # tags
    removed: list = field(default_factory=list)


@dataclass
class Entry:
    date: datetime.datetime
    user: object
    kind: str  # simple_history's history_type: "+", "~" or "-"
    model: str
    name: str
    changes: list = field(default_factory=list)
    reason: str = ""
    order: tuple = ()

    @property
    def action(self):
        return ACTIONS.get(self.kind, self.kind)

    @property
    def created(self):
        return self.kind == "+"

    @property
    def object_label(self):
        return f"{self.model}: {self.name}"


def history_entries(
    *histories, name=None, exclude=(), show_created_values=False, limit=None
) -> list[Entry]:
    """Readable entries for querysets of historical records, newest first.

    Pass the complete history of each object you want shown (`obj.history.all()`,
    `Model.history.filter(...)`), so that each change can be compared with the record before it.
    `name(record, display)` names an object (default: its title or name; `display(field_name)`
    gives a field's value as shown, related objects by name); `exclude` lists fields not worth
    showing (an item's position changes with every move); `show_created_values` lists the values
    an object was created with.
    """
    rows = []
    for history in histories:
        rows.extend(_with_tags(history.select_related("history_user")))
    rows.sort(key=lambda r: (r._meta.label, r.id, r.history_date, r.history_id))
    names = _names_of_related(rows)

    entries = []
    previous = entry = None
    for row in rows:
        if previous is not None and (type(previous) is not type(row) or previous.id != row.id):
            previous = entry = None
        fields = [f for f in _tracked_fields(row) if f.name not in exclude]
        tags = [f for f in _tag_fields(row) if f.name not in exclude]
        if row.history_type == "+" and show_created_values:
            changes = _created_values(row, fields, tags, names)
        elif row.history_type == "~" and previous is not None:
            changes = _changes(previous, row, fields, tags, names)
        else:
            changes = []
        if entry is not None and _same_edit(previous, row, changes, tags):
            _merge(entry, changes)
        elif previous is None or row.history_type != "~" or changes or row.history_change_reason:
            entry = Entry(
                date=row.history_date,
                user=row.history_user,
                kind=row.history_type,
                model=str(row.instance_type._meta.verbose_name).capitalize(),
                name=(name or object_name)(row, lambda n, row=row: _display_field(row, n, names)),
                changes=changes,
                # Services store a fixed reason as its Swedish msgid (gettext_noop); others, with
                # data in them, are shown as they were written.
                reason=gettext(row.history_change_reason) if row.history_change_reason else "",
                order=(row.history_date, row.history_id),
            )
            entries.append(entry)
        else:
            # A save that changed nothing shown: records after it start their own entry.
            entry = None
        previous = row
    entries.sort(key=lambda e: e.order, reverse=True)
    return entries[:limit] if limit else entries


def object_name(record, display):
    """A title or a name (a plan's with its year), else the object as text."""
    for attribute in ("title", "name"):
        value = getattr(record, attribute, None)
        if value:
            return f"{value} {record.year}" if hasattr(record, "year") else value
    return str(record.instance)


def _with_tags(history):
    """The records, each with its snapshot of tags (simple_history keeps them per record)."""
    for tag_field in history.model._history_m2m_fields:
        target = tag_field.related_model._meta.model_name
        snapshot = _snapshot_accessor(history.model, tag_field)
        history = history.prefetch_related(f"{snapshot}__{target}")
    return list(history)


def _snapshot_accessor(history_model, tag_field):
    table = f"{history_model._meta.model_name}_{tag_field.name}"
    for relation in history_model._meta.related_objects:
        if relation.related_model._meta.model_name == table:
            return relation.get_accessor_name()
    raise LookupError(table)


def _tracked_fields(record):
    return [f for f in record.tracked_fields if f.editable and not f.primary_key]


def _tag_fields(record):
    return record._history_m2m_fields


def _tags(record, tag_field):
    target = tag_field.related_model._meta.model_name
    snapshot = getattr(record, _snapshot_accessor(type(record), tag_field)).all()
    return sorted((str(getattr(row, target)) for row in snapshot), key=_natural_order)


def _natural_order(label):
    """Numbered labels by their number ("8. …" before "13. …"), the rest by name."""
    number, dot, _ = label.partition(". ")
    return (int(number), label) if dot and number.isdigit() else (0, label)


def _created_values(record, fields, tags, names):
    changes = [
        Change(f.name, _label(f), "", _display(f, getattr(record, f.attname), names))
        for f in fields
        if getattr(record, f.attname) not in (None, "", False)
    ]
    for tag_field in tags:
        new = _tags(record, tag_field)
        if new:
            changes.append(_tag_change(tag_field, [], new))
    return changes


def _changes(before, record, fields, tags, names):
    changes = []
    for f in fields:
        old, new = getattr(before, f.attname), getattr(record, f.attname)
        if old == new:
            continue
        old, new = _display(f, old, names), _display(f, new, names)
        long_text = isinstance(f, models.TextField)
        segments = text_segments(old, new) if long_text else ()
        changes.append(Change(f.name, _label(f), old, new, segments=segments))
    for tag_field in tags:
        old, new = _tags(before, tag_field), _tags(record, tag_field)
        if old != new:
            changes.append(_tag_change(tag_field, old, new))
    return changes


def _tag_change(tag_field, old, new):
    return Change(
        tag_field.name,
        _label(tag_field),
        ", ".join(old) or "–",
        ", ".join(new) or "–",
        added=[tag for tag in new if tag not in old],
        removed=[tag for tag in old if tag not in new],
    )


def _merge(entry, changes):
    """Changes of a later record of the same edit: each field keeps its first old value."""
    for change in changes:
        earlier = next((c for c in entry.changes if c.field == change.field), None)
        if earlier is None:
            entry.changes.append(change)
            continue
        earlier.new = change.new
        earlier.segments = text_segments(earlier.old, earlier.new) if earlier.segments else ()
        earlier.added = [t for t in [*earlier.added, *change.added] if t not in change.removed]
        earlier.removed = [t for t in [*earlier.removed, *change.removed] if t not in change.added]


def _same_edit(previous, record, changes, tags):
    tag_names = {tag_field.name for tag_field in tags}
    return (
        previous is not None
        and record.history_type == "~"
        and all(change.field in tag_names for change in changes)
        and previous.history_type != "-"
        and previous.history_user_id == record.history_user_id
        and (record.history_date - previous.history_date).total_seconds() < SAME_EDIT_SECONDS
    )


def _label(model_field):
    return str(model_field.verbose_name).capitalize()


def _names_of_related(records):
    """Names of every related object the records point to: one query per related model."""
    wanted = defaultdict(set)
    for record in records:
        for f in _tracked_fields(record):
            if f.is_relation and getattr(record, f.attname) is not None:
                wanted[f.related_model].add(getattr(record, f.attname))
    names = {}
    for model, pks in wanted.items():
        objects = model._base_manager.filter(pk__in=pks).select_related()
        names[model] = {obj.pk: str(obj) for obj in objects}
    return names


def _display_field(record, field_name, names):
    model_field = record.instance_type._meta.get_field(field_name)
    return _display(model_field, getattr(record, model_field.attname), names)


def _display(model_field, value, names):
    if value is None or value == "":
        return "–"
    if model_field.is_relation:
        return names.get(model_field.related_model, {}).get(
            value, gettext("(borttagen, id %(id)s)") % {"id": value}
        )
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("Ja") if value else gettext("Nej")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H.%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


_TOKENS = re.compile(r"\s+|[^\s]+")


def text_segments(old, new):
    """Word-level diff as (op, text) pairs, op one of "equal", "delete", "insert".

    A rewritten sentence shares spaces and small words with the old one; left as matches they
    chop the old and new text into alternating fragments. Like diff-match-patch's semantic
    cleanup, an unchanged stretch between two changes that is no longer than the change on each
    side of it is folded into the changes, so a rewrite reads as old text, then new text.
    """
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    # Runs: ["equal", text] or ["change", deleted, inserted].
    runs = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(["equal", "".join(a[i1:i2])])
        else:
            runs.append(["change", "".join(a[i1:i2]), "".join(b[j1:j2])])
    folded = True
    while folded:
        folded = False
        for i in range(1, len(runs) - 1):
            before, equal, after = runs[i - 1], runs[i], runs[i + 1]
            if equal[0] != "equal" or before[0] != "change" or after[0] != "change":
                continue
            size = len(equal[1])
            if size <= max(len(before[1]), len(before[2])) and size <= max(
                len(after[1]), len(after[2])
            ):
                runs[i - 1 : i + 2] = [
                    ["change", before[1] + equal[1] + after[1], before[2] + equal[1] + after[2]]
                ]
                folded = True
                break
    segments = []
    for run in runs:
        if run[0] == "equal":
            segments.append(("equal", run[1]))
            continue
        if run[1]:
            segments.append(("delete", run[1]))
        if run[2]:
            segments.append(("insert", run[2]))
    return tuple(segments)


# --- The registers' history ---------------------------------------------------------------------


def register_entries(*histories, limit=200):
    """Entries of the registers (councils, organisations, people, memberships)."""
    return history_entries(*histories, name=_register_name, show_created_values=True, limit=limit)


def _register_name(record, display):
    if isinstance(record, Membership.history.model):
        return gettext("%(person)s, %(role)s i %(council)s") % {
            "person": display("person"),
            "role": record.get_role_display().lower(),
            "council": display("council"),
        }
    if isinstance(record, Person.history.model):
        return f"{record.given_name} {record.family_name}"
    return object_name(record, display)


def recent_register_entries(limit=100):
    """The latest changes across all four registers, newest first, each diffed as usual.

    Takes the newest `limit` records of each register, then the full history of just those
    objects (so each change can be compared with the record before it).
    """
    histories = []
    for model in (Council, Organisation, Person, Membership):
        historical = model.history.model
        ids = set(
            historical.objects.order_by("-history_date", "-history_id").values_list(
                "id", flat=True
            )[:limit]
        )
        histories.append(historical.objects.filter(id__in=ids))
    return register_entries(*histories, limit=limit)
