"""Agenda editing: items, order, preparation and approval (R6, R7, R12)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from councils.access import roles_for
from councils.history import history_entries
from councils.locking import StaleEdit
from meetings import access
from meetings.access import Action
from meetings.forms.agenda import AgendaItemForm, AttachmentForm, MoveForm, ReorderForm
from meetings.selectors import meetings as selectors
from meetings.services import agenda as agenda_services
from meetings.services import handover
from meetings.views.meetings import meeting_page_context

_ORDER_NOT_SAVED = _("Ordningen kunde inte sparas. Ladda om sidan och försök igen.")


def _agenda_response(request, meeting, message=None, *, error=None):
    """After an agenda action: the agenda fragment for htmx, a redirect for a plain POST.

    The htmx fragment carries the approval panel out of band, so that its list of items not yet
    prepared and its item numbers follow the change. An `error` replaces the message."""
    if request.htmx:
        context = meeting_page_context(request, meeting)
        context["flash"] = error or message
        context["flash_is_error"] = bool(error)
        context["oob"] = True
        return render(request, "meetings/meeting_detail.html#agenda", context)
    if error:
        messages.error(request, error)
    elif message:
        messages.success(request, message)
    return redirect("meetings:meeting_detail", pk=meeting.pk)


def _save_item_with_attachment(*, form, meeting, user, item=None):
    """Save the item and its optional first attachment together: all or nothing."""
    fields = form.item_fields()
    with transaction.atomic():
        if item is None:
            item = agenda_services.add_item(meeting=meeting, user=user, **fields)
        else:
            version = form.cleaned_data["version"]
            item = agenda_services.update_item(item=item, user=user, version=version, **fields)
        upload = form.cleaned_data.get("attachment")
        if upload:
            agenda_services.add_attachment(
                item=item,
                uploaded_file=upload,
                user=user,
                title=form.cleaned_data.get("attachment_title", ""),
            )
    return item


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request, pk):
    meeting = access.get_meeting_for_user(request, pk, action=Action.PREPARE_AGENDA)
    form = AgendaItemForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = _save_item_with_attachment(form=form, meeting=meeting, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Punkt %(number)s ”%(title)s” är tillagd.")
                % {"number": item.number, "title": item.title},
            )
            if "add_another" in request.POST:
                return redirect("meetings:item_create", pk=meeting.pk)
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(
        request, "meetings/item_form.html", {"form": form, "meeting": meeting, "item": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk, item_pk):
    item = access.get_item_for_user(request, pk, item_pk, action=Action.PREPARE_AGENDA)
    meeting = item.meeting
    form = AgendaItemForm(request.POST or None, request.FILES or None, instance=item)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            # The form has already set the new values on `item`; the service saves and records.
            item = _save_item_with_attachment(
                form=form, meeting=meeting, user=request.user, item=item
            )
        except StaleEdit as stale:
            # Someone saved the item since this form was built: nothing is saved, what was
            # typed stays, and the saved values are shown beside it.
            form.show_stale(stale.current)
            if form.cleaned_data.get("attachment"):
                form.add_error("attachment", _("Filen är inte sparad. Välj den igen."))
            item = stale.current
            status = 409
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Punkt %(number)s ”%(title)s” är sparad.")
                % {"number": item.number, "title": item.title},
            )
            return redirect("meetings:item_detail", pk=meeting.pk, item_pk=item.pk)
    return render(
        request,
        "meetings/item_form.html",
        {"form": form, "meeting": meeting, "item": item},
        status=status,
    )


@login_required
@require_GET
def item_detail(request, pk, item_pk):
    meeting = access.get_item_for_user(request, pk, item_pk).meeting
    item = selectors.agenda_item(meeting, item_pk)
    may = access.rights(request.user, meeting)
    history = []
    if roles_for(request.user).prepares_agendas:  # also once the agenda is frozen
        history = history_entries(item.history.all(), exclude=["position"], limit=50)
    return render(
        request,
        "meetings/item_detail.html",
        {
            "meeting": meeting,
            "item": item,
            "may": may,
            "history": history,
            "attachment_form": AttachmentForm() if may[Action.PREPARE_AGENDA] else None,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
@require_http_methods(["GET", "POST"])
def item_delete(request, pk, item_pk):
    item = access.get_item_for_user(request, pk, item_pk, action=Action.PREPARE_AGENDA)
    meeting = item.meeting
    if item.is_standing:
        raise PermissionDenied(_("Stående punkter kan inte tas bort."))
    if request.method == "POST":
        title = item.title
        agenda_services.remove_item(item=item, user=request.user)
        messages.success(request, _("Punkten ”%(title)s” är borttagen.") % {"title": title})
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/item_confirm_delete.html", {"meeting": meeting, "item": item})


@login_required
@require_POST
def item_move(request, pk, item_pk):
    """Keyboard-reachable up/down buttons: plain POST, or htmx returning the agenda."""
    item = access.get_item_for_user(request, pk, item_pk, action=Action.PREPARE_AGENDA)
    form = MoveForm(request.POST)
    message = None
    if not form.is_valid():
        return _agenda_response(request, item.meeting, error=_ORDER_NOT_SAVED)
    if not item.is_standing:
        try:
            moved = agenda_services.move_item(
                item=item,
                user=request.user,
                direction=form.cleaned_data["direction"],
                shown_order=form.cleaned_data["shown_order"],
            )
        except ValidationError as error:
            return _agenda_response(request, item.meeting, error=" ".join(error.messages))
        if moved:
            item.refresh_from_db(fields=["position"])
            message = _("”%(title)s” är nu punkt %(number)s.") % {
                "title": item.title,
                "number": item.number,
            }
    return _agenda_response(request, item.meeting, message)


@login_required
@require_POST
def agenda_reorder(request, pk):
    """Drag and drop (static/js/agenda.js) posts the new order of the movable items."""
    meeting = access.get_meeting_for_user(request, pk, action=Action.PREPARE_AGENDA)
    form = ReorderForm(request.POST)
    if not form.is_valid():
        return _agenda_response(request, meeting, error=_ORDER_NOT_SAVED)
    try:
        moved = agenda_services.reorder_items(
            meeting=meeting,
            user=request.user,
            ordered_ids=form.cleaned_data["order"],
            shown_order=form.cleaned_data["shown_order"],
        )
    except ValidationError as error:
        return _agenda_response(request, meeting, error=" ".join(error.messages))
    message = _("Dagordningens ordning är sparad.") if moved else _("Ordningen är oförändrad.")
    return _agenda_response(request, meeting, message)


@login_required
@require_POST
def item_prepared(request, pk, item_pk):
    """The RUS group marks an item prepared (beredd) or takes the mark back (R6)."""
    item = access.get_item_for_user(request, pk, item_pk, action=Action.PREPARE_AGENDA)
    prepared = request.POST.get("prepared", "1") == "1"
    agenda_services.set_prepared(item=item, user=request.user, prepared=prepared)
    if prepared:
        message = _("”%(title)s” är markerad som beredd.") % {"title": item.title}
    else:
        message = _("”%(title)s” är inte längre beredd.") % {"title": item.title}
    if request.POST.get("next") == "item":
        messages.success(request, message)
        return redirect("meetings:item_detail", pk=item.meeting.pk, item_pk=item.pk)
    return _agenda_response(request, item.meeting, message)


@login_required
@require_POST
def agenda_hand_over(request, pk):
    """The RUS group declares the agenda prepared for the chair, who is told by mail (R6)."""
    meeting = access.get_meeting_for_user(request, pk, action=Action.PREPARE_AGENDA)
    try:
        handover.declare_prepared(meeting=meeting, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Dagordningen är beredd för ordföranden. Ordföranden har fått ett mejl."),
        )
    return redirect("meetings:meeting_detail", pk=meeting.pk)


@login_required
@require_POST
def agenda_approve(request, pk):
    """The chair, or the secretariat for the chair, approves and locks the agenda (R7)."""
    meeting = access.get_meeting_for_user(request, pk, action=Action.APPROVE_AGENDA)
    try:
        agenda_services.approve_agenda(meeting=meeting, user=request.user)
    except agenda_services.AgendaNotReady as error:
        messages.error(
            request,
            _("Dagordningen kan inte godkännas än: %(problems)s")
            % {
                "problems": " ".join(
                    _("Punkt %(number)s ”%(title)s”: %(reason)s")
                    % {"number": p.item.number, "title": p.item.title, "reason": p.reason}
                    for p in error.problems
                )
            },
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Dagordningen är godkänd och låst. Senare ändringar markeras."))
    return redirect("meetings:meeting_detail", pk=meeting.pk)


@login_required
@require_POST
def agenda_reopen(request, pk):
    """Withdraw the approval: the agenda goes back into preparation."""
    meeting = access.get_meeting_for_user(request, pk, action=Action.APPROVE_AGENDA)
    try:
        agenda_services.reopen_agenda(meeting=meeting, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Dagordningen är öppnad för beredning igen."))
    return redirect("meetings:meeting_detail", pk=meeting.pk)
