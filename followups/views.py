"""The follow-up pages (R10, R9): the matrix and its export, a position's row, a row's
decision with its document. Every view starts with its fetch-and-check helper from
followups/access.py; the matrix's filters work as a plain GET form and, with htmx, swap the
table only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from councils.history import history_entries
from councils.locking import StaleEdit
from rus.access import document_status

from . import access, charts, documents, report, selectors, services
from .access import Action
from .forms import FollowUpForm, MatrixFilterForm, ReportFilterForm

INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request):
    form = MatrixFilterForm(request.GET or None, choices=selectors.filter_choices(request.user))
    return form, form.filters()


@login_required
@require_GET
def matrix(request):
    """Uppföljningsmatrisen: positions × organisations, each cell the state with its date."""
    roles = access.require_matrix(request)
    form, filters = _filters(request)
    context = {
        "form": form,
        "filters": filters,
        "matrix": selectors.matrix(request.user, filters),
        "editable_ids": access.editable_organisation_ids(request.user),
        "roles": roles,
    }
    template = "followups/matrix.html"
    if request.htmx and not request.htmx.boosted:
        template += "#matrix"
    return render(request, template, context)


@login_required
@require_GET
def matrix_export(request):
    """The matrix as XLSX (or CSV with ?format=csv), with the page's filters."""
    access.require_matrix(request)
    _form, filters = _filters(request)
    table = selectors.matrix(request.user, filters)
    stamp = timezone.localdate().isoformat()
    if request.GET.get("format") == "csv":
        response = HttpResponse(selectors.matrix_csv(table), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="uppfoljning-{stamp}.csv"'
    else:
        response = HttpResponse(selectors.matrix_xlsx(table), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="uppfoljning-{stamp}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def position(request, entry_pk):
    """A position's own row of the matrix: every organisation's decision and document."""
    entry = access.get_position_for_user(request, entry_pk)
    rows = selectors.position_rows(entry)
    editable = access.editable_organisation_ids(request.user)
    for row in rows:
        row.editable = editable is None or row.organisation_id in editable
    return render(
        request,
        "followups/position.html",
        {"entry": entry, "meeting": entry.protocol.meeting, "rows": rows},
    )


@login_required
@require_http_methods(["GET", "POST"])
def followup_edit(request, pk):
    """Record the organisation's formal decision. A save on an older version is refused (409),
    keeping what was typed and showing what is saved now."""
    followup = access.get_followup_for_user(request, pk, action=Action.EDIT)
    form = FollowUpForm(request.POST or None, request.FILES or None, instance=followup)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_followup(
                    followup=followup,
                    user=request.user,
                    version=form.cleaned_data["version"],
                    document=form.cleaned_data.get("new_document"),
                    remove_document=form.cleaned_data.get("remove_document", False),
                    **form.values(),
                )
            except StaleEdit as stale:
                form.show_stale(stale.current)
                status = 409
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Uppföljningen för %(organisation)s är sparad.")
                    % {"organisation": followup.organisation_name},
                )
                return redirect(followup)
    history = history_entries(
        followup.history.all(), exclude=["reminders_sent", "document"], limit=30
    )
    return render(
        request,
        "followups/followup_form.html",
        {
            "form": form,
            "followup": followup,
            "entry": followup.entry,
            "history": history,
        },
        status=status,
    )


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            if field == "document":
                target = "new_document"
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error("new_document", error)


@login_required
@require_GET
def followup_document(request, pk):
    """Serve the decision document after checking the user may see the row."""
    followup = access.get_followup_for_user(request, pk)
    if not followup.document:
        raise Http404("Inget dokument.")
    try:
        handle = followup.document.open("rb")
    except FileNotFoundError:
        raise Http404("Filen saknas i lagringen.") from None
    content_type = followup.document_content_type or "application/octet-stream"
    response = FileResponse(
        handle,
        as_attachment=content_type not in INLINE_TYPES,
        filename=followup.document_name or "beslut",
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # An uploaded document must never run as part of our site.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _report(request):
    access.require_report(request)
    years = report.years()
    this_year = timezone.localdate().year
    if this_year not in years:
        years = sorted({*years, this_year}, reverse=True)
    form = ReportFilterForm(request.GET or None, years=years, councils=report.councils())
    year, council = form.choice()
    return form, report.build(year=year, council=council)


@login_required
@require_GET
def coverage_report(request):
    """The RUS coverage report (R13, R14): items, positions and meeting time per focus area,
    target area, influence issue, Agenda 2030 goal and dimension; untouched areas flagged;
    formal decisions per focus area. Charts are SVG with a data table beside each."""
    form, data = _report(request)
    sections = [(section, charts.bar_chart(section, year=data.year)) for section in data.sections]
    return render(
        request,
        "followups/report.html",
        {"form": form, "report": data, "sections": sections},
    )


@login_required
@require_GET
def coverage_report_export(request):
    """The report as XLSX (or CSV with ?format=csv), for the page's year and council."""
    _form, data = _report(request)
    name = f"rus-tackning-{data.year}" + (f"-{data.council.slug}" if data.council else "")
    if request.GET.get("format") == "csv":
        response = HttpResponse(report.report_csv(data), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        response = HttpResponse(report.report_xlsx(data), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def report_home(request, protocol_pk):
    """Återrapport (R9): the member's organisation's report of an adjusted protocol as PDF and
    .docx, made by Celery when the protocol was adjusted; the state while it is being made."""
    protocol, organisations = access.get_report_home_for_user(request, protocol_pk)
    found = documents.report_documents(protocol, organisations)
    rows = [
        {
            "organisation": organisation,
            "statuses": [
                document_status(request.user, found[organisation.pk][kind])
                for kind in documents.REPORT_KINDS
            ],
        }
        for organisation in organisations
    ]
    return render(
        request,
        "followups/report_home.html",
        {"protocol": protocol, "meeting": protocol.meeting, "rows": rows},
    )


@login_required
@require_http_methods(["GET", "POST"])
def year_review(request):
    """Årsunderlag (R4, R13): the secretariat asks for the year's PDF; Celery makes it."""
    access.require_secretariat(request)
    years = report.years() or [timezone.localdate().year]
    form = ReportFilterForm(
        request.POST or request.GET or None, years=years, councils=report.councils()
    )
    year, council = form.choice()
    if request.method == "POST":
        documents.request_year(year, council)
        url = (
            reverse("followups:year_review")
            + f"?ar={year}"
            + (f"&rad={council.slug}" if council else "")
        )
        return redirect(url)
    status = document_status(request.user, documents.year_document(year, council))
    return render(
        request,
        "followups/year_review.html",
        {"form": form, "year": year, "council": council, "status": status},
    )
