"""Who is coming, by organisation: the reply overview with the R2 check, and the list of
attendees as XLSX and as a printable PDF, the latter rendered by Celery per reply state
(meetings/attendee_list.py) (R2, R7). The chair and the secretariat
(`Action.FOLLOW_INVITATIONS`)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from councils.exports import xlsx_bytes
from meetings import access, attendee_list
from meetings.access import Action
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
    context = {
        "meeting": meeting,
        "overview": overview,
        "cover": Cover,
        # The printable list of this reply state, asked for on the first view after a change.
        "attendee_list": attendee_list.status(request.user, meeting),
    }
    return render(request, "meetings/invitations/by_organisation.html", context)


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
    """The printable list's stable address: the current reply state's file when it is ready
    (rendered by Celery, meetings/attendee_list.py), otherwise the overview, which shows it
    being made."""
    meeting = access.get_meeting_for_user(request, pk, action=Action.FOLLOW_INVITATIONS)
    document = attendee_list.request_attendee_list(meeting)
    if document.is_done:
        return redirect("document_download", document.pk)
    return redirect(reverse("meetings:reply_overview", args=[meeting.pk]) + "#deltagarlista")
