"""Readable change history of the strategy registers, from django-simple-history's records.

Each entry says who changed what and when. One query per model (plus two for
the focus areas' tags), however long the history is.
"""

from . import services

HISTORY_KIND = {"+": "Skapad", "~": "Ändrad", "-": "Borttagen"}


def history_entries(scopes):
    """simple_history rows turned into readable entries, newest first.

    Each entry: date, user, kind, model label, object name and the changed fields as
    (label, old, new, segments). One query per model (plus two for the focus areas' tags),
    however long the history is.
    """
    entries = []
    for model, filters in scopes:
        entries.extend(_entries_for(model, filters))
    entries.sort(key=lambda entry: entry["date"], reverse=True)
    return entries


def _entries_for(model, filters):
    fields = [
        field for field in model._meta.concrete_fields if field.editable and not field.primary_key
    ]
    relations = [field.name for field in fields if field.is_relation]
    m2m = [field.name for field in model._meta.many_to_many]
    rows = model.history.filter(**filters).select_related("history_user", *relations)
    for name in m2m:
        target = model._meta.get_field(name).related_model._meta.model_name
        rows = rows.prefetch_related(f"{_snapshot_accessor(model.history.model, name)}__{target}")
    rows = rows.order_by("id", "history_date", "history_id")

    entries = []
    previous = last_entry = None
    for row in rows:
        if previous is not None and previous.id != row.id:
            previous = last_entry = None
        changes = _row_changes(previous, row, fields, m2m) if row.history_type == "~" else []
        if last_entry is not None and _same_edit(previous, row):
            # A form save writes the fields, then one row per tag field: show them as one edit.
            last_entry["changes"].extend(changes)
        elif row.history_type != "~" or changes:
            last_entry = {
                "date": row.history_date,
                "user": row.history_user,
                "kind": HISTORY_KIND.get(row.history_type, row.history_type),
                "model": model._meta.verbose_name.capitalize(),
                "object": _row_name(row),
                "changes": changes,
            }
            entries.append(last_entry)
        else:
            # An edit row with nothing to show (a save that changed only tags): the tag rows
            # that follow start their own entry instead of joining an older one.
            last_entry = None
        previous = row
    return entries


def _same_edit(previous, row):
    return (
        previous is not None
        and row.history_type == "~"
        and previous.history_type != "-"
        and previous.history_user_id == row.history_user_id
        and (row.history_date - previous.history_date).total_seconds() < 2
    )


def _snapshot_accessor(history_model, name):
    """simple_history keeps each historical row's m2m tags in a table of its own."""
    table = f"{history_model._meta.model_name}_{name}"
    for relation in history_model._meta.related_objects:
        if relation.related_model._meta.model_name == table:
            return relation.get_accessor_name()
    raise LookupError(table)


def _row_name(row):
    for attribute in ("title", "name"):
        value = getattr(row, attribute, None)
        if value:
            return f"{value} {row.year}" if hasattr(row, "year") else value
    return str(row.id)


def _display(row, field):
    if row is None:
        return ""
    if field.is_relation:
        related = getattr(row, field.name, None)
        return str(related) if related is not None else "–"
    value = getattr(row, field.attname)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if value is None or value == "":
        return "–"
    return str(value)


def _tags(row, name):
    if row is None:
        return set()
    target = row.instance_type._meta.get_field(name).related_model._meta.model_name
    snapshot = getattr(row, _snapshot_accessor(type(row), name)).all()
    return {str(getattr(through, target)) for through in snapshot}


def _row_changes(previous, row, fields, m2m):
    if previous is None:
        return []
    changes = []
    for field in fields:
        old, new = _display(previous, field), _display(row, field)
        if old == new:
            continue
        long_text = field.get_internal_type() == "TextField"
        changes.append(
            {
                "label": str(field.verbose_name).capitalize(),
                "old": old,
                "new": new,
                "segments": services.text_segments(old, new) if long_text else (),
            }
        )
    for name in m2m:
        old, new = _tags(previous, name), _tags(row, name)
        if old != new:
            changes.append(
                {
                    "label": str(row.instance_type._meta.get_field(name).verbose_name).capitalize(),
                    "old": ", ".join(sorted(old, key=_tag_order)) or "–",
                    "new": ", ".join(sorted(new, key=_tag_order)) or "–",
                    "segments": (),
                    "added": sorted(new - old, key=_tag_order),
                    "removed": sorted(old - new, key=_tag_order),
                }
            )
    return changes


def _tag_order(label):
    """Agenda 2030 goals by their number ("8. …" before "13. …"), other tags by name."""
    number, dot, _ = label.partition(". ")
    return (int(number), label) if dot and number.isdigit() else (0, label)
