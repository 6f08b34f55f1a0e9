"""The index follows the writes (on commit), files' text is extracted by a Celery task, and
`manage.py reindex_search` rebuilds everything."""

import io
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from meetings.models import Attachment
from meetings.pdf import render_document_pdf
from meetings.services import agenda as agenda_services
from search import extraction
from search.models import FileText, SearchDocument
from search.selectors import search
from search.tasks import extract_file_text
from tests.factories import make_secretariat_user
from tests.meetings.factories import make_item, make_meeting
from tests.search.support import docx_upload

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


@pytest.fixture
def kansli(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return make_secretariat_user(username="kansli")


def attach(item, upload, title=""):
    return agenda_services.add_attachment(item=item, uploaded_file=upload, user=None, title=title)


def xlsx_upload(name, *rows):
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def pptx_upload(name, text):
    from pptx import Presentation
    from pptx.util import Inches

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[5])
    box = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(6), Inches(1))
    box.text_frame.text = text
    buffer = io.BytesIO()
    presentation.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=PPTX)


def test_an_item_is_indexed_when_its_transaction_commits(
    kansli, django_capture_on_commit_callbacks
):
    meeting = make_meeting()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        item = make_item(meeting, title="Kompetensförsörjningen")
    assert search(kansli, "kompetensförsörjningen").total == 0  # nothing before the commit
    for callback in callbacks:
        callback()
    assert [hit.object_id for hit in search(kansli, "kompetensförsörjningen").hits] == [item.pk]


def test_an_edit_and_a_delete_reach_the_index(kansli, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = make_item(make_meeting(), title="Kompetensförsörjningen")
    with django_capture_on_commit_callbacks(execute=True):
        item.title = "Bredbandsutbyggnaden"
        item.save()
    assert search(kansli, "kompetensförsörjningen").total == 0
    assert search(kansli, "bredbandsutbyggnaden").total == 1
    with django_capture_on_commit_callbacks(execute=True):
        item.delete()
    assert not SearchDocument.objects.filter(kind="item", object_id=item.pk).exists()


def test_a_meeting_moved_to_another_year_moves_its_items(
    kansli, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = make_meeting()
        make_item(meeting, title="Kompetensförsörjningen")
    year = meeting.starts_at.year
    with django_capture_on_commit_callbacks(execute=True):
        meeting.starts_at = meeting.starts_at.replace(year=year + 1)
        meeting.ends_at = meeting.ends_at.replace(year=year + 1)
        meeting.save()
    assert search(kansli, "kompetensförsörjningen", year=year + 1).total == 1
    assert search(kansli, "kompetensförsörjningen", year=year).total == 0


@pytest.mark.parametrize(
    "upload",
    [
        lambda: docx_upload("underlag.docx", "Vindkraftsetableringen i Timrå."),
        lambda: xlsx_upload("budget.xlsx", ["Post", "Belopp"], ["Vindkraftsetableringen", 100]),
        lambda: pptx_upload("bilder.pptx", "Vindkraftsetableringen i Timrå"),
        lambda: SimpleUploadedFile(
            "underlag.pdf",
            render_document_pdf(title="Underlag", paragraphs=["Vindkraftsetableringen i Timrå."]),
            content_type="application/pdf",
        ),
    ],
    ids=["docx", "xlsx", "pptx", "pdf"],
)
def test_the_text_of_an_uploaded_file_is_found(kansli, upload, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        attachment = attach(make_item(make_meeting(), title="Energi"), upload(), title="Bilaga")
    results = search(kansli, "vindkraftsetableringen")
    assert [(hit.kind, hit.object_id) for hit in results.hits] == [("attachment", attachment.pk)]
    assert "<mark>" in results.hits[0].snippet


def test_a_file_without_text_is_found_by_its_name(kansli, django_capture_on_commit_callbacks):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR" + b"\x00" * 32
    with django_capture_on_commit_callbacks(execute=True):
        attachment = attach(
            make_item(make_meeting(), title="Karta"),
            SimpleUploadedFile("sträckning-ostkustbanan.png", png, content_type="image/png"),
            title="Karta",
        )
    version = attachment.versions.get()
    row = FileText.objects.get(key=f"attachment_version:{version.pk}")
    assert (row.extracted, row.text) == (False, "")
    assert [hit.object_id for hit in search(kansli, "ostkustbanan").hits] == [attachment.pk]


def test_extraction_is_idempotent(kansli, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        attachment = attach(
            make_item(make_meeting()), docx_upload("a.docx", "Vindkraftsetableringen.")
        )
    version = attachment.versions.get()
    row = FileText.objects.get()
    extract_file_text.delay("attachment_version", version.pk)
    extract_file_text.delay("attachment_version", version.pk)
    assert FileText.objects.get() == row
    assert FileText.objects.get().created_at == row.created_at
    assert SearchDocument.objects.filter(kind="attachment").count() == 1


def test_a_new_version_replaces_the_old_text(kansli, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        attachment = attach(make_item(make_meeting()), docx_upload("a.docx", "Vindkraften."))
    with django_capture_on_commit_callbacks(execute=True):
        agenda_services.replace_attachment(
            attachment=attachment, uploaded_file=docx_upload("a.docx", "Solenergin."), user=None
        )
    assert search(kansli, "solenergin").total == 1
    assert search(kansli, "vindkraften").total == 0


def test_a_damaged_file_gives_no_text():
    with pytest.raises(extraction.Unreadable):
        extraction.extract_text(b"%PDF-1.4 broken", "trasig.pdf")


def test_reindex_search_rebuilds_everything_with_progress(kansli):
    meeting = make_meeting()
    item = make_item(meeting, title="Kompetensförsörjningen")
    attach(item, docx_upload("a.docx", "Vindkraftsetableringen."))
    SearchDocument.objects.all().delete()
    FileText.objects.all().delete()
    out = StringIO()
    call_command("reindex_search", stdout=out)
    assert "item" in out.getvalue() and "[####" in out.getvalue()
    assert search(kansli, "kompetensförsörjningen").total == 1
    assert search(kansli, "vindkraftsetableringen").total == 1
    assert SearchDocument.objects.filter(kind="attachment").count() == Attachment.objects.count()
