"""Organisations: list, page, create, edit and history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import selectors
from ..access import Action, get_organisation_for_user, require
from ..forms import OrganisationForm
from ..history import register_entries
from ..locking import StaleEdit, save_checked


@login_required
@require_GET
def organisation_list(request):
    require(request, Action.READ)
    organisations = selectors.organisations()
    return render(request, "councils/organisation_list.html", {"organisations": organisations})


@login_required
@require_GET
def organisation_detail(request, pk):
    organisation = get_organisation_for_user(request, pk)
    context = selectors.organisation_page(organisation)
    return render(request, "councils/organisation_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    require(request, Action.EDIT)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = form.save()
        messages.success(request, _("%(name)s är tillagd.") % {"name": organisation})
        return redirect(organisation)
    return render(request, "councils/organisation_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk):
    organisation = get_organisation_for_user(request, pk, action=Action.EDIT)
    form = OrganisationForm(request.POST or None, instance=organisation)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            save_checked(form)
        except StaleEdit as stale:
            # Someone saved it since this form was built: nothing is saved, what was typed
            # stays, and the saved values are shown beside it.
            form.show_stale(stale.current)
            organisation = stale.current
            status = 409
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(organisation)
    return render(
        request,
        "councils/organisation_form.html",
        {"form": form, "organisation": organisation},
        status=status,
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
