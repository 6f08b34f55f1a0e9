"""The R2 composition check for Regionala samverkansrådet.

R2: elected representatives of the majority *and* the opposition from every municipality and from
Region Västernorrland; the county administrative board's top leadership is adjunct; officials'
support and the chair of the structural-fund partnership have speaking right.

The check runs two queries whatever the size of the council: the organisations with elected seats
and the council's current memberships (which the council page can pass in, already loaded).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import Council, Membership, Organisation

SEATED_ROLES = frozenset(
    {Membership.Role.CHAIR, Membership.Role.VICE_CHAIR, Membership.Role.MEMBER}
)


@dataclass
class OrganisationSeats:
    organisation: Organisation
    majority: list = field(default_factory=list)
    opposition: list = field(default_factory=list)

    @property
    def complete(self):
        return bool(self.majority and self.opposition)


@dataclass
class Composition:
    council: Council
    seats: list
    adjuncts: list
    speaking_right: list
    warnings: list

    @property
    def complete(self):
        return not self.warnings


def current_memberships(council, on=None):
    """The council's current memberships with what the pages need, in one query."""
    return list(
        Membership.objects.current(on)
        .filter(council=council)
        .select_related("person", "organisation", "substitute_for__person")
        .order_by("organisation__name", "role", "person__family_name", "person__given_name")
    )


def check_composition(council, memberships=None, on=None):
    """Who fills the R2 seats of `council`, and Swedish warnings for every gap.

    `memberships` are the council's current memberships if the caller already has them.
    """
    if memberships is None:
        memberships = current_memberships(council, on)
    organisations = list(Organisation.objects.with_elected_seats().order_by("kind", "name"))
    # The region first, then the municipalities in alphabetical order.
    organisations.sort(key=lambda o: (o.kind != Organisation.Kind.REGION, o.name))
    seats = {org.pk: OrganisationSeats(org) for org in organisations}
    adjuncts, speaking_right = [], []
    for membership in memberships:
        if membership.role == Membership.Role.ADJUNCT:
            adjuncts.append(membership)
        elif membership.role == Membership.Role.SPEAKING_RIGHT:
            speaking_right.append(membership)
        elif membership.role in SEATED_ROLES and membership.organisation_id in seats:
            if membership.side == Membership.Side.MAJORITY:
                seats[membership.organisation_id].majority.append(membership)
            elif membership.side == Membership.Side.OPPOSITION:
                seats[membership.organisation_id].opposition.append(membership)

    warnings = []
    for seat in seats.values():
        if not seat.majority:
            warnings.append(
                _("%(organisation)s saknar ledamot för majoriteten")
                % {"organisation": seat.organisation}
            )
        if not seat.opposition:
            warnings.append(
                _("%(organisation)s saknar ledamot för oppositionen")
                % {"organisation": seat.organisation}
            )
    if not any(m.organisation.kind == Organisation.Kind.COUNTY_BOARD for m in adjuncts):
        warnings.append(_("Länsstyrelsens ledning (landshövding eller länsråd) är inte adjungerad"))
    return Composition(
        council=council,
        seats=list(seats.values()),
        adjuncts=adjuncts,
        speaking_right=speaking_right,
        warnings=warnings,
    )
