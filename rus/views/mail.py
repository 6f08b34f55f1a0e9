"""Outgoing mail (notices: password reset, proposals, questions): what could not be delivered,
why, and sending it again. Invitations are followed on each meeting's progress page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rus import access, selectors
from rus.access import Action
from rus.outbox import notices


@login_required
@require_GET
def outgoing_mail(request):
    access.require(request, Action.EDIT)
    return render(request, "rus/outgoing_mail.html", selectors.outgoing_mail_page())


@login_required
@require_POST
def outgoing_mail_resend(request, pk):
    mail = access.get_outgoing_mail_for_user(request, pk)
    if notices.resend(mails=[mail]):
        messages.success(request, _("E-postmeddelandet läggs i kö igen."))
    else:
        messages.info(request, _("Meddelandet har inte misslyckats; det skickas inte igen."))
    return redirect("outgoing_mail")
