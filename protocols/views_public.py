"""The public archive (R15): anyone, signed in or not, reads the adjusted protocols of the
councils that publish them, as HTML and PDF/A, and every position taken, filterable by council,
year and focus area; an Atom feed follows new protocols and positions (protocols/feeds.py).

Access is `protocols.access.public_protocols()` / `get_public_protocol()`: anything else —
a draft, a protocol out for justering, one of a council that does not publish — is a 404 for
everyone. Pages carry Last-Modified and an ETag (a conditional GET is answered 304 without
building the page) and may be cached by anyone for a few minutes: they hold nothing personal
(no CSRF token, no user menu; `templates/protocols/public/base.html`).
"""

import functools

from django import forms
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import condition, require_safe

from . import access, public

MAX_AGE = 300


def cacheable_by(changed_at):
    """A view decorator: Last-Modified and ETag from `changed_at()` (when what the page shows
    last changed; 304 on a conditional GET), public caching for MAX_AGE seconds; the language
    comes from a cookie, so caches keep one copy per cookie. Pages built from more than the
    archive's protocols (the public coverage report) pass their own `changed_at`."""

    def last_modified(request, *args, **kwargs):
        if not hasattr(request, "_archive_changed_at"):
            request._archive_changed_at = changed_at()
        return request._archive_changed_at

    def etag(request, *args, **kwargs):
        return public.etag(last_modified(request), get_language(), request.get_full_path())

    def decorator(view):
        @require_safe
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            response = condition(etag_func=etag, last_modified_func=last_modified)(view)(
                request, *args, **kwargs
            )
            if response.status_code in (200, 304):
                patch_cache_control(response, public=True, max_age=MAX_AGE)
            patch_vary_headers(response, ["Cookie"])
            return response

        return wrapper

    return decorator


cacheable = cacheable_by(public.changed_at)


@cacheable
def index(request):
    """Arkiv: the councils that publish, their years, the latest protocols."""
    context = {"councils": public.councils(), "latest": public.latest_protocols()}
    return render(request, "protocols/public/index.html", context)


@cacheable
def council(request, slug):
    """One council's adjusted protocols, by year."""
    council = public.get_council(slug)
    context = {"council": council, "years": public.council_protocols(council)}
    return render(request, "protocols/public/council.html", context)


@cacheable
def protocol(request, pk):
    """One adjusted protocol: the same document as the PDF, and the PDF/A."""
    protocol = access.get_public_protocol(pk)
    return render(request, "protocols/public/protocol.html", public.protocol_page(protocol))


@cacheable
def protocol_pdf(request, pk):
    """The adjusted protocol's PDF/A, once rendered (404 until then)."""
    protocol = access.get_public_protocol(pk)
    document = public.pdf_documents([protocol]).get(protocol.pk)
    if document is None:
        raise Http404("PDF-filen är inte klar.")
    return FileResponse(
        document.file.open("rb"), filename=document.filename, content_type=document.content_type
    )


class PositionFilterForm(forms.Form):
    """The filter of the positions list (a GET form; every choice is also a plain link)."""

    rad = forms.ChoiceField(label=_("Råd"), required=False)
    ar = forms.TypedChoiceField(label=_("År"), required=False, coerce=int, empty_value=None)
    fokusomrade = forms.TypedChoiceField(
        label=_("Fokusområde"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, data, *, choices):
        super().__init__(data)
        self.choices = choices
        everything = [("", _("Alla"))]
        self.fields["rad"].choices = everything + [(c.slug, c.name) for c in choices["councils"]]
        self.fields["ar"].choices = everything + [(y, y) for y in choices["years"]]
        self.fields["fokusomrade"].choices = everything + [
            (f.pk, f.title) for f in choices["focus_areas"]
        ]

    def filters(self):
        if not self.is_valid():
            return None
        data = self.cleaned_data
        councils = {c.slug: c for c in self.choices["councils"]}
        focus_areas = {f.pk: f for f in self.choices["focus_areas"]}
        return public.PositionFilter(
            council=councils.get(data["rad"]),
            year=data["ar"],
            focus_area=focus_areas.get(data["fokusomrade"]),
        )


@cacheable
def positions(request):
    """Every position taken, with its date, § reference, text and focus area (R15)."""
    choices = public.position_filter_choices()
    form = PositionFilterForm(request.GET, choices=choices)
    filters = form.filters()
    status = 200
    if filters is None:  # a value that is not among the choices: say so, show everything
        filters = public.PositionFilter()
        status = 400
    page = Paginator(public.positions_queryset(filters), public.POSITIONS_PER_PAGE).get_page(
        request.GET.get("sida")
    )
    query = request.GET.copy()
    query.pop("sida", None)
    context = {"form": form, "page": page, "filters": filters, "query": query.urlencode()}
    return render(request, "protocols/public/positions.html", context, status=status)


@require_safe
def accessibility(request):
    """Tillgänglighetsredogörelse (DOS-lagen): its text is a template in the repository,
    `templates/protocols/public/accessibility/<language>.html`, kept by the secretariat."""
    language = "en" if get_language() == "en" else "sv"
    response = render(
        request,
        "protocols/public/accessibility.html",
        {"statement": f"protocols/public/accessibility/{language}.html"},
    )
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    patch_vary_headers(response, ["Cookie"])
    return response
