"""The RUS coverage report in the public archive (R13, R14, R15), under /arkiv/rus-rapport/:
the same report as the signed-in one (followups/views.py), per year and council, counted only
from what the archive publishes (`access.public_report_protocols()`), for anyone, signed in or
not. Numbers per focus area, target area, influence issue, goal and dimension; no one's name.
Cached like the archive's other pages (Last-Modified, ETag, public for a few minutes)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from protocols.views_public import cacheable_by

from . import access, charts, report
from .forms import ReportFilterForm
from .views import XLSX

cacheable = cacheable_by(report.public_changed_at)


def _report(request):
    years = report.public_years() or [timezone.localdate().year]
    form = ReportFilterForm(
        request.GET or None, years=years, councils=access.public_report_councils()
    )
    year, council = form.choice()
    return form, report.build(year=year, council=council, public=True)


@cacheable
def coverage_report(request):
    """The public coverage report with its SVG charts, each beside its data table."""
    form, data = _report(request)
    sections = [(section, charts.bar_chart(section, year=data.year)) for section in data.sections]
    return render(
        request,
        "followups/public_report.html",
        {"form": form, "report": data, "sections": sections},
    )


@cacheable
def coverage_report_export(request):
    """The public report as XLSX (or CSV with ?format=csv), for the page's year and council."""
    _form, data = _report(request)
    name = f"rus-tackning-{data.year}" + (f"-{data.council.slug}" if data.council else "")
    if request.GET.get("format") == "csv":
        response = HttpResponse(report.report_csv(data), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        response = HttpResponse(report.report_xlsx(data), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
