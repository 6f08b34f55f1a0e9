"""Councils: the list, a council's page with its members and the R2 check, create and edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import selectors
from ..access import Action, get_council_for_user, require
from ..forms import CouncilForm
from ..history import recent_register_entries, register_entries
from ..imports import export_csv, export_xlsx
from ..locking import StaleEdit, save_checked
from ..models import Membership


@login_required
@require_GET
def council_list(request):
    require(request, Action.READ)
    return render(request, "councils/council_list.html", {"councils": selectors.councils()})


def council_context(request, council, form=None):
    """The council page's context (also the register fragment's after an htmx add). The form
    to add a member is there only when asked for (membership_create) or after a post."""
    context = selectors.council_page(council)
    context["form"] = form
    return context


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
        messages.success(request, _("Rådet %(council)s är skapat.") % {"council": council})
        return redirect("councils:council_detail", slug=council.slug)
    return render(request, "councils/council_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def council_edit(request, slug):
    council = get_council_for_user(request, slug, action=Action.EDIT)
    form = CouncilForm(request.POST or None, instance=council)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            council = save_checked(form)
        except StaleEdit as stale:
            # Someone saved it since this form was built: nothing is saved, what was typed
            # stays, and the saved values are shown beside it.
            form.show_stale(stale.current)
            council = stale.current
            status = 409
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("councils:council_detail", slug=council.slug)
    return render(
        request, "councils/council_form.html", {"form": form, "council": council}, status=status
    )


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
            "subject": _("Råd, organisationer, personer och uppdrag"),
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
