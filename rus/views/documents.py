"""Rendered documents (rus.documents): the status line pages poll, the retry of a failed one,
and the file. Rights are the owning app's, asked through `rus.access.get_document_for_user`."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from rus import access
from rus.documents import rendering


def _status(request, document):
    """The status line alone; its links and form point back at the page it sits on."""
    context = {
        "status": access.document_status(request.user, document),
        "next_url": request.htmx.current_url_abs_path if request.htmx else "",
    }
    return render(request, "documents/status.html", context)


@login_required
@require_GET
def document_status(request, pk):
    """The status line alone (htmx polls it while the file is being made)."""
    document = access.get_document_for_user(request, pk)
    return _status(request, document)


@login_required
@require_POST
def document_rerender(request, pk):
    """Skapa igen: a failed document is queued again (a plain form post; htmx swaps the line)."""
    document = access.get_document_for_user(request, pk, rerender=True)
    rendering.rerender(document=document)
    document.refresh_from_db()
    if request.htmx:
        return _status(request, document)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "home"
    return redirect(target)


@login_required
@require_GET
def document_download(request, pk):
    """The file of a finished document, shown in the browser (PDF) or downloaded."""
    document = access.get_document_for_user(request, pk)
    if not document.is_done:
        raise Http404("Dokumentet är inte klart.")
    return FileResponse(
        document.file.open("rb"),
        filename=document.filename,
        content_type=document.content_type,
        as_attachment=not document.content_type.startswith("application/pdf"),
    )
