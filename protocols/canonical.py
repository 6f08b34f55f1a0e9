"""The protocol's canonical content and its SHA-256: what a signatory approves (R8).

The canonical serialisation is the protocol as recorded, independent of how a page or the PDF
lays it out: the meeting (council, title, time, place), the version and what it corrects, every
§ in number order (the R12 fields, minutes, outcome, struck, dissents, expected dissents not
raised, formal decisions expected at home) and the attendance list. It is JSON with sorted keys,
no insignificant whitespace and UTF-8 text, so the same content always gives the same bytes
and the same checksum, and anyone can recompute it from the protocol's rows.

Each approval stores the checksum of the content its signatory saw; a change to the content
changes the checksum and so voids the approvals given before it (services/justering.py). The
protocol PDF prints these checksums on its last page.
"""

import hashlib
import json

from django.utils import timezone

from .models import Attendance, Dissent, HomeDecision, ProtocolEntry, WithdrawnDissent

FORMAT = "samverkan-protokoll/1"


def _entry(entry, dissents, withdrawn, home):
    return {
        "number": entry.number,
        "title": entry.title,
        "kind": entry.kind,
        "standing_key": entry.standing_key,
        "added_at_meeting": entry.added_at_meeting,
        "presenter": entry.presenter_name,
        "rus_link": entry.rus_link_label,
        "background": entry.background,
        "questions": entry.questions,
        "minutes": entry.minutes,
        "outcome": entry.outcome,
        "outcome_text": entry.outcome_text,
        "struck": entry.struck,
        "struck_reason": entry.struck_reason,
        "dissents": [
            {"member": d.member_name, "organisation": d.organisation_name, "text": d.text}
            for d in dissents
        ],
        "expected_dissents_not_raised": [
            {"organisation": w.organisation_name, "expected": w.expected_text} for w in withdrawn
        ],
        "home_decisions": [
            {"organisation": h.organisation_name, "expected": h.expected} for h in home
        ],
    }


def _attendee(row):
    return {
        "name": row.name,
        "organisation": row.organisation_name,
        "capacity": row.capacity,
        "side": row.side,
        "function": row.function,
        "substitute_for": row.substitute_for_name,
        "present": row.present,
        "from": row.from_number,
        "to": row.to_number,
        "adjuster": row.is_adjuster,
    }


def _by_entry(rows):
    grouped = {}
    for row in rows:
        grouped.setdefault(row.entry_id, []).append(row)
    return grouped


def content(protocol):
    """The canonical content as a dict (five queries, whatever the protocol's size)."""
    meeting = protocol.meeting
    entries = list(ProtocolEntry.objects.filter(protocol=protocol).order_by("number", "id"))
    dissents = _by_entry(
        Dissent.objects.filter(entry__protocol=protocol).order_by("recorded_at", "id")
    )
    withdrawn = _by_entry(
        WithdrawnDissent.objects.filter(entry__protocol=protocol).order_by(
            "organisation_name", "id"
        )
    )
    home = _by_entry(
        HomeDecision.objects.filter(entry__protocol=protocol).order_by("organisation_name", "id")
    )
    attendance = Attendance.objects.filter(protocol=protocol).order_by(
        "capacity", "organisation_name", "name", "id"
    )
    return {
        "format": FORMAT,
        "council": protocol.council.name,
        "meeting": {
            "title": meeting.title,
            "starts_at": timezone.localtime(meeting.starts_at).isoformat(),
            "place": meeting.place,
        },
        "year": protocol.year,
        "version": protocol.version,
        "corrects_version": protocol.corrects.version if protocol.corrects_id else None,
        "correction_reason": protocol.correction_reason,
        "entries": [
            _entry(e, dissents.get(e.pk, ()), withdrawn.get(e.pk, ()), home.get(e.pk, ()))
            for e in entries
        ],
        "attendance": [_attendee(row) for row in attendance],
    }


def serialise(protocol):
    """The canonical bytes: JSON, sorted keys, compact separators, UTF-8."""
    return json.dumps(
        content(protocol), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def checksum(protocol):
    """SHA-256 of the canonical bytes, as 64 hex digits."""
    return hashlib.sha256(serialise(protocol)).hexdigest()
