"""Attachments: upload, replace (keeping versions), remove, and download through a view that
checks rights — never a public media URL."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meetings import access
from meetings.access import Action
from meetings.forms.agenda import AttachmentForm, ReplaceAttachmentForm
from meetings.services import agenda as agenda_services

INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg"}


@login_required
@require_POST
def attachment_upload(request, pk, item_pk):
    item = access.get_item_for_user(request, pk, item_pk, action=Action.PREPARE_AGENDA)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = agenda_services.add_attachment(
                item=item,
                uploaded_file=form.cleaned_data["file"],
                user=request.user,
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(
                request, _("Bilagan ”%(title)s” är uppladdad.") % {"title": attachment.title}
            )
            return redirect("meetings:item_detail", pk=item.meeting.pk, item_pk=item.pk)
    return render(
        request,
        "meetings/attachment_form.html",
        {"meeting": item.meeting, "item": item, "form": form, "attachment": None},
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def attachment_replace(request, pk, attachment_pk):
    attachment = access.get_attachment_for_user(
        request, pk, attachment_pk, action=Action.PREPARE_AGENDA
    )
    item = attachment.item
    form = ReplaceAttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = agenda_services.replace_attachment(
                attachment=attachment,
                uploaded_file=form.cleaned_data["file"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(
                request,
                _("Version %(number)s av ”%(title)s” är uppladdad. Tidigare versioner finns kvar.")
                % {"number": version.number, "title": attachment.title},
            )
            return redirect("meetings:item_detail", pk=item.meeting.pk, item_pk=item.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "meetings/attachment_form.html",
        {"meeting": item.meeting, "item": item, "form": form, "attachment": attachment},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def attachment_delete(request, pk, attachment_pk):
    attachment = access.get_attachment_for_user(
        request, pk, attachment_pk, action=Action.PREPARE_AGENDA
    )
    item = attachment.item
    if request.method == "POST":
        agenda_services.remove_attachment(attachment=attachment, user=request.user)
        messages.success(
            request, _("Bilagan ”%(title)s” är borttagen.") % {"title": attachment.title}
        )
        return redirect("meetings:item_detail", pk=item.meeting.pk, item_pk=item.pk)
    return render(
        request,
        "meetings/attachment_confirm_delete.html",
        {"meeting": item.meeting, "item": item, "attachment": attachment},
    )


@login_required
@require_GET
def attachment_download(request, pk, attachment_pk, number=None):
    """Serve a version (the newest by default) after checking the user may read the item."""
    attachment = access.get_attachment_for_user(request, pk, attachment_pk)
    versions = attachment.versions.all()
    version = (
        versions.filter(number=number).first() if number else versions.order_by("-number").first()
    )
    if version is None:
        raise Http404("Versionen finns inte.")
    try:
        handle = version.file.open("rb")
    except FileNotFoundError:
        raise Http404("Filen saknas i lagringen.") from None
    response = FileResponse(
        handle,
        as_attachment=version.content_type not in INLINE_TYPES,
        filename=version.original_name,
        content_type=version.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # An uploaded document must never run as part of our site.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
