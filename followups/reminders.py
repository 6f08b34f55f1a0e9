"""Reminders of pending formal decisions (R10), from Celery beat.

A pending row is due for its first reminder `Council.followup_reminder_days` after the position
(30 by default), then every `REMINDER_INTERVAL_DAYS` (30), at most `MAX_REMINDERS` (3) times.
Each organisation with due rows gets one round a day: one mail to each of its members (current
seats on its behalf in the councils of the due rows), listing all of the organisation's pending
rows. Exactly once: a round per organisation and day, a recipient per round and person, and a
reminder per row and number are each unique in the database, written with the organisation's
row locked and in the transaction that writes the mails to the outbox; a beat run that comes
second finds nothing due. Mail leaves through the outbox (`rus.tasks.queue_mail`).
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from councils.models import Council, Membership, Organisation
from rus.tasks import queue_mail

from .models import (
    MAX_REMINDERS,
    FollowUp,
    ReminderItem,
    ReminderRecipient,
    ReminderRound,
)

# A seat that speaks for the organisation in the council; the secretariat's is not one.
RECIPIENT_ROLES = [role for role in Membership.Role.values if role != Membership.Role.SECRETARY]


def overdue_filter(today=None):
    """A filter on FollowUp: pending rows past their council's first reminder day."""
    today = today or timezone.localdate()
    condition = Q(pk__in=[])
    for council_id, days in Council.objects.values_list("pk", "followup_reminder_days"):
        condition |= Q(
            entry__council_id=council_id,
            position_date__lte=today - datetime.timedelta(days=days),
        )
    return Q(state=FollowUp.State.PENDING) & condition


def due_rows(today):
    """Pending rows whose next reminder is due today or earlier (in Python: the day depends on
    the council and on how many reminders went out)."""
    rows = (
        FollowUp.objects.filter(overdue_filter(today), reminders_sent__lt=MAX_REMINDERS)
        .select_related("entry__council")
        .only(
            "pk",
            "organisation_id",
            "position_date",
            "reminders_sent",
            "state",
            "entry__council__followup_reminder_days",
        )
    )
    return [
        row
        for row in rows
        if row.next_reminder_date(row.entry.council.followup_reminder_days) <= today
    ]


def queue_reminders(*, today=None):
    """Beat: one round per organisation with due rows. Returns the number of mails queued."""
    today = today or timezone.localdate()
    by_organisation = defaultdict(list)
    for row in due_rows(today):
        by_organisation[row.organisation_id].append(row.pk)
    return sum(
        remind_organisation(organisation_id=organisation_id, row_ids=ids, today=today)
        for organisation_id, ids in sorted(by_organisation.items())
    )


@transaction.atomic
def remind_organisation(*, organisation_id, row_ids, today):
    organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
    rows = [
        row
        for row in FollowUp.objects.select_for_update(of=("self",))
        .select_related("entry__council")
        .filter(pk__in=row_ids, state=FollowUp.State.PENDING, reminders_sent__lt=MAX_REMINDERS)
        if row.next_reminder_date(row.entry.council.followup_reminder_days) <= today
    ]
    if not rows:  # another run got there first
        return 0
    round_, _created = ReminderRound.objects.get_or_create(organisation=organisation, date=today)
    ReminderItem.objects.bulk_create(
        ReminderItem(round=round_, followup=row, number=row.reminders_sent + 1) for row in rows
    )
    # A bookkeeping count, not an edit: no new version, no history record.
    FollowUp.objects.filter(pk__in=[row.pk for row in rows]).update(
        reminders_sent=F("reminders_sent") + 1
    )
    council_ids = {row.entry.council_id for row in rows}
    already = set(round_.recipients.values_list("person_id", flat=True))
    people = {
        membership.person
        for membership in Membership.objects.current(on=today)
        .filter(organisation=organisation, council_id__in=council_ids, role__in=RECIPIENT_ROLES)
        .select_related("person")
        if membership.person.active and membership.person_id not in already
    }
    context = reminder_context(organisation, due_ids={row.pk for row in rows})
    queued = 0
    for person in sorted(people, key=lambda p: p.pk):
        mail = None
        if person.contact_email:
            mail = queue_mail(
                template="followup_reminder",
                to=[person.contact_email],
                context={**context, "name": person.full_name},
            )
            queued += 1
        ReminderRecipient.objects.create(round=round_, person=person, mail=mail)
    return queued


def reminder_context(organisation, *, due_ids):
    """What the mail lists: every pending row of the organisation (JSON-serialisable)."""
    pending = (
        FollowUp.objects.pending()
        .filter(organisation=organisation)
        .select_related("entry__council", "entry__protocol__meeting")
        .order_by("position_date", "entry__number")
    )
    return {
        "organisation": organisation.name,
        "rows": [
            {
                "title": row.entry.title,
                "number": row.entry.number,
                "council": row.entry.council.name,
                "date": row.position_date.isoformat(),
                "due": row.pk in due_ids,
                "path": reverse("followups:followup_edit", args=[row.pk]),
            }
            for row in pending
        ],
        "matrix_path": reverse("followups:matrix") + "?vantande=1",
    }
