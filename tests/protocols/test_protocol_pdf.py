"""The protocol PDF/A-2b (R8): rendered by Celery when the protocol is adjusted, once per
version, from the same document template as the HTML, with the justering log on its last page;
its state on the protocol page."""

import io
import re

import pytest
from django.test import TestCase
from django.urls import reverse
from pypdf import PdfReader

from protocols import documents, pdf
from protocols.signals import protocol_adjusted
from rus.documents.models import RenderedDocument, RenderStatus
from rus.tasks import render_document
from tests.protocols.archive_support import DISSENT_TEXT, POSITION_TEXT, adjust, minuted_protocol

pytestmark = pytest.mark.django_db


@pytest.fixture
def adjusted(world):
    return adjust(world, minuted_protocol(world))


def pdf_text(document):
    reader = PdfReader(io.BytesIO(document.file.read()))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_adjusting_renders_the_pdf_once_with_its_checksum(adjusted):
    document = documents.pdf_document(adjusted)
    assert document.status == RenderStatus.DONE
    assert document.content_type == "application/pdf"
    assert re.fullmatch(r"[0-9a-f]{64}", document.sha256)
    assert document.page_count >= 2  # the protocol, then the justering log on a page of its own
    assert document.filename.startswith("protokoll-regionala-")
    assert document.version_key == adjusted.checksum  # one PDF per adjusted content
    # The signal again, and the task again: no second row, no second render.
    protocol_adjusted.send(sender=type(adjusted), protocol=adjusted)
    render_document.delay(document.pk)
    assert RenderedDocument.objects.for_object(documents.PDF_KIND, adjusted.pk).count() == 1
    assert RenderedDocument.objects.get(pk=document.pk).finished_at == document.finished_at


def test_the_pdf_is_pdf_a_2b_and_opens_in_pypdf(adjusted):
    reader, _text = pdf_text(documents.pdf_document(adjusted))
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part(>|=\")2", raw)
    assert re.search(r"pdfaid:conformance(>|=\")B", raw)
    assert "/OutputIntents" in reader.trailer["/Root"]
    assert reader.metadata.title.startswith("Protokoll Regionala samverkansrådet")


def test_the_pdf_text_has_paragraphs_positions_and_dissents(adjusted, world):
    _reader, text = pdf_text(documents.pdf_document(adjusted))
    flat = " ".join(text.split())
    numbers = list(adjusted.entries.values_list("number", flat=True))
    for number in numbers:
        assert f"§ {number}" in flat
    assert "Ställningstagande" in flat
    assert " ".join(POSITION_TEXT.split()) in flat
    assert DISSENT_TEXT in flat
    assert "Avvikande synpunkt" in flat
    assert "Justeringslogg" in flat
    # The last page: who adjusted, when, on which content.
    last = " ".join(_reader.pages[-1].extract_text().split())
    assert "Justeringslogg" in last
    assert world.chair.person.full_name in last and world.member.person.full_name in last
    assert "Protokollet justerat" in last
    assert adjusted.checksum in "".join(last.split())
    assert "Västernorrlands" in flat and "åäö" in flat
    assert "Utkast" not in flat  # an adjusted protocol is not a draft


def test_the_pdf_is_the_same_template_as_the_html_page(adjusted, client, world):
    html = pdf.protocol_html(adjusted)
    assert 'class="protocol-document"' in html
    client.force_login(world.member.person.user)
    page = client.get(reverse("protocols:draft", args=[world.meeting.pk])).text
    assert 'class="protocol-document"' in page


def test_a_draft_protocol_gets_no_pdf(world):
    protocol = minuted_protocol(world)
    protocol_adjusted.send(sender=type(protocol), protocol=protocol)
    assert documents.pdf_document(protocol) is None


def test_the_pdf_fetches_nothing_but_our_static_files(adjusted):
    html = pdf.protocol_html(adjusted)
    urls = re.findall(r'(?:href|src)="([^"]+)"|url\("([^"]+)"\)', html)
    fetched = [a or b for a, b in urls]
    assert fetched
    assert all(url.startswith("samverkan-static:") for url in fetched), fetched


def test_a_failing_render_is_retried_then_failed_and_the_secretariat_retries_it(
    world, client, settings, monkeypatch
):  # fmt: skip
    settings.DOCUMENT_RETRY_BACKOFF_SECONDS = 0
    # The stylesheet is missing (a deployment without its static files): every attempt fails.
    monkeypatch.setattr(pdf, "STYLESHEET", "css/finns-inte.css")
    protocol = adjust(world, minuted_protocol(world))
    document = documents.pdf_document(protocol)
    assert document.status == RenderStatus.FAILED
    assert document.attempts == settings.DOCUMENT_MAX_RETRIES + 1
    assert "misslyckades" in document.last_error

    url = reverse("protocols:draft", args=[world.meeting.pk])
    client.force_login(world.member.person.user)
    page = client.get(url).text
    assert "PDF kunde inte skapas." in page
    assert "Försök igen" not in page

    monkeypatch.setattr(pdf, "STYLESHEET", "css/protocol-pdf.css")
    client.force_login(world.secretariat)
    assert "Försök igen" in client.get(url).text
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("document_rerender", args=[document.pk]), {"next": url})
    assert response["Location"] == url
    document.refresh_from_db()
    assert document.status == RenderStatus.DONE
    assert "Ladda ner PDF" in client.get(url).text


def test_the_protocol_page_polls_while_the_pdf_is_made(world, client):
    protocol = adjust(world, minuted_protocol(world), execute=False)
    assert documents.pdf_document(protocol) is None  # the signal is sent on commit
    # What the receiver does, with the render task's publication held back (not committed).
    with TestCase.captureOnCommitCallbacks(execute=False):
        protocol_adjusted.send(sender=type(protocol), protocol=protocol)
    document = documents.pdf_document(protocol)
    assert document is not None and document.status == RenderStatus.QUEUED
    client.force_login(world.member.person.user)
    page = client.get(reverse("protocols:draft", args=[world.meeting.pk])).text
    assert "PDF skapas…" in page
    assert reverse("document_status", args=[document.pk]) in page


def test_readers_download_the_pdf_and_others_get_404(adjusted, client, world, django_user_model):
    document = documents.pdf_document(adjusted)
    url = reverse("document_download", args=[document.pk])
    client.force_login(world.member.person.user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    world.council.publishes_protocols = False
    world.council.save()
    client.force_login(django_user_model.objects.create_user("utomstaende", password="x"))
    assert client.get(url).status_code == 404


def test_a_real_worker_renders_the_pdf_once(world, celery_worker, settings):
    """Justering committed -> protocol_adjusted -> Redis -> a real Celery worker thread: the
    PDF is made once, off the request thread, and asking again adds nothing."""
    import threading
    import time

    from celery.signals import task_prerun

    protocol = minuted_protocol(world)
    worker_threads = []

    def remember_thread(sender=None, **kwargs):
        if sender is not None and sender.name == "rus.tasks.render_document":
            worker_threads.append(threading.current_thread())

    task_prerun.connect(remember_thread, weak=False)
    try:
        adjust(world, protocol)  # transactional: on_commit runs for real, the task goes to Redis
        deadline = time.monotonic() + 60
        document = documents.pdf_document(protocol)
        while document.status != RenderStatus.DONE and time.monotonic() < deadline:
            time.sleep(0.2)
            document.refresh_from_db()
        documents.request_pdf(protocol)
        time.sleep(1)  # a stray second render would show in the attempts
        document.refresh_from_db()
    finally:
        task_prerun.disconnect(remember_thread)
    assert document.status == RenderStatus.DONE
    assert document.attempts == 1
    assert RenderedDocument.objects.for_object(documents.PDF_KIND, protocol.pk).count() == 1
    assert worker_threads and all(t is not threading.main_thread() for t in worker_threads)


def test_a_signature_on_paper_is_marked_in_the_pdf_and_the_public_archive(client, world):
    from django.utils import timezone

    from protocols import canonical, services
    from tests.protocols.support import paper_protocol

    world.council.publishes_protocols = True
    world.council.save()
    protocol = paper_protocol(world)
    seen = canonical.checksum(protocol)
    services.record_paper_signature(
        signatory=protocol.signatories.get(on_paper=True),
        user=world.secretariat,
        checksum=seen,
        signed_on=timezone.localdate(),
    )
    services.approve(protocol=protocol, user=world.chair.person.user, checksum=seen)
    protocol.refresh_from_db()
    signed = f"{world.paper.person.full_name}, Region Västernorrland (på papper)"
    html = pdf.protocol_html(protocol)
    assert signed in html
    assert "Justerat på papper, registrerat av kansliet" in html
    assert "En justering på papper registreras av kansliet" in html
    public = client.get(reverse("archive:protocol", args=[protocol.pk])).content.decode()
    assert signed in public
    assert f"{world.chair.person.full_name} (på papper)" not in public
    assert f"{world.chair.person.full_name}</dd>" in public
