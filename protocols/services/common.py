"""What the protocol services share: the history author, the draft rule, snapshots."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from meetings.models import AgendaItem
from protocols.models import (
    Attendance,
    ProtocolEntry,
)

NOTED_TEXT = "Informationen noteras."
AGENDA_APPROVED_TEXT = "Dagordningen godkänns."


def recorded_by(instance, user):
    if user is not None and user.is_authenticated:
        instance._history_user = user
    return instance


def refuse_unless_draft(protocol):
    if not protocol.is_draft:
        raise ValidationError(
            _("Protokollet är skickat för justering och kan inte längre ändras."), code="not_draft"
        )


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
