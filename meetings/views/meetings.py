"""Meetings: list, detail, create, edit, plan a series, status changes, agenda PDF and preview
(R4, R8)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from councils.locking import StaleEdit, order_token
from councils.models import Council
from meetings import access, extensions
from meetings.access import Action
from meetings.forms.meetings import MeetingForm, SeriesForm, StatusForm
from meetings.models import Meeting
from meetings.models.invitations import DeliveryStatus
from meetings.pdf import agenda_context
from meetings.selectors import meetings as selectors
from meetings.services import agenda as agenda_services
from rus.fragments import render_fragment

# reverse() is the single largest cost of a long agenda page; reverse once per URL name with a
# placeholder and fill in each item's id.
_PLACEHOLDER = 987654321
ITEM_URL_NAMES = ("item_detail", "item_edit", "item_move", "item_prepared")


def _attach_urls(meeting, items):
    def pattern(name):
        return reverse(f"meetings:{name}", args=[meeting.pk, _PLACEHOLDER])

    item_patterns = {name: pattern(name) for name in ITEM_URL_NAMES}
    download = pattern("attachment_download")
    placeholder = str(_PLACEHOLDER)
    for item in items:
        item.urls = {
            name: url.replace(placeholder, str(item.pk)) for name, url in item_patterns.items()
        }
        for attachment in item.attachments.all():
            attachment.download_url = download.replace(placeholder, str(attachment.pk))


def meeting_page_context(request, meeting):
    """The agenda and approval fragments' context (also after an htmx agenda action)."""
    context = selectors.meeting_page(request.user, meeting)
    _attach_urls(meeting, context["items"])
    # The order the page shows, posted back by its move and reorder forms.
    context["order_token"] = order_token(i.pk for i in context["items"] if not i.is_standing)
    return context


MEETING_TEMPLATE = "meetings/meeting_detail.html"


def agenda_fragments(request, meeting, may, names=("approval", "agenda")):
    """The meeting page's partials `names` as HTML, from the cache when their key (what they
    show: the items, the meeting's state, the reader's rights; rus.fragments) is there."""
    parts = selectors.agenda_fragment_state(request.user, meeting, may)
    loaded = {}

    def context():  # the items are loaded once, and only when a fragment is not cached
        if not loaded:
            loaded.update(meeting_page_context(request, meeting))
        return loaded

    return {
        f"{name}_html": render_fragment(
            request,
            f"{MEETING_TEMPLATE}#{name}",
            name=f"meeting-{name}",
            parts=parts,
            context=context,
        )
        for name in names
    }


@login_required
@require_GET
def meeting_list(request):
    roles = access.require(request, Action.READ)
    when = "tidigare" if request.GET.get("nar") == "tidigare" else "kommande"
    meetings = selectors.meeting_list(request.user, when=when)
    councils = selectors.councils_to_filter_by(roles)
    selected_council = None
    council_slug = request.GET.get("rad")
    if council_slug:
        selected_council = next((c for c in councils if c.slug == council_slug), None)
        if selected_council is None:
            raise Http404("Rådet finns inte.")
        meetings = meetings.filter(council=selected_council)
    page = Paginator(meetings, 50).get_page(request.GET.get("sida"))
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "page": page,
            "meetings": page.object_list,
            "when": when,
            "councils": councils,
            "selected_council": selected_council,
            "may": access.rights(request.user),
        },
    )


@login_required
@require_GET
def meeting_detail(request, pk):
    meeting = access.get_meeting_for_user(request, pk)
    may = access.rights(request.user, meeting)
    if request.htmx:
        return HttpResponse(
            agenda_fragments(request, meeting, may, names=["agenda"])["agenda_html"]
        )
    fragments = agenda_fragments(request, meeting, may)  # before the panels: it reads the rows
    context = {
        **fragments,
        "meeting": meeting,
        "may": may,
        "status_form_actions": (
            [(name, Meeting.MANUAL_TRANSITIONS[name][0]) for name in meeting.manual_transitions()]
            if may[Action.EDIT_MEETING]
            else []
        ),
        # Panels of the apps above meetings (the protocol), without meetings importing them.
        "extension_panels": extensions.meeting_panels(request, meeting),
    }
    return render(request, MEETING_TEMPLATE, context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    access.require(request, Action.EDIT_MEETING)
    initial = {}
    council_slug = request.GET.get("rad")
    if council_slug:
        initial["council"] = Council.objects.filter(slug=council_slug).first()
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            data = {k: v for k, v in form.cleaned_data.items() if k != "confirm_day"}
            meeting = agenda_services.create_meeting(user=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Sammanträdet är skapat med de stående punkterna."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": None})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting = access.get_meeting_for_user(request, pk, action=Action.EDIT_MEETING)
    form = MeetingForm(request.POST or None, instance=meeting)
    status = 200
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        fields.pop("council", None)
        fields.pop("confirm_day", None)
        fields["version"] = form.cleaned_data["version"]
        # Reload: ModelForm validation has already written the new values onto `meeting`.
        original = Meeting.objects.get(pk=meeting.pk)
        try:
            agenda_services.update_meeting(meeting=original, user=request.user, **fields)
        except StaleEdit as stale:
            # Someone saved the meeting since this form was built: nothing is saved, what was
            # typed stays, and the saved values are shown beside it.
            form.show_stale(stale.current)
            meeting = stale.current
            status = 409
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Sammanträdet är uppdaterat."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(
        request, "meetings/meeting_form.html", {"form": form, "meeting": meeting}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_series(request):
    """Plan a series (R4): the first POST shows the dates as checkboxes, the second creates."""
    access.require(request, Action.EDIT_MEETING)
    form = SeriesForm(request.POST or None)
    preview = False
    if request.method == "POST" and form.is_valid():
        if "create" in request.POST:
            dates = form.chosen_dates()
            if not dates:
                form.add_error("dates", _("Välj minst ett datum."))
            else:
                data = form.cleaned_data
                meetings = agenda_services.plan_series(
                    user=request.user,
                    council=data["council"],
                    title=data["title"],
                    kind=data["kind"],
                    dates=dates,
                    start_time=data["start_time"],
                    end_time=data["end_time"],
                    place=data["place"],
                    video_link=data["video_link"],
                )
                messages.success(
                    request,
                    ngettext(
                        "%(count)s sammanträde är planerat.",
                        "%(count)s sammanträden är planerade.",
                        len(meetings),
                    )
                    % {"count": len(meetings)},
                )
                url = redirect("meetings:meeting_list").url
                return redirect(f"{url}?rad={data['council'].slug}")
        preview = True
        if "create" not in request.POST:
            # A fresh preview proposes every ordinary date; the user unticks those to skip and
            # ticks a weekend or a holiday (marked) to keep it.
            form.data = form.data.copy()
            form.data.setlist("dates", [d.isoformat() for d in form.ordinary_dates()])
    return render(request, "meetings/meeting_series.html", {"form": form, "preview": preview})


@login_required
@require_POST
def meeting_status(request, pk):
    meeting = access.get_meeting_for_user(request, pk, action=Action.EDIT_MEETING)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Okänd åtgärd."))
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    action = form.cleaned_data["action"]
    if action == "cancel" and meeting.invitations.exclude(status=DeliveryStatus.WITHDRAWN).exists():
        # Those invited must hear of it: cancel where METHOD:CANCEL is sent, with a note.
        return redirect("meetings:invitation_cancel", pk=meeting.pk)
    try:
        agenda_services.change_status(meeting=meeting, user=request.user, action=action)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, STATUS_CHANGED[action])
    return redirect("meetings:meeting_detail", pk=meeting.pk)


STATUS_CHANGED = {
    "prepare": gettext_lazy("Dagordningen är under beredning."),
    "cancel": gettext_lazy("Sammanträdet är inställt."),
    "reinstate": gettext_lazy("Sammanträdet är återupptaget."),
    "held": gettext_lazy("Sammanträdet är markerat som genomfört."),
}


@login_required
@require_GET
def agenda_preview(request, pk):
    """The agenda PDF's content as an HTML page."""
    meeting = access.get_meeting_for_user(request, pk, action=Action.READ_AGENDA)
    context = agenda_context(meeting)
    context["preview"] = True
    return render(request, "meetings/pdf/agenda.html", context)
