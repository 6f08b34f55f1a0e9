"""Absolute URLs in invitation mail: the agenda online and the signed reply links."""

from django.conf import settings
from django.urls import reverse

from meetings.tokens import make_reply_token


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def meeting_url(meeting):
    """The agenda online: the meeting page."""
    return absolute(reverse("meetings:meeting_detail", args=[meeting.pk]))


def kallelse_url(meeting):
    """The kallelse med handlingar (one PDF, meetings/documents.py), for members of the council."""
    return absolute(reverse("meetings:kallelse_med_handlingar", args=[meeting.pk]))


def reply_url(invitation, answer="", *, token=None):
    """The reply link; `token` (`make_reply_token(invitation)`) when a mail has several."""
    path = reverse("meetings:invitation_reply", args=[token or make_reply_token(invitation)])
    return absolute(f"{path}?svar={answer}" if answer else path)
