"""Agenda PDF and its HTML preview."""

import datetime
import email
import email.policy
import shutil
import subprocess

import pytest
from django.urls import reverse

from meetings import documents
from meetings import pdf as agenda_pdf_module
from meetings.models import AgendaItem, Meeting
from meetings.pdf import (
    PDF_ASSETS,
    RefusedURL,
    StaticOnlyURLFetcher,
    render_agenda_pdf,
    resolve_static,
)
from rus.documents.models import RenderedDocument, RenderStatus
from tests.factories import make_council, make_organisation, make_person
from tests.meetings.factories import Cast, make_item, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(focus_area):
    meeting = make_meeting(make_council(name="Regionala samverkansrådet"), title="Månadsmöte")
    presenter = make_person(
        given_name="Åsa", family_name="Öberg", organisation=make_organisation("Sundsvalls kommun")
    )
    make_item(
        meeting,
        title="Strukturfondsprogrammet 2028+",
        kind=AgendaItem.Kind.POSITION,
        focus_area=focus_area,
        background="Programmet ska förhandlas.",
        presenter=presenter,
    )
    make_item(
        meeting, title="Läget i länet", presenter_name="Extern Expert", presenter_email="e@x.se"
    )
    return meeting


def test_pdf_is_a_pdf_listing_items_with_kind_rus_link_and_presenter(meeting):
    pdf = render_agenda_pdf(meeting)
    assert pdf.startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed; the PDF header was checked")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    for expected in (
        "Kallelse med föredragningslista",
        "Regionala samverkansrådet",
        "Strukturfondsprogrammet 2028+",
        "Ställningstagande",
        "Strategisk finansiering",
        "Åsa Öberg",
        "Läget i länet",
        "Informationsärende",
        "Extern Expert",
        "Öppnande",
        "Avslutning",
    ):
        assert expected in text, expected


def test_pdf_uses_the_shipped_fonts(meeting, monkeypatch):
    fetched = []
    original = StaticOnlyURLFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticOnlyURLFetcher, "fetch", spy)
    pdf = render_agenda_pdf(meeting)
    assert "samverkan-static:fonts/LiberationSans-Regular.ttf" in fetched
    assert "samverkan-static:fonts/LiberationSans-Bold.ttf" in fetched
    if shutil.which("pdffonts"):
        fonts = subprocess.run(
            ["pdffonts", "-"], input=pdf, capture_output=True, check=False
        ).stdout.decode()
        assert "Samverkan-Sans" in fonts  # our @font-face family, not a system font


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/evil.css",
        "http://127.0.0.1:8000/static/css/app.css",
        "file:///etc/passwd",
        "ftp://example.org/x",
        "data:text/css,body{}",
        "samverkan-static:../../rus/settings.py",
        "samverkan-static:/etc/passwd",
        "samverkan-static:fonts/missing.ttf",
    ],
)
def test_url_fetcher_refuses_everything_but_our_static_files(url):
    with pytest.raises(RefusedURL):
        StaticOnlyURLFetcher().fetch(url)


def test_url_fetcher_serves_shipped_fonts():
    response = StaticOnlyURLFetcher().fetch("samverkan-static:fonts/LiberationSans-Regular.ttf")
    assert response.read(4) == b"\x00\x01\x00\x00"
    assert resolve_static("samverkan-static:fonts/LiberationSans-Bold.ttf").exists()


def test_external_image_in_content_is_not_fetched(meeting, monkeypatch):
    """Even user text that looks like HTML cannot make the renderer fetch anything."""
    calls = []
    original = StaticOnlyURLFetcher.fetch

    def spy(self, url, headers=None):
        calls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticOnlyURLFetcher, "fetch", spy)
    make_item(meeting, title='<img src="https://example.org/track.png">')
    render_agenda_pdf(meeting)
    assert calls and all(url.startswith("samverkan-static:") for url in calls)
    assert set(calls) <= {f"samverkan-static:{path}" for path in PDF_ASSETS.values()}


def test_member_downloads_pdf_rendered_by_the_worker_not_in_the_request(
    client, meeting, monkeypatch, django_capture_on_commit_callbacks
):
    """The request asks for the agenda version's document; the worker renders it
    (here the captured on-commit task, run eagerly) and the next request serves the file."""
    cast = Cast(meeting)
    client.force_login(cast.member)
    url = reverse("meetings:agenda_pdf", args=[meeting.pk])
    rendered = []
    real_render = agenda_pdf_module.render_agenda_pdf_with_pages
    monkeypatch.setattr(
        agenda_pdf_module,
        "render_agenda_pdf_with_pages",
        lambda meeting: rendered.append(meeting.pk) or real_render(meeting),
    )
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert "PDF-filen skapas" in response.content.decode()
        assert rendered == []  # nothing rendered in the request
        document = RenderedDocument.objects.get(kind=documents.AGENDA_KIND)
        assert document.status == RenderStatus.QUEUED
    assert len(callbacks) == 1  # the render task, published on commit
    callbacks[0]()  # the worker
    assert rendered == [meeting.pk]

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment;" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.get(url)
    assert rendered == [meeting.pk]  # once per agenda version
    assert RenderedDocument.objects.filter(kind=documents.AGENDA_KIND).count() == 1


def test_approval_renders_the_agenda_pdf_that_the_invitations_attach(
    meeting, monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    """Approving asks for the approved version's file (the worker renders it after commit);
    sending the invitations finds it done and renders nothing: the status it prints is the
    same before and after sending."""
    from meetings.services.agenda import approve_agenda
    from meetings.services.invitations.sending import send_invitations

    cast = Cast(meeting)
    meeting.items.update(is_prepared=True)
    rendered = []
    real_render = agenda_pdf_module.render_agenda_pdf_with_pages
    monkeypatch.setattr(
        agenda_pdf_module,
        "render_agenda_pdf_with_pages",
        lambda meeting: rendered.append(meeting.pk) or real_render(meeting),
    )
    with django_capture_on_commit_callbacks(execute=True):
        approve_agenda(meeting=meeting, user=None)
    assert rendered == [meeting.pk]
    document = RenderedDocument.objects.get(kind=documents.AGENDA_KIND)
    assert document.status == RenderStatus.DONE

    with django_capture_on_commit_callbacks(execute=True):
        send_invitations(meeting=meeting, user=cast.chair)
    assert rendered == [meeting.pk]  # nothing more
    assert RenderedDocument.objects.filter(kind=documents.AGENDA_KIND).count() == 1
    with document.file.open("rb") as handle:
        attached = handle.read()
    pdfs = [
        part.get_content()
        for message in mailoutbox
        for part in email.message_from_bytes(
            message.message().as_bytes(), policy=email.policy.default
        ).iter_attachments()
        if part.get_filename() == "dagordning.pdf"
    ]
    assert pdfs and all(content == attached for content in pdfs)


def test_preview_shows_same_content(client, meeting):
    cast = Cast(meeting)
    client.force_login(cast.chair)
    response = client.get(reverse("meetings:agenda_preview", args=[meeting.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Kallelse med föredragningslista" in content
    assert "Strukturfondsprogrammet 2028+" in content
    assert "Strategisk finansiering" in content
    # Styles and fonts from static files, none inline: the Content-Security-Policy allows no other.
    assert '<link rel="stylesheet" href="/static/css/agenda.css">' in content
    assert '<link rel="stylesheet" href="/static/css/fonts.css">' in content
    assert "<style" not in content and "style=" not in content


def test_agenda_before_approval_is_headed_as_a_draft_with_unprepared_items_marked(client):
    meeting = make_meeting(status=Meeting.Status.AGENDA_IN_PREPARATION)
    make_item(meeting, title="Matchning på arbetsmarknaden", is_prepared=False)
    make_item(meeting, title="Kompetensförsörjning", is_prepared=True)
    client.force_login(Cast(meeting).member)

    content = client.get(reverse("meetings:agenda_preview", args=[meeting.pk])).content.decode()

    assert "Utkast – under beredning" in content
    unprepared = content.split("Matchning på arbetsmarknaden", 1)[1].split("</li>", 1)[0]
    assert "Ej beredd" in unprepared
    prepared = content.split("Kompetensförsörjning", 1)[1].split("</li>", 1)[0]
    assert "Ej beredd" not in prepared


def test_approved_agenda_says_so_once(client, meeting):
    """Not "Dagordning godkänd, dagordningen godkänd 10 december 2026"; and the same after the
    invitations went out (the file rendered on approval is the one they attach)."""
    meeting.status = Meeting.Status.AGENDA_APPROVED
    meeting.agenda_approved_at = datetime.datetime(2026, 11, 28, 13, 0, tzinfo=datetime.UTC)
    meeting.save()
    client.force_login(Cast(meeting).chair)
    content = client.get(reverse("meetings:agenda_preview", args=[meeting.pk])).content.decode()
    assert "<td>Dagordningen godkänd 28 november 2026</td>" in content
    meeting.status = Meeting.Status.INVITATIONS_SENT
    meeting.save()
    content = client.get(reverse("meetings:agenda_preview", args=[meeting.pk])).content.decode()
    assert "<td>Dagordningen godkänd 28 november 2026</td>" in content
    meeting.status = Meeting.Status.HELD
    meeting.save()
    content = client.get(reverse("meetings:agenda_preview", args=[meeting.pk])).content.decode()
    assert "<td>Genomfört, dagordningen godkänd 28 november 2026</td>" in content


@pytest.mark.parametrize("name", ["agenda_pdf", "agenda_preview"])
def test_pdf_and_preview_access(client, meeting, name):
    cast = Cast(meeting)
    url = reverse(f"meetings:{name}", args=[meeting.pk])
    assert client.get(url).status_code == 302  # anonymous -> login
    client.force_login(cast.other_council_member)
    assert client.get(url).status_code == 404
    # A presenter sees their own items, not the whole agenda: the meeting is visible, the
    # whole agenda is refused.
    make_item(meeting, title="Egen punkt", presenter=cast.presenter_person)
    client.force_login(cast.presenter)
    assert client.get(url).status_code == 403
    client.force_login(cast.rus_group)
    assert client.get(url).status_code == 200


def test_cancelled_meeting_says_so(meeting):
    meeting.cancel()
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = render_agenda_pdf(meeting)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True).stdout
    assert "Sammanträdet är inställt." in text.decode()
