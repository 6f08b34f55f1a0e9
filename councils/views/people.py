"""People: a searchable list, a person's memberships over time, create, edit and history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import selectors
from ..access import Action, get_person_for_user, require, roles_for
from ..forms import PersonForm, PersonSearchForm
from ..history import register_entries
from ..locking import StaleEdit, save_checked
from ..models import Membership

PAGE_SIZE = 50


@login_required
@require_GET
def person_list(request):
    require(request, Action.READ)
    form = PersonSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    people = selectors.people(roles_for(request.user), query)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("sida"))
    template = "councils/person_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"form": form, "page": page, "query": query})


@login_required
@require_GET
def person_detail(request, pk):
    person = get_person_for_user(request, pk)
    context = selectors.person_page(person, roles_for(request.user))
    return render(request, "councils/person_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request):
    """A new person; `next` (a page on this site) brings the secretariat back, e.g. to the
    council page where they were adding a member."""
    require(request, Action.EDIT)
    form = PersonForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    if request.method == "POST" and form.is_valid():
        person = form.save()
        messages.success(request, _("%(name)s är tillagd.") % {"name": person})
        return redirect(next_url or person.get_absolute_url())
    return render(request, "councils/person_form.html", {"form": form, "next": next_url})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = get_person_for_user(request, pk, action=Action.EDIT)
    form = PersonForm(request.POST or None, instance=person)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            save_checked(form)
        except StaleEdit as stale:
            # Someone saved it since this form was built: nothing is saved, what was typed
            # stays, and the saved values are shown beside it.
            form.show_stale(stale.current)
            person = stale.current
            status = 409
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(person)
    return render(
        request, "councils/person_form.html", {"form": form, "person": person}, status=status
    )


@login_required
@require_GET
def person_history(request, pk):
    person = get_person_for_user(request, pk, action=Action.READ_HISTORY)
    entries = register_entries(
        person.history.select_related("history_user"),
        Membership.history.filter(person_id=person.pk).select_related("history_user"),
    )
    return render(
        request,
        "councils/history.html",
        {"subject": person, "entries": entries, "back_url": person.get_absolute_url()},
    )
