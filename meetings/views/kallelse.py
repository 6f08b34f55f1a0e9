"""The kallelse med handlingar's stable address (the invitation links it): the current agenda
version's file when it is ready, otherwise the meeting's page, which shows it being made."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from meetings import access, documents
from meetings.access import Action


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
