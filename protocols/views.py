"""The protocol's pages: open it, take the minutes, keep the attendance, read the draft
(R8, R10, R11). Every view starts with its fetch-and-check helper from protocols/access.py;
every htmx action is also a plain form post."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from councils.access import roles_for
from councils.locking import StaleEdit
from meetings.models import ItemReview
from rus.access import document_status

from . import access, documents, selectors, services
from .access import Action
from .forms import (
    AddAttendeeForm,
    AddEntryForm,
    AdjustersForm,
    AttendanceForm,
    DissentForm,
    DissentTextForm,
    EntryForm,
    ExpectedDissentForm,
    StrikeForm,
    home_decision_value,
)


def _minutes_url(protocol, entry=None):
    url = reverse("protocols:minutes", args=[protocol.meeting_id])
    return f"{url}#paragraf-{entry.pk}" if entry is not None else url


def _error_text(error):
    return " ".join(error.messages)


def _minute_context(request, protocol):
    context = selectors.minute_page(protocol)
    context["may"] = access.rights(request.user, protocol.meeting, protocol)
    for entry in context["entries"]:
        entry.form = EntryForm(instance=entry)
    return context


@login_required
@require_POST
def protocol_open(request, pk):
    """Protokollför: the meeting moves to held and the draft is created (once)."""
    meeting, _protocol = access.get_meeting_for_user(request, pk, action=Action.OPEN)
    try:
        protocol = services.open_protocol(meeting=meeting, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    return redirect(_minutes_url(protocol))


@login_required
@require_GET
def minutes(request, pk):
    """The minute-taking page: every § with its text and outcome, dissents, the R2 check."""
    protocol = access.get_protocol_for_user(request, pk, action=Action.TAKE_MINUTES)
    return render(request, "protocols/minutes.html", _minute_context(request, protocol))


@login_required
@require_POST
def entry_save(request, pk, entry_pk):
    """Save one § (htmx: as each field is left). A save on an older version is refused (409):
    what was typed stays, the saved text is shown beside it, and the next save goes through."""
    entry = access.get_entry_for_user(request, pk, entry_pk)
    protocol = entry.protocol
    form = EntryForm(request.POST, instance=entry)
    stale = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.save_entry(
                entry=entry,
                user=request.user,
                version=data["version"],
                minutes=data["minutes"],
                outcome=data["outcome"],
                outcome_text=data["outcome_text"],
            )
        except StaleEdit as error:
            form.show_stale(error.current)
            stale = True
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            if request.htmx:
                return render(
                    request,
                    "protocols/minutes.html#saved",
                    {"entry": entry, "saved_at": timezone.localtime()},
                )
            messages.success(request, _("§ %(number)s är sparad.") % {"number": entry.number})
            return redirect(_minutes_url(protocol, entry))
    # Invalid, refused or stale: the page again with this entry's form as typed.
    context = _minute_context(request, protocol)
    shown = next(e for e in context["entries"] if e.pk == entry.pk)
    shown.form = form
    if request.htmx:
        response = render(request, "protocols/minutes.html#entry", {**context, "entry": shown})
        response["HX-Retarget"] = f"#paragraf-{entry.pk}"
        response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "protocols/minutes.html", context, status=409 if stale else 200)


@login_required
@require_http_methods(["GET", "POST"])
def entry_add(request, pk):
    """Övrig fråga: an item raised at the meeting, placed before the closing item."""
    protocol = access.get_protocol_for_user(request, pk, action=Action.TAKE_MINUTES)
    form = AddEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.add_entry(
                protocol=protocol,
                user=request.user,
                title=data["title"],
                kind=data["kind"],
                background=data["background"],
                presenter_name=data["presenter_name"],
                focus_area=data["focus_area"],
                influence_issue=data["influence_issue"],
                target_area=data["target_area"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("§ %(number)s är tillagd.") % {"number": entry.number})
            return redirect(_minutes_url(protocol, entry))
    return render(request, "protocols/entry_add.html", {"protocol": protocol, "form": form})


@login_required
@require_POST
def entry_strike(request, pk, entry_pk):
    """Utgår (with the reason), or back on the agenda (restore)."""
    entry = access.get_entry_for_user(request, pk, entry_pk)
    try:
        if request.POST.get("restore"):
            services.restore_entry(entry=entry, user=request.user)
        else:
            form = StrikeForm(request.POST)
            reason = form.data.get("struck_reason", "")
            services.strike_entry(entry=entry, user=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect(_minutes_url(entry.protocol, entry))


@login_required
@require_POST
def entry_adjusters(request, pk, entry_pk):
    """Val av justerare: one or two present members."""
    entry = access.get_entry_for_user(request, pk, entry_pk)
    form = AdjustersForm(request.POST, entry=entry)
    if form.is_valid():
        try:
            services.elect_adjusters(
                entry=entry, user=request.user, attendances=form.cleaned_data["adjusters"]
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Justerare är valda."))
    else:
        messages.error(request, " ".join(form.errors.get("adjusters", [])))
    return redirect(_minutes_url(entry.protocol, entry))


@login_required
@require_http_methods(["GET", "POST"])
def entry_home_decisions(request, pk, entry_pk):
    """Per represented organisation: is a formal decision expected at home (R10)?"""
    entry = access.get_entry_for_user(request, pk, entry_pk)
    decisions = list(entry.home_decisions.all())
    if request.method == "POST":
        values = {row.pk: home_decision_value(request.POST, row) for row in decisions}
        try:
            services.set_home_decisions(entry=entry, expected_by_id=values)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Uppgifterna om formella beslut är sparade."))
        return redirect(_minutes_url(entry.protocol, entry))
    return render(
        request,
        "protocols/home_decisions.html",
        {"protocol": entry.protocol, "entry": entry, "decisions": decisions},
    )


@login_required
@require_http_methods(["GET", "POST"])
def dissent_record(request, pk, entry_pk):
    """A dissent minuted at the member's request (R11): the member present and the text."""
    entry = access.get_entry_for_user(request, pk, entry_pk)
    form = DissentForm(request.POST or None, entry=entry)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_dissent(
                entry=entry,
                user=request.user,
                attendance=form.cleaned_data["attendance"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Den avvikande synpunkten är antecknad."))
            return redirect(_minutes_url(entry.protocol, entry))
    return render(
        request,
        "protocols/dissent_form.html",
        {
            "protocol": entry.protocol,
            "entry": entry,
            "form": form,
            "dissent": None,
            "on_behalf": True,
        },
    )


@login_required
@require_POST
def expected_dissent(request, pk, entry_pk, review_pk):
    """An expected dissent from before the meeting: record it, or mark it not raised (R11)."""
    entry = access.get_entry_for_user(request, pk, entry_pk)
    review = get_object_or_404(
        ItemReview.objects.select_related("organisation"),
        pk=review_pk,
        item_id=entry.agenda_item_id,
        expects_dissent=True,
    )
    form = ExpectedDissentForm(request.POST, entry=entry)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_minutes_url(entry.protocol, entry))
    data = form.cleaned_data
    try:
        if data["action"] == form.RECORD:
            services.record_dissent(
                entry=entry,
                user=request.user,
                attendance=data["attendance"],
                text=data["text"] or review.comment,
                review=review,
            )
            messages.success(request, _("Den avvikande synpunkten är antecknad."))
        else:
            services.withdraw_expected_dissent(entry=entry, user=request.user, review=review)
            messages.success(request, _("Antecknat att synpunkten inte framfördes."))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect(_minutes_url(entry.protocol, entry))


@login_required
@require_http_methods(["GET", "POST"])
def dissent_hand_in(request, pk, entry_pk):
    """A member hands in their own dissent on a position entry (R11)."""
    entry = access.get_entry_for_user(request, pk, entry_pk, action=Action.HAND_IN_DISSENT)
    own = access.own_attendance(request.user, entry.protocol)
    form = DissentTextForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if own is None:
                raise ValidationError(_("Du finns inte i närvarolistan för mötet."))
            services.record_dissent(
                entry=entry, user=request.user, attendance=own, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Din avvikande synpunkt är inlämnad."))
            return redirect("protocols:draft", pk=pk)
    return render(
        request,
        "protocols/dissent_form.html",
        {"protocol": entry.protocol, "entry": entry, "form": form, "dissent": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def dissent_edit(request, pk, dissent_pk):
    """The member edits their own dissent (or the minute-taker does) until justering."""
    dissent = access.get_dissent_for_user(request, pk, dissent_pk)
    protocol = access.get_protocol_for_user(request, pk)
    form = DissentTextForm(request.POST or None, initial={"text": dissent.text})
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("remove"):
                access.check(request.user, Action.TAKE_MINUTES, protocol.meeting, protocol)
                services.remove_dissent(dissent=dissent, user=request.user)
            else:
                services.edit_dissent(
                    dissent=dissent, user=request.user, text=form.cleaned_data["text"]
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Den avvikande synpunkten är sparad."))
            if access.may(request.user, Action.TAKE_MINUTES, protocol.meeting, protocol):
                return redirect(_minutes_url(protocol, dissent.entry))
            return redirect("protocols:draft", pk=pk)
    return render(
        request,
        "protocols/dissent_form.html",
        {
            "protocol": protocol,
            "entry": dissent.entry,
            "form": form,
            "dissent": dissent,
            "may_remove": access.may(request.user, Action.TAKE_MINUTES, protocol.meeting, protocol),
            "on_behalf": access.may(request.user, Action.TAKE_MINUTES, protocol.meeting, protocol),
        },
    )


# --- Attendance -------------------------------------------------------------------------------


def _attendance_context(request, protocol, *, add_form=None, forms_by_pk=None):
    rows = selectors.attendance(protocol)
    forms_by_pk = forms_by_pk or {}
    for row in rows:
        row.form = forms_by_pk.get(row.pk) or AttendanceForm(attendance=row)
    first, last = services.paragraph_range(protocol)
    return {
        "protocol": protocol,
        "meeting": protocol.meeting,
        "rows": sorted(
            rows, key=lambda r: (selectors.capacity_rank(r), r.organisation_name, r.name)
        ),
        "add_form": add_form or AddAttendeeForm(),
        "gaps": selectors.representation_gaps(protocol, rows),
        "first_number": first,
        "last_number": last,
    }


@login_required
@require_GET
def attendance(request, pk):
    """Närvaro: prefilled from the replies, corrected at the meeting; the R2 check live."""
    protocol = access.get_protocol_for_user(request, pk, action=Action.TAKE_MINUTES)
    template = "protocols/attendance.html"
    if request.htmx:
        template += "#gaps"
    return render(request, template, _attendance_context(request, protocol))


@login_required
@require_POST
def attendance_save(request, pk, attendance_pk):
    row = access.get_attendance_for_user(request, pk, attendance_pk)
    form = AttendanceForm(request.POST, attendance=row)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.update_attendance(
                attendance=row,
                user=request.user,
                present=data["present"],
                capacity=data["capacity"],
                from_number=data["from_number"],
                to_number=data["to_number"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if request.htmx:
                return render(
                    request,
                    "protocols/attendance.html#gaps",
                    _attendance_context(request, row.protocol),
                )
            messages.success(request, _("Närvaron för %(name)s är sparad.") % {"name": row.name})
            return redirect(reverse("protocols:attendance", args=[pk]) + f"#narvaro-{row.pk}")
    if request.htmx:
        # The row keeps what was typed in the browser; the message says why it was not saved.
        context = _attendance_context(request, row.protocol)
        context["row_error"] = {"name": row.name, "errors": form.errors.as_text()}
        return render(request, "protocols/attendance.html#gaps", context)
    context = _attendance_context(request, row.protocol, forms_by_pk={row.pk: form})
    return render(request, "protocols/attendance.html", context, status=200)


@login_required
@require_POST
def attendance_add(request, pk):
    protocol = access.get_protocol_for_user(request, pk, action=Action.TAKE_MINUTES)
    form = AddAttendeeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            row = services.add_attendee(
                protocol=protocol,
                user=request.user,
                capacity=data["capacity"],
                person=data["person"],
                name=data["name"],
                organisation=data["organisation"],
                side=data["side"],
                from_number=data["from_number"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("%(name)s är tillagd i närvarolistan.") % {"name": row.name}
            )
            return redirect(reverse("protocols:attendance", args=[pk]) + f"#narvaro-{row.pk}")
    return render(
        request, "protocols/attendance.html", _attendance_context(request, protocol, add_form=form)
    )


# --- The draft ----------------------------------------------------------------------------------


@login_required
@require_GET
def draft(request, pk):
    """The draft protocol, as the PDF will show it; members follow it read-only (htmx polls)."""
    protocol = access.get_protocol_for_user(request, pk)
    context = selectors.document(protocol)
    context["may"] = access.rights(request.user, protocol.meeting, protocol)
    context["own_dissents"] = _own_dissents(request, context)
    context["versions"] = selectors.versions(protocol)
    context["pdf_status"] = _pdf_status(request, protocol)
    template = "protocols/draft.html"
    if request.htmx:
        template += "#document"
    return render(request, template, context)


def _pdf_status(request, protocol):
    """The adjusted protocol's PDF/A (rendered by Celery): its state, polled while it is made."""
    if protocol.status != protocol.Status.ADJUSTED:
        return None
    return document_status(request.user, documents.pdf_document(protocol))


def _own_dissents(request, context):
    person = roles_for(request.user).person
    if person is None:
        return []
    return [
        dissent
        for entry in context["entries"]
        for dissent in entry.dissents.all()
        if dissent.person_id == person.pk
    ]
