"""Attendance at the meeting: corrections, arrivals and departures by §, people who came
unannounced."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from councils.models import Membership
from protocols.models import (
    Attendance,
)

from .common import attendance_snapshot, recorded_by, refuse_unless_editable, revises


def _check_numbers(protocol, from_number, to_number):
    first, last = paragraph_range(protocol)
    for value in (from_number, to_number):
        if value is not None and not (first <= value <= last):
            raise ValidationError(
                _("Ange en paragraf mellan § %(first)s och § %(last)s.")
                % {"first": first, "last": last}
            )
    if from_number is not None and to_number is not None and to_number < from_number:
        raise ValidationError(_("Avgången kan inte vara före ankomsten."))


def paragraph_range(protocol):
    numbers = list(protocol.entries.values_list("number", flat=True))
    return (min(numbers), max(numbers)) if numbers else (None, None)


@revises
@transaction.atomic
def update_attendance(*, attendance, user, present, capacity, from_number=None, to_number=None):
    """Correct one row at the meeting: present or not, capacity, arrival and departure by §."""
    attendance = (
        Attendance.objects.select_for_update(of=("self",))
        .select_related("protocol")
        .get(pk=attendance.pk)
    )
    refuse_unless_editable(attendance.protocol)
    if capacity not in Attendance.Capacity.values:
        raise ValidationError({"capacity": _("Okänd egenskap.")})
    _check_numbers(attendance.protocol, from_number, to_number)
    attendance.present = present
    attendance.capacity = capacity
    attendance.from_number = from_number if present else None
    attendance.to_number = to_number if present else None
    if not present or capacity not in Attendance.DISSENT_CAPACITIES:
        attendance.is_adjuster = False
    recorded_by(attendance, user).save()
    return attendance


@revises
@transaction.atomic
def add_attendee(
    *,
    protocol,
    user,
    capacity,
    person=None,
    name="",
    organisation=None,
    side=Membership.Side.NOT_APPLICABLE,
    from_number=None,
):
    """Someone who came unannounced: from the registers (their seat in the council, if any,
    gives organisation and side) or by name."""
    refuse_unless_editable(protocol)
    _check_numbers(protocol, from_number, None)
    if person is not None:
        if protocol.attendance.filter(person=person).exists():
            raise ValidationError(_("%(name)s finns redan i närvarolistan.") % {"name": person})
        on = timezone.localtime(protocol.meeting.starts_at).date()
        membership = (
            Membership.objects.current(on=on)
            .filter(person=person, council=protocol.council)
            .select_related("person", "organisation")
            .first()
        )
        if membership is not None:
            row = attendance_snapshot(protocol, membership, capacity=capacity)
        else:
            organisation = organisation or person.organisation
            row = Attendance(
                protocol=protocol,
                person=person,
                name=person.full_name,
                organisation=organisation,
                organisation_name=organisation.name if organisation else "",
                organisation_has_elected_seats=bool(
                    organisation and organisation.has_elected_seats
                ),
                capacity=capacity,
                side=side,
            )
    else:
        name = name.strip()
        if not name:
            raise ValidationError({"name": _("Välj en person i registret eller skriv ett namn.")})
        row = Attendance(
            protocol=protocol,
            name=name,
            organisation=organisation,
            organisation_name=organisation.name if organisation else "",
            organisation_has_elected_seats=bool(organisation and organisation.has_elected_seats),
            capacity=capacity,
            side=side,
        )
    row.unannounced = True
    row.present = True
    row.from_number = from_number
    recorded_by(row, user).save()
    return row
