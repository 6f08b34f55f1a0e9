"""Readable change history of the registers, from django-simple-history's records.

Each entry says who changed what and when; the "what" comes from `diff_against` between an
object's consecutive historical records. Foreign keys are resolved to names in one query per
related model, so a history page costs the same few queries however long the history is.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models

from .models import Council, Membership, Organisation, Person

ACTIONS = {"+": "Skapad", "~": "Ändrad", "-": "Borttagen"}
HIDDEN_FIELDS = {"id"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    date: object
    user: object
    action: str
    object_label: str
    changes: list = field(default_factory=list)
    reason: str = ""

    @property
    def created(self):
        return self.action == ACTIONS["+"]


def history_entries(*record_lists, limit=200):
    """Entries for historical records of any register models, newest first.

    Pass complete histories (all records of each object) so each change can be diffed against
    the record before it.
    """
    records = [record for records in record_lists for record in records]
    records.sort(key=lambda r: (type(r).__name__, r.id, r.history_date, r.history_id))
    pairs = []
    previous = None
    for record in records:
        same_object = (
            previous is not None and type(previous) is type(record) and previous.id == record.id
        )
        pairs.append((record, previous if same_object else None))
        previous = record

    raw = []
    wanted = defaultdict(set)
    for record, before in pairs:
        if before is None:
            changes = [
                (f.name, None, getattr(record, f.attname))
                for f in _tracked_fields(record)
                if getattr(record, f.attname) not in (None, "", False)
            ]
        else:
            delta = record.diff_against(before)
            changes = [(c.field, c.old, c.new) for c in delta.changes]
        for name, old, new in changes:
            related = _related_model(record, name)
            if related is not None:
                wanted[related].update(v for v in (old, new) if v is not None)
        if isinstance(record, Membership.history.model):
            wanted[Person].add(record.person_id)
            wanted[Council].add(record.council_id)
        raw.append((record, changes))

    names = _resolve(wanted)
    entries = []
    for record, changes in raw:
        entries.append(
            Entry(
                date=record.history_date,
                user=record.history_user,
                action=ACTIONS.get(record.history_type, record.history_type),
                object_label=_object_label(record, names),
                changes=[
                    Change(
                        label=_field(record, name).verbose_name,
                        old=_display(record, name, old, names),
                        new=_display(record, name, new, names),
                    )
                    for name, old, new in changes
                    if name not in HIDDEN_FIELDS
                ],
                reason=record.history_change_reason or "",
            )
        )
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries[:limit]


def _tracked_fields(record):
    return [f for f in record.tracked_fields if f.editable and f.name not in HIDDEN_FIELDS]


def _field(record, name):
    return record._meta.get_field(name)


def _related_model(record, name):
    field_ = _field(record, name)
    if isinstance(field_, models.ForeignKey):
        return field_.related_model
    return None


def _resolve(wanted):
    names = {}
    for model, pks in wanted.items():
        if model is Person:
            rows = model.objects.filter(pk__in=pks).values_list("pk", "given_name", "family_name")
            names[model] = {pk: f"{given} {family}" for pk, given, family in rows}
        elif model is Membership:
            rows = model.objects.filter(pk__in=pks).values_list(
                "pk", "person__given_name", "person__family_name", "role"
            )
            names[model] = {
                pk: f"{given} {family} ({Membership.Role(role).label.lower()})"
                for pk, given, family, role in rows
            }
        elif model in (Organisation, Council):
            names[model] = dict(model.objects.filter(pk__in=pks).values_list("pk", "name"))
        else:
            names[model] = {obj.pk: str(obj) for obj in model.objects.filter(pk__in=pks)}
    return names


def _display(record, name, value, names):
    if value is None or value == "":
        return "–"
    field_ = _field(record, name)
    related = _related_model(record, name)
    if related is not None:
        return names.get(related, {}).get(value, f"(borttagen, id {value})")
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _object_label(record, names):
    if isinstance(record, Membership.history.model):
        person = names[Person].get(record.person_id, "?")
        council = names[Council].get(record.council_id, "?")
        return f"Uppdrag: {person}, {record.get_role_display().lower()} i {council}"
    if isinstance(record, Person.history.model):
        return f"Person: {record.given_name} {record.family_name}"
    if isinstance(record, Organisation.history.model):
        return f"Organisation: {record.name}"
    if isinstance(record, Council.history.model):
        return f"Råd: {record.name}"
    return str(record)


def recent_register_entries(limit=100):
    """The latest changes across all four registers, newest first, each diffed as usual.

    Takes the newest `limit` records of each register, then the full history of just those
    objects (so each change can be compared with the record before it).
    """
    record_lists = []
    for model in (Council, Organisation, Person, Membership):
        historical = model.history.model
        ids = set(
            historical.objects.order_by("-history_date", "-history_id").values_list(
                "id", flat=True
            )[:limit]
        )
        record_lists.append(historical.objects.filter(id__in=ids).select_related("history_user"))
    return history_entries(*record_lists, limit=limit)
