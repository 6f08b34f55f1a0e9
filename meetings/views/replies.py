"""Who is coming, by organisation: the reply overview with the R2 check, and the list of
attendees as XLSX and as a printable PDF (R2, R7). The chair and the secretariat
(`Action.FOLLOW_INVITATIONS`)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from councils.exports import xlsx_bytes
from meetings import access
from meetings.access import Action
from meetings.pdf import pdf_assets, render_html_pdf
from meetings.selectors.replies import Cover, attendee_table, reply_overview


def _filename(meeting, extension):
    day = timezone.localtime(meeting.starts_at)
    return f"deltagare-{day:%Y-%m-%d}-{meeting.council.slug}.{extension}"


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def reply_overview_page(request, pk):
    meeting = access.get_meeting_for_user(request, pk, action=Action.FOLLOW_INVITATIONS)
    overview = reply_overview(meeting)
    return render(
        request,
        "meetings/invitations/by_organisation.html",
        {"meeting": meeting, "overview": overview, "cover": Cover},
    )


@login_required
@require_GET
def attendees_xlsx(request, pk):
    meeting = access.get_meeting_for_user(request, pk, action=Action.FOLLOW_INVITATIONS)
    header, rows = attendee_table(reply_overview(meeting))
    content = xlsx_bytes(header, rows, title="Deltagare", widths=(30, 30, 14, 22, 30))
    return _download(
        content,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _filename(meeting, "xlsx"),
    )


@login_required
@require_GET
def attendees_pdf(request, pk):
    """Rendered in the request like the agenda PDF: one page or two of names."""
    meeting = access.get_meeting_for_user(request, pk, action=Action.FOLLOW_INVITATIONS)
    overview = reply_overview(meeting)
    header, rows = attendee_table(overview)
    html = render_to_string(
        "meetings/pdf/attendees.html",
        {
            "meeting": meeting,
            "header": header,
            "rows": rows,
            "starts_at": timezone.localtime(meeting.starts_at),
            "ends_at": timezone.localtime(meeting.ends_at),
            "generated_at": timezone.localtime(),
            "assets": pdf_assets(),
        },
    )
    return _download(render_html_pdf(html), "application/pdf", _filename(meeting, "pdf"))
