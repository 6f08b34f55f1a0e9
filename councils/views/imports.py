"""Import of members from CSV or XLSX: upload -> preview with per-row errors -> confirm.

The rows read from the upload are kept in the session between preview and confirmation (plain
strings, tied to the council and a one-time token) and checked again on confirmation; the
import itself is one transaction (councils.services.import_members).
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..access import Action, get_council_for_user
from ..forms import ImportUploadForm
from ..imports import COLUMNS, ImportFileError, check_rows, read_spreadsheet, template_csv
from ..services import ImportRefused, import_members

SESSION_KEY = "councils_import_{}"


def _render(request, council, form, rows=None, token="", filename="", status=200):
    valid_count = sum(1 for row in rows or [] if row.valid)
    return render(
        request,
        "councils/import.html",
        {
            "council": council,
            "form": form,
            "columns": COLUMNS,
            "rows": rows,
            "token": token,
            "filename": filename,
            "valid_count": valid_count,
            "invalid_count": len(rows or []) - valid_count,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, slug):
    council = get_council_for_user(request, slug, action=Action.EDIT)
    if request.method == "GET":
        return _render(request, council, ImportUploadForm())
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, council, form, status=422)
    uploaded = form.cleaned_data["file"]
    try:
        raw_rows = read_spreadsheet(uploaded)
    except ImportFileError as exc:
        form.add_error("file", str(exc))
        return _render(request, council, form, status=422)
    token = secrets.token_urlsafe(16)
    request.session[SESSION_KEY.format(council.pk)] = {
        "token": token,
        "rows": raw_rows,
        "filename": uploaded.name,
    }
    rows = check_rows(council, raw_rows)
    return _render(request, council, ImportUploadForm(), rows, token, uploaded.name)


@login_required
@require_POST
def import_confirm(request, slug):
    council = get_council_for_user(request, slug, action=Action.EDIT)
    stored = request.session.get(SESSION_KEY.format(council.pk))
    if not stored or not secrets.compare_digest(stored["token"], request.POST.get("token", "")):
        messages.error(request, _("Förhandsgranskningen har gått ut. Ladda upp filen igen."))
        return redirect("councils:import_upload", slug=council.slug)
    only_valid = request.POST.get("mode") == "valid"
    try:
        result = import_members(council=council, rows=stored["rows"], only_valid=only_valid)
    except ImportRefused as refused:
        messages.error(
            request,
            _(
                "Inget har importerats: filen har rader med fel. Rätta filen och ladda upp den "
                "igen, eller välj att importera bara de giltiga raderna."
            ),
        )
        return _render(
            request,
            council,
            ImportUploadForm(),
            refused.rows,
            stored["token"],
            stored["filename"],
            status=422,
        )
    del request.session[SESSION_KEY.format(council.pk)]
    parts = [
        ngettext(
            "%(count)s uppdrag importerades",
            "%(count)s uppdrag importerades",
            result.created_memberships,
        )
        % {"count": result.created_memberships}
    ]
    if result.created_people:
        parts.append(
            ngettext(
                "%(count)s ny person lades till",
                "%(count)s nya personer lades till",
                result.created_people,
            )
            % {"count": result.created_people}
        )
    if result.skipped_rows:
        parts.append(
            ngettext(
                "%(count)s rad med fel hoppades över",
                "%(count)s rader med fel hoppades över",
                result.skipped_rows,
            )
            % {"count": result.skipped_rows}
        )
    messages.success(request, ", ".join(parts) + ".")
    return redirect(council)


@login_required
@require_GET
def import_template(request, slug):
    get_council_for_user(request, slug, action=Action.EDIT)
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ledamoter-mall.csv"'
    return response
