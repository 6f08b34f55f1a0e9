"""Invitations: preview and send, progress and answers, updates, cancellation, replies, calendar
feed (R5, R7).

Sending and updating: the chair of the council, or the secretariat in the chair's name when the
council allows it; cancelling, progress, resends and phone answers: the chair and the
secretariat (meetings.access). Replies by link need no login: the signed token is the key.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from councils.access import roles_for
from meetings import access, ics
from meetings.access import Action
from meetings.forms.invitations import PersonalNoteForm, ReplyForm
from meetings.models import CalendarFeed, Invitation, Mailing, Meeting
from meetings.schedule import format_time_span
from meetings.selectors import invitations as selectors
from meetings.services.invitations import mail, replies, sending
from meetings.tokens import InvalidReplyToken
from rus.middleware import never_compress


def _error_messages(error):
    return error.messages if isinstance(error, ValidationError) else [str(error)]


def _save_reply(form, invitation, *, channel, user=None):
    """Record a valid ReplyForm's answer; the saved invitation, or None with the service's
    refusal added to the form's errors."""
    try:
        return replies.record_reply(
            invitation=invitation,
            reply=form.cleaned_data["reply"],
            substitute_membership=form.cleaned_data.get("substitute_membership"),
            substitute_name=form.cleaned_data.get("substitute_name", ""),
            channel=channel,
            user=user,
        )
    except ValidationError as error:
        for message in _error_messages(error):
            form.add_error(None, message)
        return None


# --- Preview and send --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def invitation_send(request, pk):
    """Preview the recipients and the message, add a personal note, send (R7)."""
    meeting = access.get_meeting_for_user(request, pk, action=Action.SEND_INVITATIONS)
    if meeting.status == Meeting.Status.INVITATIONS_SENT:
        return redirect("meetings:invitation_progress", pk=meeting.pk)
    form = PersonalNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and request.POST.get("action") == "send":
        try:
            mailing = sending.send_invitations(
                meeting=meeting,
                user=request.user,
                personal_note=form.cleaned_data["personal_note"],
            )
        except ValidationError as error:
            for message in _error_messages(error):
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Kallelsen skickas till %(count)s mottagare. Följ utskicket och svaren här.")
                % {"count": mailing.invitations.count()},
            )
            return redirect("meetings:invitation_progress", pk=meeting.pk)
    note = form.cleaned_data.get("personal_note", "") if form.is_bound and form.is_valid() else ""
    recipient_list = selectors.recipients(meeting)
    kallelse = mail.kallelse_on_send(meeting)
    context = {
        "meeting": meeting,
        "form": form,
        "recipients": recipient_list,
        "ready": meeting.status == Meeting.Status.AGENDA_APPROVED,
        "preview": mail.preview(
            meeting=meeting,
            user=request.user,
            recipient_list=recipient_list,
            personal_note=note,
            kallelse=kallelse,
        ),
        "on_behalf": not roles_for(request.user).chairs(meeting.council),
        "chair": selectors.inviting_chair(meeting, request.user),
        "kallelse": kallelse,
    }
    return render(request, "meetings/invitations/send.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_update(request, pk):
    """'Skicka uppdatering': what changed at the top, same UID, higher SEQUENCE."""
    meeting = access.get_meeting_for_user(request, pk, action=Action.SEND_INVITATIONS)
    form = PersonalNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and request.POST.get("action") == "send":
        try:
            sending.send_update(
                meeting=meeting,
                user=request.user,
                personal_note=form.cleaned_data["personal_note"],
            )
        except ValidationError as error:
            for message in _error_messages(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("Uppdateringen skickas till alla som fått kallelsen."))
            return redirect("meetings:invitation_progress", pk=meeting.pk)
    note = form.cleaned_data.get("personal_note", "") if form.is_bound and form.is_valid() else ""
    changes = selectors.pending_changes(meeting)
    context = {
        "meeting": meeting,
        "form": form,
        "changes": changes,
        "invited_count": selectors.sent_count(meeting),
        "preview": mail.preview(
            meeting=meeting,
            user=request.user,
            recipient_list=selectors.recipients(meeting),
            personal_note=note,
            kind=Mailing.Kind.UPDATE,
            kallelse=mail.kallelse_on_send(meeting),
        )
        if changes
        else None,
    }
    return render(request, "meetings/invitations/update.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_cancel(request, pk):
    """Cancel the meeting and send METHOD:CANCEL to everyone who got the invitation."""
    meeting = access.get_meeting_for_user(request, pk, action=Action.CANCEL_MEETING)
    form = PersonalNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mailing = sending.cancel_meeting(
                meeting=meeting,
                user=request.user,
                personal_note=form.cleaned_data["personal_note"],
            )
        except ValidationError as error:
            for message in _error_messages(error):
                form.add_error(None, message)
        else:
            if mailing is None:
                messages.success(
                    request, _("Sammanträdet är inställt. Ingen kallelse hade skickats.")
                )
            else:
                messages.success(
                    request, _("Sammanträdet är inställt. Avbokningen skickas till alla kallade.")
                )
            return redirect(_meeting_page(meeting))
    context = {
        "meeting": meeting,
        "form": form,
        "received_count": selectors.sent_count(meeting),
        "already_cancelled": meeting.status == Meeting.Status.CANCELLED,
    }
    return render(request, "meetings/invitations/cancel.html", context)


def _meeting_page(meeting):
    return reverse("meetings:meeting_detail", args=[meeting.pk])


# --- Progress and answers ---------------------------------------------------------------------


@login_required
@require_GET
def invitation_progress(request, pk):
    """Sent / waiting / failed with resend, and the answers as they come in (htmx polling)."""
    meeting = access.get_meeting_for_user(request, pk, action=Action.FOLLOW_INVITATIONS)
    template = "meetings/invitations/progress.html"
    if request.htmx:
        template += "#progress"
    context = selectors.progress_page(request.user, meeting, shown=request.GET.get("visa", ""))
    return render(request, template, context)


@login_required
@require_POST
def invitation_resend(request, pk, invitation_pk=None):
    """Queue failed deliveries again: all of the meeting's, or one person's."""
    if invitation_pk is None:
        meeting = access.get_meeting_for_user(request, pk, action=Action.FOLLOW_INVITATIONS)
        invitation = None
    else:
        invitation = access.get_invitation_for_user(
            request, pk, invitation_pk, action=Action.FOLLOW_INVITATIONS
        )
        meeting = invitation.meeting
    count = sending.resend_failed(meeting=meeting, user=request.user, invitation=invitation)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s utskick läggs i kö igen.", "%(count)s utskick läggs i kö igen.", count
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("Det fanns inget misslyckat utskick att skicka igen."))
    return redirect("meetings:invitation_progress", pk=meeting.pk)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_record_reply(request, pk, invitation_pk):
    """The secretariat records an answer given by phone."""
    invitation = access.get_invitation_for_user(
        request, pk, invitation_pk, action=Action.FOLLOW_INVITATIONS
    )
    meeting = invitation.meeting
    form = ReplyForm(request.POST or None, invitation=invitation)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_reply(form, invitation, channel=Invitation.Channel.PHONE, user=request.user)
    ):
        messages.success(
            request, _("Svaret från %(name)s är registrerat.") % {"name": invitation.name}
        )
        return redirect("meetings:invitation_progress", pk=meeting.pk)
    return render(
        request,
        "meetings/invitations/record_reply.html",
        {"meeting": meeting, "invitation": invitation, "form": form},
    )


@login_required
@require_POST
def invitation_my_reply(request, pk):
    """The signed-in recipient answers in the app (the form in the meeting page's panel)."""
    invitation = access.get_own_invitation(request, pk)
    form = ReplyForm(request.POST, invitation=invitation)
    if form.is_valid() and _save_reply(
        form, invitation, channel=Invitation.Channel.APP, user=request.user
    ):
        messages.success(request, _("Tack! Ditt svar är registrerat."))
        return redirect(_meeting_page(invitation.meeting))
    # The panel sits far down the meeting page: show the answer form alone, errors and choice kept.
    return render(
        request,
        "meetings/invitations/reply.html",
        _reply_context(invitation, form, back_url=_meeting_page(invitation.meeting)),
    )


# --- Reply by link (no login) -----------------------------------------------------------------


# The answers in the mail's own words: on the confirm button, the receipt and the links to change.
ANSWER_WORDS = {
    Invitation.Reply.ATTENDING: gettext_lazy("Jag deltar"),
    Invitation.Reply.NOT_ATTENDING: gettext_lazy("Jag deltar inte"),
    Invitation.Reply.SUBSTITUTE: gettext_lazy("En ersättare deltar"),
}
RECEIPT_PARAMETER = "sparat"


@never_compress  # the page carries the reply token (BREACH)
@require_http_methods(["GET", "POST"])
def invitation_reply(request, token):
    """The reply page behind the links in the mail; a forged or expired link changes nothing.

    A GET never saves (mail scanners open links): the answer the link names waits on a confirm
    page, said to be not yet saved, with one button carrying the answer. The save redirects to
    a receipt (a GET again) with the way to change the answer.
    """
    try:
        invitation = access.get_invitation_for_token(token)
    except InvalidReplyToken as error:
        return render(
            request, "meetings/invitations/reply_invalid.html", {"reason": str(error)}, status=403
        )
    if request.method == "POST":
        form = ReplyForm(request.POST, invitation=invitation)
        if form.is_valid() and _save_reply(form, invitation, channel=Invitation.Channel.LINK):
            path = reverse("meetings:invitation_reply", args=[token])
            return redirect(f"{path}?{RECEIPT_PARAMETER}=1")
        chosen = request.POST.get("reply", "")
    else:
        chosen = request.GET.get("svar", "")
        form = ReplyForm(invitation=invitation, initial={"reply": chosen})
    if chosen not in Invitation.Reply.values:
        chosen = ""
    receipt = (
        request.method == "GET" and RECEIPT_PARAMETER in request.GET and bool(invitation.reply)
    )
    context = _reply_context(invitation, form) | {
        "token": token,
        "step": "receipt" if receipt else ("confirm" if chosen else "choose"),
        "chosen": chosen,
        "chosen_words": ANSWER_WORDS.get(chosen, ""),
        "answers": [
            {"value": value, "words": words, "current": value == invitation.reply}
            for value, words in ANSWER_WORDS.items()
        ],
    }
    return render(request, "meetings/invitations/reply_link.html", context)


def _reply_context(invitation, form, *, back_url=""):
    meeting = invitation.meeting
    return {
        "invitation": invitation,
        "meeting": meeting,
        "form": form,
        "back_url": back_url,
        "time_display": format_time_span(meeting.starts_at, meeting.ends_at),
    }


# --- Calendar feed --------------------------------------------------------------------------------


@never_compress  # the page shows the feed's secret address (BREACH)
@login_required
@require_GET
def calendar_settings(request):
    """The person's private calendar feed URL, with regenerate and revoke."""
    person = access.own_person(request)
    feed = CalendarFeed.objects.filter(person=person).first() if person else None
    feed_url = (
        request.build_absolute_uri(reverse("meetings:calendar_feed", args=[feed.token]))
        if feed
        else ""
    )
    return render(
        request,
        "meetings/invitations/calendar.html",
        {"person": person, "feed": feed, "feed_url": feed_url},
    )


@login_required
@require_POST
def calendar_regenerate(request):
    person = access.require_own_person(request)
    feed, created = CalendarFeed.objects.get_or_create(person=person)
    if not created:
        feed.regenerate()
        messages.success(
            request, _("Du har fått en ny kalenderlänk. Den gamla fungerar inte längre.")
        )
    else:
        messages.success(request, _("Din kalenderlänk är skapad."))
    return redirect("meetings:calendar_settings")


@login_required
@require_POST
def calendar_revoke(request):
    person = access.own_person(request)
    if person is not None:
        CalendarFeed.objects.filter(person=person).delete()
    messages.success(request, _("Kalenderlänken är avstängd."))
    return redirect("meetings:calendar_settings")


FEED_HISTORY_DAYS = 180


@require_GET
def calendar_feed(request, token):
    """The private ICS feed: meetings of the person's councils and those they are invited to."""
    feed = access.get_calendar_feed_for_token(token)
    person = feed.person
    meetings = selectors.feed_meetings(person, days=FEED_HISTORY_DAYS)

    def url_for(meeting):
        return request.build_absolute_uri(reverse("meetings:meeting_detail", args=[meeting.pk]))

    body = ics.feed_calendar(meetings, name=f"Samverkan – {person.full_name}", url_for=url_for)
    feed.mark_used()
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="samverkan.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
