"""Demo follow-ups (`manage.py seed_demo`, after the protocols): every adjusted protocol's
consensus positions get their rows, and the demo's first position shows the states side by
side — decided with the body, date and reference, declined with a comment, not needed, and
pending (Sundsvall's row, for the demo user `ledamot` to record by hand).

Every adjusted protocol's återrapporter are asked for (rendered by Celery, once per version).

Robust to the order of work: if no protocol is adjusted yet, nothing is made here, and the rows
appear when one is (the `protocol_adjusted` receiver). Idempotent: a row already changed (its
version above 1) is left as it is.
"""

import datetime

from django.utils import timezone

from protocols.models import Protocol

from . import documents, services
from .models import FollowUp

# (organisation, state, deciding body, days after the position, reference, comment)
DECIDED = [
    ("Härnösands kommun", "Kommunstyrelsen", 21, "KS {year}/318"),
    ("Örnsköldsviks kommun", "Kommunfullmäktige", 35, "KF {year}/77"),
    ("Kramfors kommun", "Kommunstyrelsen", 28, "KS {year}/1024"),
]
DECLINED = [
    (
        "Ånge kommun",
        "Kommunstyrelsen avstod från att fatta beslut i väntan på den regionala "
        "konsekvensanalysen.",
    ),
]


def seed(*, users=None):
    adjusted = list(Protocol.objects.filter(status=Protocol.Status.ADJUSTED).order_by("pk"))
    for protocol in adjusted:
        services.create_followups(protocol=protocol)
        documents.request_reports(protocol)  # each organisation's återrapport, once
    first = (
        FollowUp.objects.filter(entry__protocol__in=adjusted)
        .order_by("entry__protocol_id", "entry__number")
        .values_list("entry_id", flat=True)
        .first()
    )
    if first is None:
        return []
    rows = {row.organisation_name: row for row in FollowUp.objects.filter(entry_id=first)}
    changed = []
    today = timezone.localdate()
    for name, body, days, reference in DECIDED:
        row = rows.get(name)
        if row is None or row.version > 1:
            continue
        date = min(row.position_date + datetime.timedelta(days=days), today)
        changed.append(
            services.update_followup(
                followup=row,
                user=None,
                version=None,
                expected=FollowUp.Expected.YES,
                state=FollowUp.State.DECIDED,
                deciding_body=body,
                decision_date=date,
                reference=reference.format(year=date.year),
                link="https://www.example.org/diarium/"
                + reference.format(year=date.year).replace(" ", "-").replace("/", "-").lower(),
            )
        )
    for name, comment in DECLINED:
        row = rows.get(name)
        if row is None or row.version > 1:
            continue
        changed.append(
            services.update_followup(
                followup=row,
                user=None,
                version=None,
                expected=FollowUp.Expected.YES,
                state=FollowUp.State.DECLINED,
                comment=comment,
            )
        )
    return changed
