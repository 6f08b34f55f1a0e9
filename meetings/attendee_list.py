"""The printable list of attendees (R2, R7) as a rendered document (rus.documents):
made by Celery, stored once per meeting and reply state, never in the request. Registered in
`MeetingsConfig.ready()`; the reply overview shows its state and asks for the current version.

The version key is a checksum of what the list shows (one query): the meeting's time, place and
title, and each invitation's reply, name, capacity, substitute and organisation. A new reply is
a new key, so the next view of the overview asks for a new file; an unchanged state is the
same row and no new render.
"""

import hashlib
import json

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy

from rus.access import document_status
from rus.documents import registry, rendering

from . import access
from .access import Action
from .models import Meeting
from .models.invitations import DeliveryStatus
from .pdf import pdf_assets, render_html_pdf
from .selectors.replies import attendee_table, reply_overview

KIND = "deltagarlista"


def _meeting(document):
    return Meeting.objects.select_related("council").filter(pk=int(document.object_key)).first()


def version_key(meeting):
    replies = (
        meeting.invitations.exclude(status=DeliveryStatus.WITHDRAWN)
        .order_by("pk")
        .values_list(
            "pk",
            "reply",
            "name",
            "capacity",
            "substitute_name",
            "substitute_membership__person__given_name",
            "substitute_membership__person__family_name",
            "membership__organisation__name",
            "membership__side",
            "person__organisation__name",
        )
    )
    state = [
        [meeting.pk, meeting.version, meeting.council.name, meeting.title, meeting.place],
        [meeting.starts_at.timestamp(), meeting.ends_at.timestamp()],
        [list(row) for row in replies],
    ]
    return hashlib.sha256(json.dumps(state).encode()).hexdigest()


def filename(meeting):
    day = timezone.localtime(meeting.starts_at)
    return f"deltagare-{day:%Y-%m-%d}-{meeting.council.slug}.pdf"


def build(meeting):
    header, rows = attendee_table(reply_overview(meeting))
    html = render_to_string(
        "meetings/pdf/attendees.html",
        {
            "meeting": meeting,
            "header": header,
            "rows": rows,
            "starts_at": timezone.localtime(meeting.starts_at),
            "ends_at": timezone.localtime(meeting.ends_at),
            "generated_at": timezone.localtime(),
            "assets": pdf_assets(),
        },
    )
    return render_html_pdf(html)


def render(document):
    meeting = _meeting(document)
    if meeting is None:
        raise LookupError(f"Sammanträde {document.object_key} finns inte.")
    return registry.Rendered(content=build(meeting), filename=filename(meeting))


def _may_follow(user, document):
    meeting = _meeting(document)
    return meeting is not None and access.may(user, Action.FOLLOW_INVITATIONS, meeting)


def register():
    registry.register(
        registry.Renderer(
            kind=KIND,
            render=render,
            may_read=_may_follow,
            may_rerender=_may_follow,
            label=gettext_lazy("deltagarlistan (PDF)"),
        )
    )


def request_attendee_list(meeting):
    """The row of the current reply state, asked for (once) if it was not."""
    return rendering.request_document(
        kind=KIND, object_key=meeting.pk, version_key=version_key(meeting)
    )


def status(user, meeting):
    """The reply overview's status line (templates/documents/status.html) of the current list."""
    return document_status(user, request_attendee_list(meeting))
