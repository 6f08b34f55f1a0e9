"""The agenda as an invitation states it: each item with its estimated start, and snapshots of
time, place and agenda, so that what changed since a mailing can be told (R7).

Used by the invitation mail, the sending services and the pages that warn about changes.
"""

import datetime
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

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
        # Written in UTC so that the same moment is always the same text (a fingerprint of the
        # agenda PDF hashes it); compared as moments anyway (`_time_span`).
        "starts_at": meeting.starts_at.astimezone(datetime.UTC).isoformat(),
        "ends_at": meeting.ends_at.astimezone(datetime.UTC).isoformat(),
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
    """'torsdag 11 februari 2027 kl. 09.00–12.00' (local time, in the active language: mail
    callers make it Swedish)."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    day = formats.date_format(start, "l j F Y")
    if start.date() == end.date():
        return _("%(day)s kl. %(start)s–%(end)s") % {
            "day": day,
            "start": f"{start:%H.%M}",
            "end": f"{end:%H.%M}",
        }
    return _("%(day)s kl. %(start)s – %(last_day)s kl. %(end)s") % {
        "day": day,
        "start": f"{start:%H.%M}",
        "last_day": formats.date_format(end, "l j F Y"),
        "end": f"{end:%H.%M}",
    }


def _time_span(snapshot):
    """Start and end as moments: a snapshot written in Stockholm time (+01:00) and one read back
    from the database (UTC) name the same time in different text. A value without an offset
    (never written by `snapshot`, but possible in a hand-edited row) is read as UTC."""
    moments = []
    for key in ("starts_at", "ends_at"):
        moment = datetime.datetime.fromisoformat(snapshot[key])
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=datetime.UTC)
        moments.append(moment)
    return tuple(moments)


def describe_changes(before, after):
    """What changed between two snapshots, as sentences in the active language for the top of
    an update (Swedish when mailed) and the chair's warning on the meeting's page."""
    changes = []
    old_span, new_span = _time_span(before), _time_span(after)
    if old_span != new_span:
        new = format_time_span(*new_span)
        old = format_time_span(*old_span)
        changes.append(_("Ny tid: %(new)s (tidigare %(old)s).") % {"new": new, "old": old})
    if before.get("place", "") != after["place"]:
        if after["place"] and before.get("place"):
            changes.append(
                _("Ny plats: %(new)s (tidigare %(old)s).")
                % {"new": after["place"], "old": before["place"]}
            )
        elif after["place"]:
            changes.append(_("Ny plats: %(new)s.") % {"new": after["place"]})
        else:
            changes.append(_("Mötet har inte längre någon fysisk plats."))
    if before.get("video_link", "") != after["video_link"]:
        if after["video_link"]:
            changes.append(
                _("Ny länk till det digitala mötet: %(url)s") % {"url": after["video_link"]}
            )
        else:
            changes.append(_("Mötet har inte längre någon länk för digitalt deltagande."))
    old_items = {item["id"]: item for item in before.get("items", [])}
    new_items = {item["id"]: item for item in after["items"]}
    for item in after["items"]:
        old = old_items.get(item["id"])
        if old is None:
            changes.append(
                _("Ny punkt på dagordningen: %(number)s. %(title)s.")
                % {"number": item["number"], "title": item["title"]}
            )
            continue
        what = []
        if old["title"] != item["title"]:
            what.append(_("ny rubrik (tidigare ”%(old)s”)") % {"old": old["title"]})
        if old["kind"] != item["kind"]:
            label = AgendaItem.Kind(item["kind"]).label.lower()
            what.append(_("nu %(kind)s") % {"kind": label})
        if old["presenter"] != item["presenter"]:
            what.append(
                _("föredragande %(presenter)s") % {"presenter": item["presenter"] or _("ingen")}
            )
        if what:
            changes.append(
                _("Punkt %(number)s. %(title)s: %(changes)s.")
                % {"number": item["number"], "title": item["title"], "changes": ", ".join(what)}
            )
    for item in before.get("items", []):
        if item["id"] not in new_items:
            changes.append(
                _("Punkten ”%(title)s” har utgått från dagordningen.") % {"title": item["title"]}
            )
    kept_before = [item["id"] for item in before.get("items", []) if item["id"] in new_items]
    kept_after = [item["id"] for item in after["items"] if item["id"] in old_items]
    if kept_before != kept_after:
        changes.append(_("Dagordningens ordning har ändrats."))
    return changes
