"""Invitations go out in Swedish, with a Swedish agenda PDF, whatever language the chair who
sends them has chosen for the interface."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from meetings.models import Invitation
from tests.meetings.invitation_support import FAKE_PDF, clear_pdf_cache, make_invitation_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def pdf_languages(monkeypatch):
    """The language each agenda PDF was rendered in."""
    languages = []

    def render(meeting):
        languages.append(translation.get_language())
        return FAKE_PDF

    clear_pdf_cache()
    monkeypatch.setattr("meetings.pdf.render_agenda_pdf", render)
    # The agenda document the invitations attach (meetings/documents.py, kind "agenda").
    monkeypatch.setattr(
        "meetings.pdf.render_agenda_pdf_with_pages", lambda meeting: (render(meeting), 1)
    )
    return languages


def test_chair_working_in_english_sends_swedish_invitations(
    client, pdf_languages, django_capture_on_commit_callbacks
):
    setup = make_invitation_setup(members=2)
    client.force_login(setup.chair_user)
    client.post(reverse("set_language"), {"language": "en"})
    send_url = reverse("meetings:invitation_send", args=[setup.meeting.pk])
    assert "<h1>Send invitation</h1>" in client.get(send_url).text

    # Run the mail tasks with English active, as they run when Celery is eager (the demo): on
    # commit, still inside the chair's request.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        client.post(send_url, {"action": "send"})

    assert Invitation.objects.count() == 4
    assert len(mail.outbox) == 4
    for message in mail.outbox:
        assert message.subject.startswith("Kallelse: Regionala samverkansrådet ")
        assert "kallar dig till sammanträde" in message.body
        assert "Svara på kallelsen" in message.alternatives[0][0]
    assert pdf_languages and set(pdf_languages) == {"sv"}
