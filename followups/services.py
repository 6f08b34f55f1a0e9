"""Writes on follow-ups (R10): create them when a protocol is adjusted, record a decision."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from councils.locking import check_version
from councils.models import Membership
from meetings.uploads import content_type_for, safe_filename, validate_upload
from protocols.models import HomeDecision, Protocol, ProtocolEntry

from . import access
from .models import FollowUp

# What a person may change on a row; the rest is bookkeeping.
EDITABLE_FIELDS = (
    "expected",
    "state",
    "deciding_body",
    "decision_date",
    "reference",
    "link",
    "comment",
)


@transaction.atomic
def create_followups(*, protocol):
    """One follow-up per consensus position of an adjusted protocol and organisation (R10).

    The organisations: each represented in the council, on the meeting day, by a member taking
    part in positions (chair, vice chair, ledamot), and each the protocol records a formal
    decision expectation for (`HomeDecision`, the organisations present at the §). The
    expectation is taken from `HomeDecision` (undetermined where there is none); a row where no
    formal decision is expected starts as not needed. Idempotent: a second call for the same
    protocol creates nothing new. Returns the rows created.
    """
    protocol = (
        Protocol.objects.select_for_update()
        .select_related("meeting", "council")
        .get(pk=protocol.pk)
    )
    if protocol.status != Protocol.Status.ADJUSTED:
        return []
    entries = list(
        protocol.entries.filter(outcome=ProtocolEntry.Outcome.CONSENSUS, struck=False)
        .prefetch_related("home_decisions")
        .order_by("number")
    )
    if not entries:
        return []
    if protocol.corrects_id is not None:
        _carry_over_from_corrected(protocol, entries)
    position_date = timezone.localdate(protocol.meeting.starts_at)
    seated = dict(
        Membership.objects.current(on=position_date)
        .filter(council=protocol.council, role__in=Membership.POSITION_ROLES)
        .values_list("organisation_id", "organisation__name")
    )
    existing = set(
        FollowUp.objects.filter(entry__in=entries).values_list("entry_id", "organisation_id")
    )
    new = []
    for entry in entries:
        organisations = dict(seated)
        expected = {}
        for decision in entry.home_decisions.all():
            if decision.organisation_id is not None:
                organisations[decision.organisation_id] = decision.organisation_name
                expected[decision.organisation_id] = decision.expected
        for organisation_id, name in sorted(organisations.items(), key=lambda pair: pair[1]):
            if (entry.pk, organisation_id) in existing:
                continue
            value = expected.get(organisation_id, HomeDecision.Expected.UNDETERMINED)
            new.append(
                FollowUp(
                    entry=entry,
                    organisation_id=organisation_id,
                    organisation_name=name,
                    position_date=position_date,
                    expected=value,
                    state=FollowUp.initial_state(value),
                )
            )
    return bulk_create_with_history(new, FollowUp, batch_size=500)


def _carry_over_from_corrected(correction, entries):
    """A correction (rättelse) repeats its original's § numbers: the follow-ups of each
    position move to the corrected § with what the organisations already recorded, so that a
    position is followed up once, on its newest wording."""
    corrected = {
        entry.number: entry
        for entry in ProtocolEntry.objects.filter(protocol_id=correction.corrects_id)
    }
    for entry in entries:
        previous = corrected.get(entry.number)
        if previous is None:
            continue
        for followup in FollowUp.objects.select_for_update().filter(entry=previous):
            followup.entry = entry
            followup.save(update_fields=["entry"])


def refuse_unless_allowed(user, followup):
    """The rule where the write happens: the secretariat, or the organisation's own people."""
    if user is not None and not access.may(user, access.Action.EDIT, followup):
        raise PermissionDenied(access.REFUSALS[access.Action.EDIT])


@transaction.atomic
def update_followup(*, followup, user, version, document=None, remove_document=False, **fields):
    """Record an organisation's formal decision (or why none is needed) on one row (R10).

    Versioned (councils/locking.py): a save on an older version raises StaleEdit and writes
    nothing. The decision document follows the attachments' upload rules
    (`meetings.uploads`). Raises ValidationError (Swedish) for what the row may not hold.
    """
    refuse_unless_allowed(user, followup)
    check_version(followup, version)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(followup, name, value.strip() if isinstance(value, str) else value)
    if document is not None:
        validate_upload(document)
    followup.full_clean(exclude=["document"])
    if document is not None:
        name = safe_filename(document.name)
        document.seek(0)
        followup.document.save(name, document, save=False)
        followup.document_name = name
        followup.document_content_type = content_type_for(name)
    elif remove_document and followup.document:
        # The file stays in storage: the history still names it.
        followup.document = ""
        followup.document_name = ""
        followup.document_content_type = ""
    if user is not None and user.is_authenticated:
        followup._history_user = user
    followup.save()
    return followup
