"""Who may see and do what in the registers; the roles every app's rights are built on.

Roles follow from current memberships (docs/roles.md). `roles_for(user)` is computed
once per request and cached on the user object; templates get it as `roles`.

One policy for every view of every app: it starts with a fetch-and-check helper from its app's
`access.py`. An object the user may not see is a 404 (they need not know it exists); an action on
a visible object they may not take is a 403. Each right has one name, defined once: on `Roles`
when it follows from the roles alone, as an `Action` of the app when it concerns one object.

The registers are read by every signed-in user and kept by the secretariat (R8). Contact
details are private (elected officials' names and organisations may be published, their contact
details not): the secretariat sees every e-mail address and phone number, a member those of the
members of their own councils, anyone else none (`contact_details_visible`, pages and exports).
"""

import enum
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from .models import Council, Membership, Organisation, Person


@dataclass(frozen=True)
class Roles:
    person: Person | None = None
    is_secretariat: bool = False
    is_rus_group: bool = False
    council_ids: frozenset = field(default_factory=frozenset)
    chair_council_ids: frozenset = field(default_factory=frozenset)
    # Organisations the user currently represents in some council (R9, R11).
    organisation_ids: frozenset = field(default_factory=frozenset)

    @property
    def is_member(self):
        """A current seat in some council (any role)."""
        return bool(self.council_ids)

    @property
    def prepares_agendas(self):
        """The strategiska RUS-gruppen prepares every agenda (R6) and the secretariat helps (R8):
        they see every meeting, assemble agendas, mark items prepared and place proposals."""
        return self.is_secretariat or self.is_rus_group

    @property
    def may_propose(self):
        """Proposing an agenda item needs a current seat on behalf of an organisation (R9)."""
        return self.person is not None and bool(self.organisation_ids)

    def chairs(self, council):
        return council.pk in self.chair_council_ids

    def sits_in(self, council):
        return council.pk in self.council_ids


ANONYMOUS = Roles()


def roles_for(user):
    if not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_samverkan_roles", None)
    if cached is not None:
        return cached
    person = Person.objects.filter(user=user, active=True).first()
    memberships = []
    if person is not None:
        memberships = list(
            Membership.objects.current()
            .filter(person=person)
            .values_list("council_id", "council__kind", "role", "organisation_id")
        )
    roles = Roles(
        person=person,
        is_secretariat=user.is_superuser
        or any(role == Membership.Role.SECRETARY for _, _, role, _ in memberships),
        is_rus_group=any(kind == Council.Kind.PREPARATION for _, kind, _, _ in memberships),
        council_ids=frozenset(council_id for council_id, _, _, _ in memberships),
        chair_council_ids=frozenset(
            council_id
            for council_id, _, role, _ in memberships
            if role in {Membership.Role.CHAIR, Membership.Role.VICE_CHAIR}
        ),
        organisation_ids=frozenset(org_id for _, _, _, org_id in memberships),
    )
    user._samverkan_roles = roles
    return roles


class Action(enum.StrEnum):
    """What a user may do with the registers; each has one rule in `RULES`."""

    READ = "read"
    EDIT = "edit"
    EXPORT = "export"
    READ_HISTORY = "read_history"


RULES = {
    # Every signed-in user reads the registers (names and organisations are public, R15).
    Action.READ: lambda roles: True,
    # The secretariat keeps the registers (R8).
    Action.EDIT: lambda roles: roles.is_secretariat,
    # An export carries every member's contact details.
    Action.EXPORT: lambda roles: roles.is_secretariat,
    # Who changed what, and when.
    Action.READ_HISTORY: lambda roles: roles.is_secretariat,
}

REFUSALS = {
    Action.EDIT: "Bara kansliet får ändra registren.",
    Action.EXPORT: "Bara kansliet får exportera registren.",
    Action.READ_HISTORY: "Bara kansliet kan se ändringshistoriken.",
}


def may(user, action):
    return RULES[action](roles_for(user))


def require(request, action):
    """For pages without an object (lists, create forms): 403 unless the action is allowed."""
    if not may(request.user, action):
        raise PermissionDenied(REFUSALS.get(action, "Du har inte behörighet."))
    return roles_for(request.user)


def get_council_for_user(request, slug, *, action=Action.READ):
    council = get_object_or_404(Council, slug=slug)
    require(request, action)
    return council


def get_organisation_for_user(request, pk, *, action=Action.READ):
    organisation = get_object_or_404(Organisation, pk=pk)
    require(request, action)
    return organisation


def get_person_for_user(request, pk, *, action=Action.READ):
    person = get_object_or_404(Person.objects.select_related("organisation"), pk=pk)
    require(request, action)
    return person


def get_membership_for_user(request, pk, *, action=Action.READ):
    membership = get_object_or_404(
        Membership.objects.select_related("council", "person", "organisation"), pk=pk
    )
    require(request, action)
    return membership


def contact_details_visible(roles):
    """A filter on Person: the people whose e-mail address and phone number `roles` may see.

    The secretariat sees everyone's; a member those of the people who currently sit in one of
    their councils; a user without a seat no one's.
    """
    if roles.is_secretariat:
        return Q()
    seated = Membership.objects.current().filter(council_id__in=roles.council_ids)
    return Q(pk__in=seated.values("person_id"))
