"""Attachments: checks on upload, versions, download only through a view that checks rights
(R12 c)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import AgendaItem, Attachment, AttachmentVersion
from meetings.services import agenda as agenda_services
from meetings.uploads import ODF_MIMETYPE, safe_filename, validate_upload
from tests.meetings.factories import make_item, make_meeting
from tests.support.settings import settings_under
from tests.support.zipbombs import inflating, with_many_entries

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32


def zip_bytes(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def ooxml(main_part):
    return zip_bytes({"[Content_Types].xml": "<Types/>", main_part: "<x/>"})


def odf(mimetype):
    return zip_bytes({"mimetype": mimetype, "content.xml": "<x/>"})


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.fixture
def item(meeting):
    return make_item(meeting, title="Strukturfonder")


# --- validate_upload ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content",
    [
        ("underlag.pdf", PDF_BYTES),
        ("bild.png", PNG_BYTES),
        ("foto.JPG", JPEG_BYTES),
        ("foto.jpeg", JPEG_BYTES),
        ("text.docx", ooxml("word/document.xml")),
        ("tabell.xlsx", ooxml("xl/workbook.xml")),
        ("bilder.pptx", ooxml("ppt/presentation.xml")),
        ("text.odt", odf("application/vnd.oasis.opendocument.text")),
        ("tabell.ods", odf("application/vnd.oasis.opendocument.spreadsheet")),
        ("bilder.odp", odf("application/vnd.oasis.opendocument.presentation")),
    ],
)
def test_allowed_types_pass(name, content):
    uploaded = upload(name, content)
    assert validate_upload(uploaded) is uploaded  # a refused file raises ValidationError
    assert uploaded.read() == content  # left at its start, to be stored whole


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("skript.exe", b"MZ\x90\x00", "inte tillåten"),
        ("sida.html", b"<html>", "inte tillåten"),
        ("utan_andelse", PDF_BYTES, "utan filändelse"),
        ("falsk.pdf", b"<html><script>alert(1)</script>", "stämmer inte"),
        ("falsk.png", JPEG_BYTES, "stämmer inte"),
        ("falsk.docx", zip_bytes({"hej.txt": "x"}), "stämmer inte"),
        ("kalkyl.docx", ooxml("xl/workbook.xml"), "stämmer inte"),
        ("falsk.odt", odf("application/vnd.oasis.opendocument.spreadsheet"), "stämmer inte"),
        ("trasig.xlsx", b"PK\x03\x04 not really a zip", "stämmer inte"),
        # HTML/PDF polyglots: a reader finds %PDF- in the first kilobyte, a browser sees a page.
        ("polyglot.pdf", b"<html><script>alert(1)</script></html>\n" + PDF_BYTES, "stämmer inte"),
        ("skrap.pdf", b"\x00" * 100 + PDF_BYTES, "stämmer inte"),
        ("sida.pdf", PDF_BYTES + b"<!DOCTYPE html><body onload=alert(1)>", "stämmer inte"),
        ("sida.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script>", "stämmer inte"),
        ("sida.jpg", JPEG_BYTES + b"<svg onload=alert(1)>", "stämmer inte"),
        (
            "html.docx",
            zip_bytes({"[Content_Types].xml": "<html>", "word/document.xml": "<x/>"}),
            "stämmer inte",
        ),
        # OpenDocument: the mimetype entry comes first, stored, or it is no OpenDocument file.
        (
            "bakvand.odt",
            zip_bytes({"content.xml": "<x/>", "mimetype": ODF_MIMETYPE["odt"]}),
            "stämmer inte",
        ),
        ("tom.pdf", b"", "tom"),
        (
            "makro.docx",
            zip_bytes(
                {
                    "[Content_Types].xml": "<Types/>",
                    "word/document.xml": "<x/>",
                    "word/vbaProject.bin": "x",
                }
            ),
            "makron",
        ),
    ],
)
def test_refused_types_say_why_in_swedish(name, content, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload(name, content))
    assert message in " ".join(excinfo.value.messages)


def test_size_limit_follows_setting(settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload("stor.pdf", PDF_BYTES + b"x" * 200))
    assert "för stor" in excinfo.value.messages[0]


def test_size_limit_is_25_mb_unless_configured(monkeypatch):
    assert settings_under(monkeypatch, ATTACHMENT_MAX_MB=None)["ATTACHMENT_MAX_BYTES"] == 25 << 20
    assert settings_under(monkeypatch, ATTACHMENT_MAX_MB="5")["ATTACHMENT_MAX_BYTES"] == 5 << 20


def test_upload_fields_tell_the_size_limit_before_the_upload(settings):
    """The agenda item form and the proposal form both say how big a file may be."""
    from meetings.forms.agenda import AgendaItemForm, AttachmentForm
    from meetings.forms.proposals import ItemProposalForm

    settings.ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    assert "Högst 10 MB per fil." in str(AgendaItemForm().fields["attachment"].help_text)
    assert "Högst 10 MB per fil." in str(AttachmentForm().fields["file"].help_text)
    assert "Högst 10 MB per fil." in str(ItemProposalForm.base_fields["attachments"].help_text)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\kansli\\Underlag.PDF", "Underlag.pdf"),
        ("Möte 2026 – bilaga.pdf", "Möte 2026 _ bilaga.pdf"),
        ("<script>.pdf", "script.pdf"),
        ("  .pdf", "dokument.pdf"),
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
        ("rapport;rm -rf.docx", "rapport_rm -rf.docx"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


# --- Storage ------------------------------------------------------------------------------------


def test_stored_under_a_path_nobody_can_guess(item, cast, media):
    attachment = agenda_services.add_attachment(
        item=item, uploaded_file=upload("underlag.pdf", PDF_BYTES), user=cast.secretariat
    )
    version = attachment.current_version
    parts = version.file.name.split("/")
    assert parts[0] == "agenda" and len(parts[1]) >= 30 and parts[2] == "underlag.pdf"
    assert (media / version.file.name).read_bytes() == PDF_BYTES
    assert attachment.title == "underlag"


def test_replacing_keeps_earlier_versions(item, cast):
    attachment = agenda_services.add_attachment(
        item=item, uploaded_file=upload("v1.pdf", PDF_BYTES), user=cast.secretariat
    )
    agenda_services.replace_attachment(
        attachment=attachment, uploaded_file=upload("v2.pdf", PDF_BYTES + b"2"), user=None
    )
    attachment = Attachment.objects.prefetch_related("versions").get(pk=attachment.pk)
    assert attachment.current_version.number == 2
    assert [v.original_name for v in attachment.earlier_versions] == ["v1.pdf"]


def test_attachment_after_approval_marks_item(item, cast, meeting):
    meeting.approve_agenda(cast.chair)
    agenda_services.add_attachment(
        item=item, uploaded_file=upload("sen.pdf", PDF_BYTES), user=cast.secretariat
    )
    item.refresh_from_db()
    assert item.changed_after_approval


# --- Views --------------------------------------------------------------------------------------


def test_secretariat_uploads_on_item_page(client, cast, meeting, item):
    client.force_login(cast.secretariat)
    url = reverse("meetings:attachment_upload", args=[meeting.pk, item.pk])
    response = client.post(url, {"file": upload("Underlag.pdf", PDF_BYTES), "title": "Underlag"})
    assert response.status_code == 302
    page = client.get(reverse("meetings:item_detail", args=[meeting.pk, item.pk]))
    assert "Underlag" in page.content.decode()


def test_refused_upload_says_why(client, cast, meeting, item):
    client.force_login(cast.rus_group)
    url = reverse("meetings:attachment_upload", args=[meeting.pk, item.pk])
    response = client.post(url, {"file": upload("virus.exe", b"MZ"), "title": "Behåll titeln"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Filtypen ”exe” är inte tillåten" in content
    assert "Behåll titeln" in content
    assert not Attachment.objects.exists()


def test_refused_upload_in_item_form_keeps_the_rest(client, cast, meeting):
    client.force_login(cast.secretariat)
    data = {
        "title": "Punkt med fel bilaga",
        "kind": AgendaItem.Kind.INFORMATION,
        "background": "Lång bakgrundstext som inte får försvinna.",
        "estimated_minutes": "20",
        "presenter_name": "Eva Extern",
        "presenter_email": "eva@example.org",
        "attachment": upload("falsk.pdf", b"not a pdf"),
    }
    response = client.post(reverse("meetings:item_create", args=[meeting.pk]), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "stämmer inte med filändelsen" in content
    assert "Punkt med fel bilaga" in content
    assert "Lång bakgrundstext som inte får försvinna." in content
    assert "eva@example.org" in content
    assert not meeting.items.filter(title="Punkt med fel bilaga").exists()


def test_item_form_with_valid_attachment_saves_both(client, cast, meeting):
    client.force_login(cast.secretariat)
    data = {
        "title": "Punkt med bilaga",
        "kind": AgendaItem.Kind.INFORMATION,
        "estimated_minutes": "10",
        "attachment": upload("bilaga.pdf", PDF_BYTES),
        "attachment_title": "Missiv",
    }
    assert client.post(reverse("meetings:item_create", args=[meeting.pk]), data).status_code == 302
    item = meeting.items.get(title="Punkt med bilaga")
    assert item.attachments.get().title == "Missiv"


@pytest.mark.parametrize("role", ["member", "chair"])
def test_members_may_not_upload(client, cast, meeting, item, role):
    client.force_login(getattr(cast, role))
    url = reverse("meetings:attachment_upload", args=[meeting.pk, item.pk])
    assert client.post(url, {"file": upload("a.pdf", PDF_BYTES)}).status_code == 403


def test_download_checks_rights(client, cast, meeting, item):
    attachment = agenda_services.add_attachment(
        item=item, uploaded_file=upload("underlag.pdf", PDF_BYTES), user=cast.secretariat
    )
    url = reverse("meetings:attachment_download", args=[meeting.pk, attachment.pk])
    assert client.get(url).status_code == 302  # anonymous -> login
    client.force_login(cast.other_council_member)
    assert client.get(url).status_code == 404
    client.force_login(cast.presenter)  # presents nothing here
    assert client.get(url).status_code == 404
    client.force_login(cast.member)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert "private" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]


def test_presenter_downloads_documents_of_own_item(client, cast, meeting):
    item = make_item(meeting, title="Egen", presenter=cast.presenter_person)
    attachment = agenda_services.add_attachment(
        item=item, uploaded_file=upload("mina.pdf", PDF_BYTES), user=None
    )
    client.force_login(cast.presenter)
    url = reverse("meetings:attachment_download", args=[meeting.pk, attachment.pk])
    assert client.get(url).status_code == 200


def test_office_documents_download_as_attachment(client, cast, meeting, item):
    attachment = agenda_services.add_attachment(
        item=item, uploaded_file=upload("text.docx", ooxml("word/document.xml")), user=None
    )
    client.force_login(cast.member)
    response = client.get(reverse("meetings:attachment_download", args=[meeting.pk, attachment.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert "wordprocessingml" in response["Content-Type"]


def test_attachment_of_other_meeting_is_404(client, cast, meeting, item):
    attachment = agenda_services.add_attachment(
        item=item, uploaded_file=upload("a.pdf", PDF_BYTES), user=None
    )
    other = make_meeting(meeting.council)
    client.force_login(cast.secretariat)
    url = reverse("meetings:attachment_download", args=[other.pk, attachment.pk])
    assert client.get(url).status_code == 404


def test_no_public_media_url_serves_the_file(client, cast, item):
    attachment = agenda_services.add_attachment(
        item=item, uploaded_file=upload("a.pdf", PDF_BYTES), user=None
    )
    client.force_login(cast.secretariat)
    assert client.get("/media/" + attachment.current_version.file.name).status_code == 404
    assert client.get(attachment.current_version.file.url).status_code == 404


def test_replace_via_view_keeps_versions_visible(client, cast, meeting, item):
    attachment = agenda_services.add_attachment(
        item=item, uploaded_file=upload("v1.pdf", PDF_BYTES), user=None
    )
    client.force_login(cast.secretariat)
    url = reverse("meetings:attachment_replace", args=[meeting.pk, attachment.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"file": upload("v2.pdf", PDF_BYTES + b"2")}).status_code == 302
    page = client.get(reverse("meetings:item_detail", args=[meeting.pk, item.pk])).content.decode()
    assert "Tidigare versioner (1)" in page
    assert "Version 1: v1.pdf" in page
    old = reverse("meetings:attachment_version", args=[meeting.pk, attachment.pk, 1])
    assert b"".join(client.get(old).streaming_content) == PDF_BYTES


def test_refused_replacement_keeps_current_version(client, cast, meeting, item):
    attachment = agenda_services.add_attachment(
        item=item, uploaded_file=upload("v1.pdf", PDF_BYTES), user=None
    )
    client.force_login(cast.secretariat)
    url = reverse("meetings:attachment_replace", args=[meeting.pk, attachment.pk])
    response = client.post(url, {"file": upload("v2.pdf", b"GIF89a")})
    assert response.status_code == 400
    assert "stämmer inte" in response.content.decode()
    assert AttachmentVersion.objects.count() == 1


def test_member_may_not_replace_or_delete(client, cast, meeting, item):
    attachment = agenda_services.add_attachment(
        item=item, uploaded_file=upload("v1.pdf", PDF_BYTES), user=None
    )
    client.force_login(cast.member)
    for name in ("attachment_replace", "attachment_delete"):
        url = reverse(f"meetings:{name}", args=[meeting.pk, attachment.pk])
        assert client.post(url).status_code == 403


def test_delete_removes_attachment_and_files(
    client, cast, meeting, item, media, django_capture_on_commit_callbacks
):
    attachment = agenda_services.add_attachment(
        item=item, uploaded_file=upload("v1.pdf", PDF_BYTES), user=None
    )
    path = media / attachment.current_version.file.name
    client.force_login(cast.secretariat)
    url = reverse("meetings:attachment_delete", args=[meeting.pk, attachment.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert not Attachment.objects.exists()
    assert not path.exists()


# --- zip bombs ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xlsx_bomb():
    """A 0.1 MB workbook whose sheet unpacks to 100 MiB, as the one that took the import to
    hundreds of megabytes: over the default limit of 50 MiB."""
    return inflating(ooxml("xl/workbook.xml"), "xl/worksheets/sheet1.xml", megabytes=100)


def test_archive_limits_are_50_mb_and_2000_entries_unless_configured(monkeypatch):
    default = settings_under(monkeypatch, ARCHIVE_MAX_UNPACKED_MB=None, ARCHIVE_MAX_ENTRIES=None)
    assert default["ARCHIVE_MAX_UNPACKED_BYTES"] == 50 << 20
    assert default["ARCHIVE_MAX_ENTRIES"] == 2000
    configured = settings_under(monkeypatch, ARCHIVE_MAX_UNPACKED_MB="10", ARCHIVE_MAX_ENTRIES="9")
    assert (configured["ARCHIVE_MAX_UNPACKED_BYTES"], configured["ARCHIVE_MAX_ENTRIES"]) == (
        10 << 20,
        9,
    )


def test_an_attachment_that_unpacks_beyond_the_limit_is_refused(xlsx_bomb):
    assert len(xlsx_bomb) < 200_000
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload("tabell.xlsx", xlsx_bomb))
    [message] = excinfo.value.messages
    assert "Filen blir för stor när den packas upp (100,0\xa0MB, högst 50,0\xa0MB)" in message


@pytest.mark.parametrize(
    "name, document, part",
    [
        ("text.docx", ooxml("word/document.xml"), "word/document.xml"),
        ("bilder.pptx", ooxml("ppt/presentation.xml"), "ppt/slides/slide1.xml"),
        ("text.odt", odf("application/vnd.oasis.opendocument.text"), "content.xml"),
        ("tabell.ods", odf("application/vnd.oasis.opendocument.spreadsheet"), "content.xml"),
        ("bilder.odp", odf("application/vnd.oasis.opendocument.presentation"), "content.xml"),
    ],
)
def test_every_zip_based_type_is_measured_before_it_is_opened(settings, name, document, part):
    settings.ARCHIVE_MAX_UNPACKED_BYTES = 5 * 1024 * 1024
    validate_upload(upload(name, document))
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload(name, inflating(document, part, megabytes=6)))
    assert "packas upp" in excinfo.value.messages[0]


def test_an_attachment_of_too_many_entries_is_refused(settings):
    settings.ARCHIVE_MAX_ENTRIES = 50
    document = ooxml("word/document.xml")
    validate_upload(upload("text.docx", with_many_entries(document, 40)))
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload("text.docx", with_many_entries(document, 60)))
    assert "för många delar (62, högst 50)" in excinfo.value.messages[0]


def test_the_upload_form_shows_the_refusal(client, cast, meeting, item, xlsx_bomb):
    client.force_login(cast.secretariat)
    response = client.post(
        reverse("meetings:attachment_upload", args=[meeting.pk, item.pk]),
        {"title": "Budget", "file": upload("budget.xlsx", xlsx_bomb)},
    )
    assert response.status_code == 400
    assert "packas upp" in response.text
    assert not Attachment.objects.filter(item=item).exists()
