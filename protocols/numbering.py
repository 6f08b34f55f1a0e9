"""Paragraph (§) numbers, per council through the calendar year (Swedish practice).

The year's first protocol starts at § 1; each protocol holds one unbroken run of numbers in
agenda order, and the next protocol continues where the last one ended. Numbers are unique per
council and year in the database (`paragraph_unique_per_council_year`) and gapless: a struck
entry (utgår) keeps its number. Every function here locks the council's counter row for the year
(SELECT … FOR UPDATE) first, so two meetings of one council minuted at once queue up instead of
taking the same numbers; callers run inside a transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .models import ParagraphCounter, Protocol, ProtocolEntry


def lock_counter(*, council, year):
    """The council's counter row for `year`, created if missing, locked until commit.

    Callers take this lock before any other row lock of the protocol, so that every writer
    locks in the same order (a deadlock otherwise)."""
    counters = ParagraphCounter.objects.select_for_update()
    counter = counters.filter(council=council, year=year).first()
    if counter is None:
        # ON CONFLICT DO NOTHING: two first protocols of a year may create the row at once.
        ParagraphCounter.objects.bulk_create(
            [ParagraphCounter(council=council, year=year)], ignore_conflicts=True
        )
        counter = counters.get(council=council, year=year)
    return counter


@transaction.atomic
def number_new_entries(*, protocol, entries, user=None):
    """Give a new protocol's entries (unsaved, in agenda order) the next numbers of the year and
    save them."""
    counter = lock_counter(council=protocol.council, year=protocol.year)
    for offset, entry in enumerate(entries, start=1):
        entry.number = counter.last_number + offset
    author = user if user is not None and user.is_authenticated else None
    bulk_create_with_history(entries, ProtocolEntry, default_user=author)
    counter.last_number += len(entries)
    counter.save(update_fields=["last_number"])
    return entries


@transaction.atomic
def insert_entry(*, protocol, entry, before=None):
    """Save `entry` (unsaved) into `protocol` before the entry `before` (at the end when None)
    and renumber: this protocol's run grows by one, and any later protocol of the year (still
    a draft) moves up by one, so that the numbers stay unbroken and in order."""
    counter = lock_counter(council=protocol.council, year=protocol.year)
    own = list(protocol.entries.order_by("number", "id"))
    if not own:
        raise ValidationError("Protokollet har inga paragrafer.")
    first = own[0].number
    last = own[-1].number
    later = list(
        ProtocolEntry.objects.filter(
            council=protocol.council, year=protocol.year, protocol_version=1, number__gt=last
        ).order_by("number")
    )
    unfinished = {e.protocol_id for e in later}
    if Protocol.objects.filter(pk__in=unfinished).exclude(status=Protocol.Status.DRAFT).exists():
        raise ValidationError(
            "Ett senare protokoll för samma råd och år är redan skickat för justering; "
            "paragraferna kan inte längre flyttas.",
            code="numbers_final",
        )
    entry.number = None
    entry.save()
    at = len(own) if before is None else next(i for i, e in enumerate(own) if e.pk == before.pk)
    ordered = [*own[:at], entry, *own[at:], *later]
    _renumber(ordered, start=first)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return entry


def _renumber(entries, *, start):
    """Numbers start, start+1, … for `entries` in this order, in two steps (clear, then set) so
    that the unique constraint never sees two entries with one number."""
    moving = []
    for number, entry in enumerate(entries, start=start):
        if entry.number != number:
            entry.number = number
            moving.append(entry)
    ProtocolEntry.objects.filter(pk__in=[e.pk for e in moving]).update(number=None)
    bulk_update_with_history(moving, ProtocolEntry, ["number"])
