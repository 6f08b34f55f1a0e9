"""Councils: the list, a council's page with its members and the R2 check, create and edit."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ..access import Action, get_council_for_user, require, roles_for
from ..composition import check_composition, current_memberships
from ..forms import CouncilForm, MembershipForm
from ..history import recent_register_entries, register_entries
from ..imports import export_csv, export_xlsx
from ..models import Council, Membership, Organisation

# Roles listed in their own sections rather than under an organisation.
SECTION_ROLES = [
    (Membership.Role.ADJUNCT, "Adjungerade"),
    (Membership.Role.SPEAKING_RIGHT, "Funktioner med yttranderätt"),
    (Membership.Role.SECRETARY, "Kansli"),
]
PAST_LIMIT = 50  # ended memberships listed on the council page; the rest are in the history
SIDE_ORDER = [Membership.Side.MAJORITY, Membership.Side.OPPOSITION, Membership.Side.NOT_APPLICABLE]


@dataclass
class OrganisationGroup:
    organisation: object
    sides: list = field(default_factory=list)  # [(side label, [memberships])]


@login_required
@require_GET
def council_list(request):
    require(request, Action.READ)
    councils = Council.objects.with_member_counts()
    return render(request, "councils/council_list.html", {"councils": councils})


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


def council_context(request, council, form=None):
    roles = roles_for(request.user)
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
    if form is None and roles.is_secretariat:
        form = MembershipForm(council=council)
    return {
        "council": council,
        "groups": groups,
        "sections": sections,
        "member_count": sum(m.role != Membership.Role.SECRETARY for m in memberships),
        "composition": composition,
        "rus_group": rus_group,
        "ended": ended,
        "form": form,
    }


@login_required
@require_GET
def council_detail(request, slug):
    council = get_council_for_user(request, slug)
    return render(request, "councils/council_detail.html", council_context(request, council))


@login_required
@require_http_methods(["GET", "POST"])
def council_create(request):
    require(request, Action.EDIT)
    form = CouncilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        council = form.save()
        messages.success(request, f"Rådet {council} är skapat.")
        return redirect("councils:council_detail", slug=council.slug)
    return render(request, "councils/council_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def council_edit(request, slug):
    council = get_council_for_user(request, slug, action=Action.EDIT)
    form = CouncilForm(request.POST or None, instance=council)
    if request.method == "POST" and form.is_valid():
        council = form.save()
        messages.success(request, "Ändringarna är sparade.")
        return redirect("councils:council_detail", slug=council.slug)
    return render(request, "councils/council_form.html", {"form": form, "council": council})


@login_required
@require_GET
def council_history(request, slug):
    council = get_council_for_user(request, slug, action=Action.READ_HISTORY)
    entries = register_entries(
        council.history.select_related("history_user"),
        Membership.history.filter(council_id=council.pk).select_related("history_user"),
    )
    return render(
        request,
        "councils/history.html",
        {"subject": council, "entries": entries, "back_url": council.get_absolute_url()},
    )


@login_required
@require_GET
def register_history(request):
    """The latest changes in all the registers, for the secretariat."""
    require(request, Action.READ_HISTORY)
    return render(
        request,
        "councils/history.html",
        {
            "subject": "Råd, organisationer, personer och uppdrag",
            "entries": recent_register_entries(),
            "back_url": reverse("councils:council_list"),
            "recent": True,
        },
    )


@login_required
@require_GET
def council_export(request, slug, fmt):
    council = get_council_for_user(request, slug, action=Action.EXPORT)
    filename = f"{council.slug}-ledamoter-{timezone.localdate().isoformat()}"
    if fmt == "xlsx":
        response = HttpResponse(
            export_xlsx(council),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(export_csv(council), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
