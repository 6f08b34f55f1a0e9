"""Memberships: added from the council page (htmx or plain post), edited and ended."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ..access import Action, get_council_for_user, get_membership_for_user
from ..forms import EndMembershipForm, MembershipForm
from ..locking import StaleEdit, check_version, save_checked
from ..services import end_membership
from .councils import council_context

STALE_MEMBERSHIP = gettext_lazy(
    "Någon annan har ändrat uppdraget sedan sidan laddades, så det är inte avslutat. Uppgifterna "
    "ovan är de sparade nu: kontrollera slutdatumet och spara igen."
)


@login_required
@require_http_methods(["GET", "POST"])
def membership_create(request, slug):
    """Add a member. GET: the form, which the council page loads when asked for (its selects
    list every person and organisation): with htmx in place, without it on the council page."""
    council = get_council_for_user(request, slug, action=Action.EDIT)
    template = "councils/council_detail.html"
    if request.method == "GET":
        form = MembershipForm(council=council)
        if request.htmx:
            return render(
                request, template + "#add-member-form", {"council": council, "form": form}
            )
        return render(request, template, council_context(request, council, form=form))
    form = MembershipForm(request.POST, council=council)
    added = None
    if form.is_valid():
        added = form.save()
        if not request.htmx:
            messages.success(
                request,
                _("%(person)s är tillagd i %(council)s.")
                % {"person": added.person, "council": council},
            )
            return redirect(council.get_absolute_url() + "#ledamoter")
        form = MembershipForm(council=council)  # a fresh, empty form under the updated list
    if request.htmx:
        template += "#register"
    context = council_context(request, council, form=form)
    context["added"] = added
    # htmx swaps only 2xx responses by default, so its form errors come back with 200.
    status = 200 if added or request.htmx else 422
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def membership_edit(request, pk):
    membership = get_membership_for_user(request, pk, action=Action.EDIT)
    council = membership.council
    form = MembershipForm(request.POST or None, instance=membership, council=council)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                membership = save_checked(form)
                if membership.end_date:
                    # An end date set here ends the substitutes too, as on the "Avsluta" page.
                    end_membership(membership=membership, end_date=membership.end_date)
        except StaleEdit as stale:
            # Someone saved it since this form was built: nothing is saved, what was typed
            # stays, and the saved values are shown beside it.
            form.show_stale(stale.current)
            membership = stale.current
            status = 409
        else:
            messages.success(request, _("Uppdraget är ändrat."))
            return redirect(council.get_absolute_url() + "#ledamoter")
    return render(
        request,
        "councils/membership_form.html",
        {"form": form, "membership": membership, "council": council},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_end(request, pk):
    membership = get_membership_for_user(request, pk, action=Action.EDIT)
    form = EndMembershipForm(request.POST or None, membership=membership)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                check_version(membership, form.cleaned_data["version"])
                end_membership(membership=membership, end_date=form.cleaned_data["end_date"])
        except StaleEdit as stale:
            # The page shows the membership as saved now; the typed date stays in the form,
            # which now carries the saved version.
            membership = stale.current
            data = request.POST.copy()
            data["version"] = str(membership.version)
            form = EndMembershipForm(data, membership=membership)
            form.is_valid()
            form.add_error(None, STALE_MEMBERSHIP)
            status = 409
        else:
            messages.success(
                request,
                _("Uppdraget för %(person)s avslutas %(date)s.")
                % {
                    "person": membership.person,
                    "date": f"{form.cleaned_data['end_date']:%Y-%m-%d}",
                },
            )
            return redirect(membership.council.get_absolute_url() + "#ledamoter")
    return render(
        request,
        "councils/membership_end.html",
        {"form": form, "membership": membership},
        status=status,
    )
