"""The agenda as an invitation states it: each item with its estimated start, and snapshots of
time, place and agenda, so that what changed since a mailing can be told (R7).

Used by the invitation mail, the sending services and the pages that warn about changes.
"""

import datetime
from dataclasses import dataclass

from django.utils import formats, timezone, translation

from meetings.models import AgendaItem


@dataclass(frozen=True)
class ScheduledItem:
    item: AgendaItem
    number: int
    starts_at: datetime.datetime

    @property
    def title(self):
        return self.item.title

    @property
    def kind_display(self):
        return self.item.get_kind_display()

    @property
    def presenter(self):
        return self.item.presenter_display

    @property
    def minutes(self):
        return self.item.estimated_minutes


def agenda_schedule(meeting, items=None):
    """The agenda in order, each item with its estimated start (from the estimated minutes)."""
    if items is None:
        items = meeting.items.select_related("presenter__user").order_by("position", "id")
    schedule = []
    moment = meeting.starts_at
    for number, item in enumerate(items, start=1):
        schedule.append(ScheduledItem(item=item, number=number, starts_at=moment))
        moment += datetime.timedelta(minutes=item.estimated_minutes or 0)
    return schedule


def snapshot(meeting, schedule=None):
    """Time, place and agenda as they stand; stored with each mailing to detect later changes."""
    schedule = agenda_schedule(meeting) if schedule is None else schedule
    return {
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat(),
        "place": meeting.place,
        "video_link": meeting.video_link,
        "items": [
            {
                "id": entry.item.pk,
                "number": entry.number,
                "title": entry.item.title,
                "kind": entry.item.kind,
                "presenter": entry.item.presenter_display,
            }
            for entry in schedule
        ],
    }


def format_time_span(starts_at, ends_at):
    """'torsdag 11 februari 2027 kl. 09.00–12.00' (Swedish, local time)."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    with translation.override("sv"):
        day = formats.date_format(start, "l j F Y")
        if start.date() == end.date():
            return f"{day} kl. {start:%H.%M}–{end:%H.%M}"
        last_day = formats.date_format(end, "l j F Y")
        return f"{day} kl. {start:%H.%M} – {last_day} kl. {end:%H.%M}"


def describe_changes(before, after):
    """What changed between two snapshots, as Swedish sentences for the top of an update."""
    changes = []
    if before.get("starts_at") != after["starts_at"] or before.get("ends_at") != after["ends_at"]:
        new = format_time_span(
            datetime.datetime.fromisoformat(after["starts_at"]),
            datetime.datetime.fromisoformat(after["ends_at"]),
        )
        old = format_time_span(
            datetime.datetime.fromisoformat(before["starts_at"]),
            datetime.datetime.fromisoformat(before["ends_at"]),
        )
        changes.append(f"Ny tid: {new} (tidigare {old}).")
    if before.get("place", "") != after["place"]:
        if after["place"]:
            was = f" (tidigare {before['place']})" if before.get("place") else ""
            changes.append(f"Ny plats: {after['place']}{was}.")
        else:
            changes.append("Mötet har inte längre någon fysisk plats.")
    if before.get("video_link", "") != after["video_link"]:
        if after["video_link"]:
            changes.append(f"Ny länk till det digitala mötet: {after['video_link']}")
        else:
            changes.append("Mötet har inte längre någon länk för digitalt deltagande.")
    old_items = {item["id"]: item for item in before.get("items", [])}
    new_items = {item["id"]: item for item in after["items"]}
    for item in after["items"]:
        old = old_items.get(item["id"])
        if old is None:
            changes.append(f"Ny punkt på dagordningen: {item['number']}. {item['title']}.")
            continue
        what = []
        if old["title"] != item["title"]:
            what.append(f"ny rubrik (tidigare ”{old['title']}”)")
        if old["kind"] != item["kind"]:
            with translation.override("sv"):  # mailed as part of the update
                label = AgendaItem.Kind(item["kind"]).label.lower()
            what.append(f"nu {label}")
        if old["presenter"] != item["presenter"]:
            what.append(f"föredragande {item['presenter'] or 'ingen'}")
        if what:
            changes.append(f"Punkt {item['number']}. {item['title']}: {', '.join(what)}.")
    for item in before.get("items", []):
        if item["id"] not in new_items:
            changes.append(f"Punkten ”{item['title']}” har utgått från dagordningen.")
    kept_before = [item["id"] for item in before.get("items", []) if item["id"] in new_items]
    kept_after = [item["id"] for item in after["items"] if item["id"] in old_items]
    if kept_before != kept_after:
        changes.append("Dagordningens ordning har ändrats.")
    return changes
