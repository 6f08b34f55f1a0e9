"""Organisations: list, page, create, edit and history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from ..access import Action, get_organisation_for_user, require
from ..forms import OrganisationForm
from ..history import register_entries
from ..models import Membership, Organisation


@login_required
@require_GET
def organisation_list(request):
    require(request, Action.READ)
    organisations = Organisation.objects.annotate(person_count=Count("people")).order_by(
        "kind", "name"
    )
    return render(request, "councils/organisation_list.html", {"organisations": organisations})


@login_required
@require_GET
def organisation_detail(request, pk):
    organisation = get_organisation_for_user(request, pk)
    memberships = (
        Membership.objects.current()
        .filter(organisation=organisation)
        .select_related("person", "council")
        .order_by("council__kind", "council__name", "role", "person__family_name")
    )
    people = organisation.people.order_by("family_name", "given_name")
    return render(
        request,
        "councils/organisation_detail.html",
        {"organisation": organisation, "memberships": memberships, "people": people},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    require(request, Action.EDIT)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = form.save()
        messages.success(request, f"{organisation} är tillagd.")
        return redirect(organisation)
    return render(request, "councils/organisation_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk):
    organisation = get_organisation_for_user(request, pk, action=Action.EDIT)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Ändringarna är sparade.")
        return redirect(organisation)
    return render(
        request, "councils/organisation_form.html", {"form": form, "organisation": organisation}
    )


@login_required
@require_GET
def organisation_history(request, pk):
    organisation = get_organisation_for_user(request, pk, action=Action.READ_HISTORY)
    entries = register_entries(organisation.history.select_related("history_user"))
    return render(
        request,
        "councils/history.html",
        {"subject": organisation, "entries": entries, "back_url": organisation.get_absolute_url()},
    )
