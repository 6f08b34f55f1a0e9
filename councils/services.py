"""Writes to the registers that touch several rows: all or nothing, one transaction each."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from .imports import check_rows
from .models import Membership, Person


class ImportRefused(Exception):
    """Some rows are invalid and the user did not choose to import only the valid ones."""

    def __init__(self, rows):
        super().__init__("Filen har rader med fel; inget har sparats.")
        self.rows = rows


@dataclass
class ImportResult:
    created_memberships: int
    created_people: int
    skipped_rows: int


@transaction.atomic
def import_members(*, council, rows, only_valid=False):
    """Create the members of `rows` (plain dicts from `imports.read_spreadsheet`) in `council`.

    The rows are checked again here, against the registers as they are now, so a preview that
    went stale cannot write a duplicate. With invalid rows nothing is written unless
    `only_valid`; either way every write happens in this one transaction.
    """
    checked = check_rows(council, rows)
    invalid = [row for row in checked if not row.valid]
    if invalid and not only_valid:
        raise ImportRefused(checked)
    people_by_email = {}
    seats_by_email = {}
    created_people = created_memberships = 0
    # Seated members first, so that substitutes in the same file can be linked to them.
    valid = sorted(
        (row for row in checked if row.valid),
        key=lambda row: row.role == Membership.Role.SUBSTITUTE,
    )
    for row in valid:
        email = row.values["email"].strip()
        person = row.person or people_by_email.get(email.lower())
        if person is None:
            person = Person.objects.create(
                given_name=row.values["given_name"],
                family_name=row.values["family_name"],
                email=email,
                title=row.values.get("title", ""),
                phone=row.values.get("phone", ""),
                organisation=row.organisation,
            )
            people_by_email[email.lower()] = person
            created_people += 1
        substitute_for = row.substitute_for
        if substitute_for is None and row.values.get("substitute_for"):
            substitute_for = seats_by_email[row.values["substitute_for"].strip().lower()]
        membership = Membership.objects.create(
            person=person,
            council=council,
            organisation=row.organisation,
            role=row.role,
            side=row.side,
            function=row.values.get("function", ""),
            substitute_for=substitute_for,
            start_date=row.start_date,
            end_date=row.end_date,
        )
        if row.role in Membership.POSITION_ROLES:
            seats_by_email[email.lower()] = membership
        created_memberships += 1
    return ImportResult(
        created_memberships=created_memberships,
        created_people=created_people,
        skipped_rows=len(invalid),
    )


@transaction.atomic
def end_membership(*, membership, end_date):
    """End a seat (it stays in the register, with its history); substitutes for it end too.

    Also moves an end date set before: substitutes that would outlast the seat end with it.
    """
    membership.end(end_date)
    outlasting = membership.substitutes.filter(Q(end_date__isnull=True) | Q(end_date__gt=end_date))
    for substitute in outlasting:
        if substitute.start_date < end_date:
            substitute.end(end_date)
    return membership
