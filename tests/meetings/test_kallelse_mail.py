"""The kallelse med handlingar attached to or linked from the invitation mail, as the council
prefers (Council.attach_kallelse), and always linked above the size limit or before it is
rendered. The mails go through the outbox's one delivery path."""

import pytest
from django.core import mail
from django.urls import reverse

from meetings import documents
from meetings.models import Invitation, Mailing
from meetings.services import agenda as agenda_services
from meetings.services.invitations import mail as invitation_mail
from meetings.services.invitations import sending
from rus.documents import rendering
from rus.documents.models import RenderedDocument, RenderStatus
from tests.meetings.invitation_support import FAKE_PDF, make_invitation_setup, parse
from tests.meetings.test_kallelse import pdf_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf")]


def make_setup(*, attach):
    setup = make_invitation_setup(members=2)
    setup.council.attach_kallelse = attach
    setup.council.save()
    agenda_services.add_attachment(
        item=setup.item, uploaded_file=pdf_of(2, 301), user=None, title="Underlag"
    )
    return setup


def send(setup, django_capture_on_commit_callbacks):
    # On commit the kallelse's render task runs first (eagerly), then the deliveries.
    with django_capture_on_commit_callbacks(execute=True):
        return sending.send_invitations(meeting=setup.meeting, user=setup.chair_user)


def messages_by_address():
    return {message.to[0].split("<")[-1].rstrip(">"): message for message in mail.outbox}


def pdf_names(message):
    parsed = parse(message.message().as_bytes())
    return [
        part.get_filename()
        for part in parsed.walk()
        if part.get_content_type() == "application/pdf"
    ]


def kallelse_names(message):
    return [name for name in pdf_names(message) if name.startswith("kallelse-med-handlingar")]


def test_attached_for_members_when_the_council_prefers_it_and_it_is_small(
    django_capture_on_commit_callbacks,
):
    setup = make_setup(attach=True)
    mailing = send(setup, django_capture_on_commit_callbacks)

    document = mailing.kallelse
    document.refresh_from_db()
    assert document.status == RenderStatus.DONE
    by_address = messages_by_address()
    member_mail = by_address["ledamot0@example.org"]
    (name,) = kallelse_names(member_mail)
    assert name == document.filename
    parsed = parse(member_mail.message().as_bytes())
    (content,) = [p.get_content() for p in parsed.walk() if p.get_filename() == name]
    assert content == document.file.open("rb").read()
    assert content.startswith(b"%PDF") and content != FAKE_PDF
    assert "Kallelse med handlingar är bifogad som en PDF-fil" in member_mail.body
    # An outside presenter reads only their own item: no kallelse, attached or linked.
    presenter_mail = by_address["petra@example.org"]
    assert kallelse_names(presenter_mail) == []
    assert "Kallelse med handlingar" not in presenter_mail.body


def test_linked_when_it_exceeds_the_size_limit(settings, django_capture_on_commit_callbacks):
    settings.KALLELSE_ATTACHMENT_MAX_BYTES = 1000
    setup = make_setup(attach=True)
    mailing = send(setup, django_capture_on_commit_callbacks)

    mailing.kallelse.refresh_from_db()
    assert mailing.kallelse.size > 1000
    member_mail = messages_by_address()["ledamot0@example.org"]
    assert pdf_names(member_mail) == ["dagordning.pdf"]
    assert f"/moten/{setup.meeting.pk}/kallelse-med-handlingar/" in member_mail.body
    assert "Kallelse med handlingar är bifogad" not in member_mail.body


def test_linked_when_the_council_prefers_a_link(django_capture_on_commit_callbacks):
    setup = make_setup(attach=False)
    mailing = send(setup, django_capture_on_commit_callbacks)

    assert mailing.kallelse is None
    # No kallelse med handlingar asked for by the send itself (only the agenda PDF it attaches).
    assert not RenderedDocument.objects.filter(kind=documents.KIND).exists()
    member_mail = messages_by_address()["ledamot0@example.org"]
    assert pdf_names(member_mail) == ["dagordning.pdf"]
    assert "Kallelse med handlingar, en PDF-fil:" in member_mail.body
    assert f"/moten/{setup.meeting.pk}/kallelse-med-handlingar/" in member_mail.body


def test_linked_while_it_is_still_rendering(django_capture_on_commit_callbacks):
    setup = make_setup(attach=True)
    mailing = send(setup, django_capture_on_commit_callbacks)
    RenderedDocument.objects.filter(pk=mailing.kallelse_id).update(status=RenderStatus.RENDERING)
    mailing = Mailing.objects.select_related("kallelse").get(pk=mailing.pk)
    invitation = Invitation.objects.get(mailing=mailing, email="ledamot1@example.org")

    message = invitation_mail.build_invitation_message(invitation, mailing)

    assert pdf_names(message) == ["dagordning.pdf"]
    assert "Kallelse med handlingar, en PDF-fil:" in message.body


def test_the_send_page_says_how_the_kallelse_goes(client, django_capture_on_commit_callbacks):
    setup = make_setup(attach=True)
    client.force_login(setup.chair_user)
    url = reverse("meetings:invitation_send", args=[setup.meeting.pk])
    attached = "Kallelse med handlingar är bifogad som en PDF-fil"
    linked = "Kallelse med handlingar, en PDF-fil:"
    with django_capture_on_commit_callbacks(execute=False):  # asked for, not rendered yet
        page = client.get(url).text
    assert "Kallelse med handlingar skapas fortfarande" in page
    # The preview (a member's mail) says what that member's mail will say: linked for now.
    assert linked in page and attached not in page
    document = RenderedDocument.objects.get(kind=documents.KIND)
    assert rendering.render(document.pk).status == "done"
    page = client.get(url).text
    assert "Kallelse med handlingar bifogas ledamöternas mejl" in page
    assert attached in page and linked not in page
    setup.council.attach_kallelse = False
    setup.council.save()
    page = client.get(url).text
    assert "länkas från ledamöternas mejl (rådets inställning)" in page
    assert linked in page and attached not in page
