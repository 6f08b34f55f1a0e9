"""Kallelse med handlingar (R11: the agenda sent with its documents): the agenda, then each
item's PDFs in item order, a bookmark per item, page references on the agenda, other formats
listed by name; rendered once per agenda version as a rendered document (rus.documents), shown
on the meeting's page and linked from the invitation."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from meetings import documents
from meetings.services import agenda as agenda_services
from rus.documents import rendering
from rus.documents.models import RenderedDocument, RenderStatus
from tests.meetings.factories import Cast, make_approved_meeting, make_item, make_meeting

pytestmark = pytest.mark.django_db


def pdf_of(pages, width):
    """A PDF of `pages` blank pages `width` points wide: the width tells the file's pages apart."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=width, height=400)
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(f"bilaga-{width}.pdf", out.getvalue(), content_type="application/pdf")


def docx(name):
    out = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile(
        name,
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@pytest.fixture
def meeting():
    meeting = make_approved_meeting(title="Månadsmöte")
    first = make_item(meeting, title="Strukturfondsprogrammet 2028+")
    second = make_item(meeting, title="Läget i länet")
    third = make_item(meeting, title="Kompetensförsörjning")
    add = agenda_services.add_attachment
    add(item=first, uploaded_file=pdf_of(3, 301), user=None, title="Programutkast")
    add(item=first, uploaded_file=pdf_of(2, 302), user=None, title="Remissvar")
    add(item=second, uploaded_file=docx("budget.docx"), user=None, title="Budget")
    add(item=third, uploaded_file=pdf_of(1, 303), user=None, title="Lägesrapport")
    return meeting


def render_kallelse(meeting):
    document = documents.request_kallelse(meeting)
    assert rendering.render(document.pk).status == "done"
    document.refresh_from_db()
    return document, PdfReader(io.BytesIO(document.file.read()))


def test_the_agenda_then_the_attachments_in_item_order_with_page_references(meeting):
    document, reader = render_kallelse(meeting)
    agenda_pages = [
        p for p in reader.pages if round(float(p.mediabox.width)) not in (301, 302, 303)
    ]
    n = len(agenda_pages)
    widths = [round(float(page.mediabox.width)) for page in reader.pages[n:]]
    assert widths == [301, 301, 301, 302, 302, 303]
    assert document.page_count == n + 6 == len(reader.pages)

    text = "".join(page.extract_text() for page in agenda_pages).replace("\n", " ")
    assert f"Programutkast (Bilaga 1, s. {n + 1})" in text
    assert f"Remissvar (Bilaga 2, s. {n + 4})" in text
    assert "Budget (budget.docx, finns i Samverkan)" in text
    assert f"Lägesrapport (Bilaga 3, s. {n + 6})" in text
    # The agenda part stays a tagged document with its language.
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.trailer["/Root"]["/Lang"] == "sv"


def test_a_bookmark_per_item_with_its_attachments_under_it(meeting):
    _document, reader = render_kallelse(meeting)
    outline = reader.outline
    titles = [entry.title for entry in outline if not isinstance(entry, list)]
    assert titles[0] == "Föredragningslista"
    assert titles[1:] == [
        "1. Öppnande",
        "2. Val av justerare",
        "3. Godkännande av dagordningen",
        "4. Strukturfondsprogrammet 2028+",
        "5. Läget i länet",
        "6. Kompetensförsörjning",
        "7. Avslutning",
    ]
    children = {}
    for index, entry in enumerate(outline):
        if isinstance(entry, list):
            children[outline[index - 1].title] = [
                (child.title, reader.get_destination_page_number(child)) for child in entry
            ]
    n = len(reader.pages) - 6
    assert children == {
        "4. Strukturfondsprogrammet 2028+": [
            ("Bilaga 1: Programutkast", n),
            ("Bilaga 2: Remissvar", n + 3),
        ],
        "6. Kompetensförsörjning": [("Bilaga 3: Lägesrapport", n + 5)],
    }


def test_rendered_once_per_agenda_version(meeting):
    first = documents.request_kallelse(meeting)
    assert documents.request_kallelse(meeting).pk == first.pk
    assert rendering.render(first.pk).status == "done"
    assert rendering.render(first.pk).status == "skipped"  # a task run twice makes one file
    first.refresh_from_db()
    assert first.attempts == 1

    item = meeting.items.get(title="Läget i länet")
    agenda_services.add_attachment(
        item=item, uploaded_file=pdf_of(1, 304), user=None, title="Ny bilaga"
    )
    second = documents.request_kallelse(meeting)
    assert second.pk != first.pk
    assert RenderedDocument.objects.for_object(documents.KIND, meeting.pk).count() == 2
    assert documents.current_kallelse(meeting).pk == second.pk


def test_meeting_page_shows_the_progress_and_then_the_link(client, meeting):
    cast = Cast(meeting)
    client.force_login(cast.member)
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    content = client.get(url).content.decode()
    document = documents.current_kallelse(meeting)
    assert document.status == RenderStatus.QUEUED
    assert "Kallelse med handlingar" in content
    assert "kallelse med handlingar skapas…" in content
    assert reverse("document_status", args=[document.pk]) in content

    rendering.render(document.pk)
    content = client.get(url).content.decode()
    assert reverse("document_download", args=[document.pk]) in content
    stable = reverse("meetings:kallelse_med_handlingar", args=[meeting.pk])
    response = client.get(stable)
    assert response.status_code == 302
    assert response["Location"] == reverse("document_download", args=[document.pk])
    assert client.get(response["Location"]).status_code == 200


def test_a_member_of_another_council_is_refused(client, meeting):
    cast = Cast(meeting)
    document = documents.request_kallelse(meeting)
    rendering.render(document.pk)
    client.force_login(cast.other_council_member)
    assert client.get(reverse("document_download", args=[document.pk])).status_code == 404
    stable = reverse("meetings:kallelse_med_handlingar", args=[meeting.pk])
    assert client.get(stable).status_code == 404
    content = client.get(reverse("meetings:meeting_list")).content.decode()
    assert reverse("document_download", args=[document.pk]) not in content
    client.force_login(cast.member)
    assert client.get(reverse("document_download", args=[document.pk])).status_code == 200


def test_no_kallelse_for_a_draft_agenda(client):
    meeting = make_meeting(title="Planerat")
    client.force_login(Cast(meeting).secretariat)
    content = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "kallelse-panel" not in content
    assert not RenderedDocument.objects.for_object(documents.KIND, meeting.pk).exists()
    stable = reverse("meetings:kallelse_med_handlingar", args=[meeting.pk])
    assert client.get(stable).status_code == 404


def test_the_demo_approved_agenda_gets_its_kallelse_rendered():
    from councils import demo as councils_demo
    from meetings import demo as meetings_demo
    from rus import demo as rus_demo
    from tests.meetings.test_meeting_demo import demo_users

    users = demo_users()
    strategy = rus_demo.seed()
    councils_demo.seed(users=users)
    approved = meetings_demo.seed(users=users, strategy=strategy)["approved"]
    meetings_demo.seed(users=users, strategy=strategy)  # idempotent: still one row

    document = documents.current_kallelse(approved)
    assert RenderedDocument.objects.for_object(documents.KIND, approved.pk).count() == 1
    assert rendering.render(document.pk).status == "done"
    document.refresh_from_db()
    reader = PdfReader(io.BytesIO(document.file.read()))
    children = [entry for entry in reader.outline if isinstance(entry, list)]
    assert children[0][0].title.startswith("Bilaga 1: ")


def test_the_invitation_links_the_kallelse_for_members_not_outside_presenters(
    setup, django_capture_on_commit_callbacks
):
    from django.core import mail

    from meetings.services.invitations import links, sending

    make_item(
        setup.meeting,
        title="Extern punkt",
        presenter_name="Extern Talare",
        presenter_email="talare@example.com",
    )
    with django_capture_on_commit_callbacks(execute=True):
        sending.send_invitations(meeting=setup.meeting, user=setup.chair_user, personal_note="")
    url = links.kallelse_url(setup.meeting)
    by_address = {message.to[0]: message for message in mail.outbox}
    member = next(m for address, m in by_address.items() if "ledamot0@" in address)
    external = by_address["Extern Talare <talare@example.com>"]
    assert url in member.body and url in member.alternatives[0][0]
    assert url not in external.body and url not in external.alternatives[0][0]
