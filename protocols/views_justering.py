"""The justering pages (R8): a version of the protocol with its justering — send, read,
comment per §, approve ("Jag justerar protokollet"), answer comments, record a signature on
paper — the justering log, and
the correction of an adjusted protocol. The same shape as protocols/views.py: access → form →
service → redirect; every action is a plain form post."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from councils.access import roles_for

from . import access, canonical, selectors, services
from .access import Action
from .forms import (
    AnswerForm,
    ApproveForm,
    CommentForm,
    CorrectionForm,
    PaperSignatureForm,
    SendForAdjustmentForm,
)
from .services import justering


def _justering_url(protocol, anchor=""):
    url = reverse("protocols:justering", args=[protocol.meeting_id, protocol.version])
    return f"{url}#{anchor}" if anchor else url


def _page(request, protocol, *, status=200, **forms):
    context = selectors.justering_page(protocol)
    context["may"] = access.rights(request.user, protocol.meeting, protocol)
    person = roles_for(request.user).person
    context["own_signature"] = next(
        (s for s in context["signatories"] if person and s.person_id == person.pk), None
    )
    if context["may"]["send_for_adjustment"]:
        context["problems"] = justering.sending_problems(protocol)
        context["on_paper"] = justering.paper_signatories(protocol)
        context["send_form"] = forms.get("send_form") or SendForAdjustmentForm(
            initial={"adjust_by": protocol.adjust_by}
        )
    if context["may"]["approve"]:
        context["approve_form"] = forms.get("approve_form") or ApproveForm(
            initial={"checksum": context["checksum"]}
        )
    if context["may"]["record_paper_signature"]:
        # A refused paper signature comes back with its errors and what was typed.
        paper_forms = forms.get("paper_forms", {})
        for signatory in context["signatories"]:
            if signatory.on_paper and not signatory.has_approved:
                signatory.paper_form = paper_forms.get(signatory.pk) or PaperSignatureForm(
                    signatory=signatory, initial={"checksum": context["checksum"]}
                )
    if context["may"]["correct"]:
        context["correction_form"] = forms.get("correction_form") or CorrectionForm()
    # A refused comment or answer comes back with its errors and text; the others are empty.
    comment_forms = forms.get("comment_forms", {})
    answer_forms = forms.get("answer_forms", {})
    for entry in context["entries"]:
        entry.comment_form = comment_forms.get(entry.pk)
        for comment in entry.comments:
            comment.answer_form = answer_forms.get(comment.pk)
    return render(request, "protocols/justering.html", context, status=status)


@login_required
@require_GET
def justering_page(request, pk, version):
    """Read the protocol for justering: each § with its comments, who has approved, and the
    actions the user has (send, comment, approve, answer, correct)."""
    protocol = access.get_protocol_for_user(request, pk, version=version)
    return _page(request, protocol)


@login_required
@require_POST
def send(request, pk, version):
    protocol = access.get_protocol_for_user(
        request, pk, action=Action.SEND_FOR_ADJUSTMENT, version=version
    )
    form = SendForAdjustmentForm(request.POST)
    if form.is_valid():
        try:
            services.send_for_adjustment(
                protocol=protocol, user=request.user, adjust_by=form.cleaned_data["adjust_by"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(
                request, _("Protokollet är skickat för justering till ordföranden och justerarna.")
            )
            return redirect(_justering_url(protocol))
    return _page(request, protocol, send_form=form)


@login_required
@require_POST
def approve(request, pk, version):
    """Jag justerar protokollet: the user's own signature, on the content the page showed."""
    protocol = access.get_protocol_for_user(request, pk, action=Action.APPROVE, version=version)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            protocol = services.approve(
                protocol=protocol, user=request.user, checksum=form.cleaned_data["checksum"]
            )
        except ValidationError as error:
            # The content changed since the page was read: show it as it is now, to read again.
            messages.error(request, " ".join(error.messages))
            protocol.refresh_from_db()
            return _page(request, protocol, status=409)
        if protocol.is_adjusted:
            messages.success(request, _("Protokollet är justerat."))
        else:
            messages.success(request, _("Du har justerat protokollet."))
        return redirect(_justering_url(protocol))
    return _page(request, protocol, approve_form=form)


@login_required
@require_POST
def paper_signature(request, pk, version, signatory_pk):
    """The secretariat records that a signatory without an account signed the printout."""
    signatory = access.get_signatory_for_user(request, pk, version, signatory_pk)
    protocol = signatory.protocol
    form = PaperSignatureForm(request.POST, signatory=signatory)
    if form.is_valid():
        try:
            protocol = services.record_paper_signature(
                signatory=signatory,
                user=request.user,
                checksum=form.cleaned_data["checksum"],
                signed_on=form.cleaned_data["signed_on"],
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "changed":
                # The printout is of an older version: the form now carries the current one,
                # keeps the date, and asks to confirm again for a printout of this version.
                protocol.refresh_from_db()
                form = _form_for_current_version(request, signatory, form, error)
                return _page(request, protocol, status=409, paper_forms={signatory.pk: form})
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            if protocol.is_adjusted:
                messages.success(request, _("Protokollet är justerat."))
            else:
                messages.success(
                    request,
                    _("Justeringen på papper av %(name)s är registrerad.")
                    % {"name": signatory.name},
                )
            return redirect(_justering_url(protocol))
    protocol.refresh_from_db()
    return _page(request, protocol, paper_forms={signatory.pk: form})


def _form_for_current_version(request, signatory, form, error):
    data = request.POST.copy()
    data[form.add_prefix("checksum")] = canonical.checksum(signatory.protocol)
    data.pop(form.add_prefix("confirm"), None)
    form = PaperSignatureForm(data, signatory=signatory)
    form.full_clean()
    form.add_error(None, error)
    return form


@login_required
@require_POST
def comment(request, pk, version, entry_pk):
    protocol = access.get_protocol_for_user(request, pk, action=Action.APPROVE, version=version)
    entry = get_object_or_404(protocol.entries, pk=entry_pk)
    entry.protocol = protocol
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment(entry=entry, user=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Din kommentar är skickad till kansliet."))
            return redirect(_justering_url(protocol, f"paragraf-{entry.pk}"))
    return _page(request, protocol, comment_forms={entry.pk: form})


@login_required
@require_POST
def answer(request, pk, version, comment_pk):
    row = access.get_comment_for_user(request, pk, version, comment_pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_comment(
                comment=row, user=request.user, text=form.cleaned_data["answer"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Svaret är sparat."))
            return redirect(_justering_url(row.protocol, f"paragraf-{row.entry_id}"))
    return _page(request, row.protocol, answer_forms={row.pk: form})


@login_required
@require_POST
def correct(request, pk, version):
    """Rättelse: a new version of the adjusted protocol, to be corrected and adjusted again."""
    protocol = access.get_protocol_for_user(request, pk, action=Action.CORRECT, version=version)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            correction = services.start_correction(
                protocol=protocol, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Rättelsen (version %(version)s) är påbörjad.") % {"version": correction.version},
            )
            return redirect("protocols:minutes", pk=pk)
    return _page(request, protocol, correction_form=form)


@login_required
@require_GET
def log(request, pk, version):
    """Justeringslogg: every event of the version's justering, in order, with checksums."""
    protocol = access.get_protocol_for_user(request, pk, version=version)
    return render(
        request,
        "protocols/justering_log.html",
        {
            "protocol": protocol,
            "meeting": protocol.meeting,
            "events": selectors.justering_log(protocol),
            "versions": selectors.versions(protocol),
        },
    )
