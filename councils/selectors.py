"""Reads for the register pages: councils with their members and the R2 check, organisations,
people, and the start page's summary."""

from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .access import contact_details_visible
from .composition import check_composition, current_memberships
from .models import Council, Membership, Organisation, Person

# Roles listed in their own sections rather than under an organisation.
SECTION_ROLES = [
    (Membership.Role.ADJUNCT, _("Adjungerade")),
    (Membership.Role.SPEAKING_RIGHT, _("Funktioner med yttranderätt")),
    (Membership.Role.SECRETARY, _("Kansli")),
]
PAST_LIMIT = 50  # ended memberships listed on the council page; the rest are in the history
SIDE_ORDER = [Membership.Side.MAJORITY, Membership.Side.OPPOSITION, Membership.Side.NOT_APPLICABLE]


@dataclass
class OrganisationGroup:
    organisation: object
    sides: list = field(default_factory=list)  # [(side label, [memberships])]


def group_memberships(memberships):
    """Members by organisation and side; adjuncts, speaking right and secretariat apart."""
    section_roles = {role for role, _ in SECTION_ROLES}
    by_organisation = {}
    sections = {role: [] for role, _ in SECTION_ROLES}
    for membership in memberships:
        if membership.role in section_roles:
            sections[membership.role].append(membership)
            continue
        sides = by_organisation.setdefault(
            membership.organisation_id, (membership.organisation, {})
        )[1]
        sides.setdefault(membership.side, []).append(membership)
    groups = []
    for organisation, sides in sorted(by_organisation.values(), key=_organisation_order):
        groups.append(
            OrganisationGroup(
                organisation=organisation,
                sides=[
                    (Membership.Side(side).label, _seat_order(sides[side]))
                    for side in SIDE_ORDER
                    if side in sides
                ],
            )
        )
    return groups, [(label, sections[role]) for role, label in SECTION_ROLES if sections[role]]


def _organisation_order(item):
    """The region first, then the municipalities, then everyone else; by name within each."""
    organisation = item[0]
    rank = {Organisation.Kind.REGION: 0, Organisation.Kind.MUNICIPALITY: 1}
    return (rank.get(organisation.kind, 2), organisation.name)


def _seat_order(memberships):
    order = {
        Membership.Role.CHAIR: 0,
        Membership.Role.VICE_CHAIR: 1,
        Membership.Role.MEMBER: 2,
        Membership.Role.PREPARATION: 2,
        Membership.Role.SUBSTITUTE: 3,
    }
    return sorted(memberships, key=lambda m: (order.get(m.role, 4), m.person.family_name))


def council_page(council):
    """A council's page: its members by organisation and side, the other sections, the R2
    check, the RUS group and the latest ended seats."""
    memberships = current_memberships(council)
    groups, sections = group_memberships(memberships)
    composition = None
    if council.kind == Council.Kind.REGIONAL:
        composition = check_composition(council, memberships)
    rus_group = []
    if council.kind != Council.Kind.PREPARATION:
        rus_group = list(
            Membership.objects.current()
            .filter(council__kind=Council.Kind.PREPARATION)
            .exclude(role=Membership.Role.SECRETARY)
            .select_related("person", "organisation", "council")
            .order_by("organisation__name", "person__family_name")
        )
    ended = list(
        Membership.objects.filter(council=council, end_date__lte=timezone.localdate())
        .select_related("person", "organisation")
        .order_by("-end_date", "person__family_name")[:PAST_LIMIT]
    )
    return {
        "council": council,
        "groups": groups,
        "sections": sections,
        "member_count": sum(m.role != Membership.Role.SECRETARY for m in memberships),
        "composition": composition,
        "rus_group": rus_group,
        "ended": ended,
    }


def _with_contact_visibility(people, roles):
    """Annotate `contact_visible`: whether `roles` may see the person's e-mail and phone."""
    if roles.is_secretariat:
        visible = Value(True)
    else:
        visible = Case(
            When(contact_details_visible(roles), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    return people.annotate(contact_visible=visible)


def people(roles, query=""):
    """The people register, searched by every word of `query` in names, title, organisation
    and, where the user may see it, the e-mail address (no probing for hidden addresses)."""
    found = _with_contact_visibility(
        Person.objects.select_related("organisation").order_by("family_name", "given_name"),
        roles,
    )
    for term in query.split():
        found = found.filter(
            Q(given_name__icontains=term)
            | Q(family_name__icontains=term)
            | (Q(email__icontains=term) & contact_details_visible(roles))
            | Q(title__icontains=term)
            | Q(organisation__name__icontains=term)
        )
    return found


def person_page(person, roles):
    """A person's page: their memberships over time, and whether their contact details show."""
    visible = Person.objects.filter(pk=person.pk).filter(contact_details_visible(roles))
    return {
        "person": person,
        "contact_visible": roles.is_secretariat or visible.exists(),
        "memberships": (
            Membership.objects.filter(person=person)
            .select_related("council", "organisation", "substitute_for__person")
            .order_by("-start_date", "council__name")
        ),
    }


def organisations():
    """Every organisation with the number of people in the register, by kind and name."""
    return Organisation.objects.annotate(person_count=Count("people")).order_by("kind", "name")


def organisation_page(organisation):
    """An organisation's page: its current seats in the councils and its people."""
    return {
        "organisation": organisation,
        "memberships": (
            Membership.objects.current()
            .filter(organisation=organisation)
            .select_related("person", "council")
            .order_by("council__kind", "council__name", "role", "person__family_name")
        ),
        "people": organisation.people.order_by("family_name", "given_name"),
    }


def contact_emails(memberships):
    """The contact addresses (Person.contact_email) of the people holding `memberships`, each
    once, in order; people without an address are left out. One query."""
    emails = []
    for membership in memberships.select_related("person__user"):
        email = membership.person.contact_email
        if email and email not in emails:
            emails.append(email)
    return emails


def councils():
    """Every council with today's member count."""
    return Council.objects.with_member_counts()


def registers_summary(roles):
    """The councils with today's member count; the R2 warnings too for the secretariat."""
    council_list = list(councils())
    warnings = []
    if roles is not None and roles.is_secretariat:
        for council in council_list:
            if council.kind == Council.Kind.REGIONAL:
                warnings.extend(check_composition(council).warnings)
    return {"councils": council_list, "warnings": warnings}
