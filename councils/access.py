"""Who may do what: roles follow from current memberships (docs/roles.md).

`roles_for(user)` is computed once per request and cached on the user object. Views call the
fetch-and-check helpers first: 404 for what a user may not know exists, 403 for what they may
read but not change.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
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
        return bool(self.council_ids)

    @property
    def is_chair(self):
        return bool(self.chair_council_ids)

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


def require_secretariat(request):
    """Registers are read by every signed-in user and edited only by the secretariat."""
    if not roles_for(request.user).is_secretariat:
        raise PermissionDenied("Bara kansliet får ändra registren.")


def get_council_for_user(request, slug, write=False):
    council = get_object_or_404(Council, slug=slug)
    if write:
        require_secretariat(request)
    return council


def get_organisation_for_user(request, pk, write=False):
    organisation = get_object_or_404(Organisation, pk=pk)
    if write:
        require_secretariat(request)
    return organisation


def get_person_for_user(request, pk, write=False):
    person = get_object_or_404(Person, pk=pk)
    if write:
        require_secretariat(request)
    return person


def get_membership_for_user(request, pk, write=False):
    membership = get_object_or_404(
        Membership.objects.select_related("council", "person", "organisation"), pk=pk
    )
    if write:
        require_secretariat(request)
    return membership


def require_secretariat_for_history(request):
    """Change history (who changed what) is for the secretariat only."""
    if not roles_for(request.user).is_secretariat:
        raise PermissionDenied("Bara kansliet kan se ändringshistoriken.")
