"""The search page (/sok/): for everyone — what a visitor may find is decided per kind by the
owning app's rules (search.registry), the public archive for those not signed in."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from .forms import SearchForm


@require_GET
def search_page(request):
    form = SearchForm(request.GET or None, user=request.user)
    results = form.search(request.user)
    query = request.GET.copy()
    query.pop("sida", None)
    without_kind = query.copy()
    without_kind.pop("kind", None)
    context = {
        "form": form,
        "results": results,
        "query_string": query.urlencode(),
        "kind_query": without_kind.urlencode(),
        "base_template": (
            "base.html" if request.user.is_authenticated else "protocols/public/base.html"
        ),
    }
    template = "search/search.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)
