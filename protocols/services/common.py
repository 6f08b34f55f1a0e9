"""What the protocol services share: the history author, the editing rule, snapshots."""

import functools

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from meetings.models import AgendaItem
from protocols.models import (
    Attendance,
    ProtocolEntry,
    ProtocolLocked,
)

NOTED_TEXT = "Informationen noteras."
AGENDA_APPROVED_TEXT = "Dagordningen godkänns."


def recorded_by(instance, user):
    if user is not None and user.is_authenticated:
        instance._history_user = user
    return instance


def refuse_unless_editable(protocol):
    """A draft, or out for justering (the change then voids the approvals, `revises`); never
    an adjusted protocol (R8)."""
    if protocol.is_adjusted:
        raise ProtocolLocked()
    if not protocol.is_editable:
        raise ValidationError(_("Protokollet kan inte längre ändras."), code="not_editable")


def _protocol_id(kwargs):
    if "protocol" in kwargs:
        return kwargs["protocol"].pk
    if "entry" in kwargs:
        return kwargs["entry"].protocol_id
    if "attendance" in kwargs:
        return kwargs["attendance"].protocol_id
    dissent = kwargs["dissent"]
    return ProtocolEntry.objects.filter(pk=dissent.entry_id).values_list("protocol_id", flat=True)[
        0
    ]


def revises(service):
    """A write service of the protocol's content: in one transaction with it, a protocol out for
    justering logs the change and voids the approvals given (services/justering.py)."""

    @functools.wraps(service)
    def wrapper(**kwargs):
        protocol_id = _protocol_id(kwargs)
        with transaction.atomic():
            result = service(**kwargs)
            from .justering import note_revision

            note_revision(protocol_id=protocol_id, user=kwargs.get("user"))
        return result

    return wrapper


def author_of(user):
    return user if user is not None and user.is_authenticated else None


def rus_label(matter):
    if matter.focus_area_id:
        return f"Fokusområde: {matter.focus_area.title}"
    if matter.influence_issue_id:
        return f"Påverkansfråga: {matter.influence_issue.title}"
    if matter.target_area_id:
        return f"Målområde: {matter.target_area.title}"
    return ""


def _entry_from_item(protocol, item):
    entry = ProtocolEntry(
        protocol=protocol,
        council=protocol.council,
        year=protocol.year,
        agenda_item=item,
        standing_key=item.standing_key,
        presenter_name=item.presenter_display,
        rus_link_label=rus_label(item),
        **{name: getattr(item, name) for name in AgendaItem.R12_FIELDS},
    )
    if item.kind == AgendaItem.Kind.INFORMATION:
        entry.outcome, entry.outcome_text = ProtocolEntry.Outcome.NOTED, NOTED_TEXT
    elif item.standing_key == AgendaItem.Standing.AGENDA:
        entry.outcome = ProtocolEntry.Outcome.AGENDA_APPROVED
        entry.outcome_text = AGENDA_APPROVED_TEXT
    return entry


def attendance_snapshot(protocol, membership, **fields):
    organisation = membership.organisation
    return Attendance(
        protocol=protocol,
        person=membership.person,
        membership=membership,
        organisation=organisation,
        name=membership.person.full_name,
        organisation_name=organisation.name,
        organisation_has_elected_seats=organisation.has_elected_seats,
        side=membership.side,
        function=membership.function,
        **fields,
    )
