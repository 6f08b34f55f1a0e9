"""The agenda's PDFs at stable addresses, each the current agenda version's rendered document
(meetings/documents.py), made once per version by the worker, never in the request when
REDIS_URL is set:

- `kallelse.pdf`: the kallelse med föredragningslista, served when it is ready, otherwise a page
  that shows it being made;
- the kallelse med handlingar (the invitation links it): the file when it is ready, otherwise
  the meeting's page, which shows it being made.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from meetings import access, documents
from meetings.access import Action
from rus.access import document_status


@login_required
@require_GET
def agenda_pdf(request, pk):
    meeting = access.get_meeting_for_user(request, pk, action=Action.READ_AGENDA)
    document = documents.request_agenda(meeting)
    document.refresh_from_db()  # without a worker (no REDIS_URL) it was rendered on commit
    if not document.is_done:
        context = {"meeting": meeting, "status": document_status(request.user, document)}
        return render(request, "meetings/pdf/agenda_pending.html", context)
    response = FileResponse(
        document.file.open("rb"),
        filename=document.filename,
        content_type="application/pdf",
        as_attachment=True,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def kallelse(request, pk):
    meeting = access.get_meeting_for_user(request, pk, action=Action.READ_AGENDA)
    if not documents.is_offered(meeting):
        raise Http404("Kallelsen med handlingar finns för godkända dagordningar.")
    document = documents.request_kallelse(meeting)
    if document.is_done:
        return redirect("document_download", document.pk)
    return redirect(reverse("meetings:meeting_detail", args=[meeting.pk]) + "#kallelse-panel")
