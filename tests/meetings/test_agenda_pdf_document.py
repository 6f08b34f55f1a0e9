"""The agenda PDF as a document: tagged for accessibility (PDF/UA-1), title
and language in its metadata, each item's estimated start, no last page of closing notes alone.
Read back with pypdf, the way a reader's software sees the file."""

import datetime
import io
import zoneinfo

import pytest
from pypdf import PdfReader

from meetings.models import AgendaItem
from meetings.pdf import render_agenda_pdf
from tests.factories import make_council
from tests.meetings.factories import make_item, make_meeting

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


@pytest.fixture
def meeting():
    meeting = make_meeting(
        make_council(name="Regionala samverkansrådet"),
        title="Månadsmöte",
        starts_at=datetime.datetime(2027, 2, 11, 9, 0, tzinfo=STOCKHOLM),
    )
    make_item(meeting, title="Strukturfondsprogrammet 2028+", estimated_minutes=20)
    make_item(meeting, title="Läget i länet", estimated_minutes=25)
    return meeting


def read(pdf):
    return PdfReader(io.BytesIO(pdf))


def test_the_pdf_is_tagged_with_its_title_and_language(meeting):
    reader = read(render_agenda_pdf(meeting))
    catalog = reader.trailer["/Root"]

    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert catalog["/Lang"] == "sv"
    assert (
        reader.metadata.title == "Kallelse: Månadsmöte, Regionala samverkansrådet 11 februari 2027"
    )
    # The XMP metadata declares PDF/UA-1.
    xmp = catalog["/Metadata"].get_object().get_data()
    assert b"pdfuaid" in xmp
    # The structure tree holds the document's headings and list, not only a page of marks.
    struct_types = set()

    def walk(node, depth=0):
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child, depth)
            return
        if hasattr(node, "get") and depth < 12:
            if "/S" in node:
                struct_types.add(node["/S"])
            if "/K" in node:
                walk(node["/K"], depth + 1)

    walk(catalog["/StructTreeRoot"])
    assert {"/H1", "/H2", "/H3", "/L", "/LI"} <= struct_types


def test_each_item_shows_its_estimated_start(meeting):
    text = "".join(page.extract_text() for page in read(render_agenda_pdf(meeting)).pages)
    # Three standing items of 5 minutes open the meeting at 09.00.
    for line in (
        "Öppnande\nca kl. 09.00, 5 min",
        "Godkännande av dagordningen\nca kl. 09.10, 5 min",
        "Strukturfondsprogrammet 2028+\nca kl. 09.15, 20 min",
        "Läget i länet\nca kl. 09.35, 25 min",
        "Avslutning\nca kl. 10.00",
    ):
        assert line in text, line


def test_the_closing_notes_take_the_last_item_along_to_the_last_page():
    """With this agenda the closing notes alone used to make a near-empty second page."""
    meeting = make_meeting(title="Månadsmöte")
    make_item(
        meeting,
        title="Punkt nummer 0",
        kind=AgendaItem.Kind.POSITION,
        background="Bakgrund " * 30,
        presenter_name="Extern Expert",
        presenter_email="e@x.se",
    )
    make_item(
        meeting,
        title="Punkt nummer 1",
        kind=AgendaItem.Kind.POSITION,
        background="Bakgrund " * 30,
        presenter_name="Extern Expert",
        presenter_email="e@x.se",
    )
    pages = read(render_agenda_pdf(meeting)).pages
    assert len(pages) == 2
    last = pages[-1].extract_text()
    assert "Ställningstaganden fattas i konsensus" in last
    assert "Avslutning" in last


def test_every_page_footer_names_the_council_whatever_its_name():
    """The footer is a CSS string literal (faster than string-set): quotes and "</style>" in a
    council's name stay text."""
    meeting = make_meeting(make_council(name='Rådet "Mitt" </style> \\ Norr'), title="Möte")
    for n in range(12):
        make_item(meeting, title=f"Punkt {n}", background="Bakgrund " * 60)
    pages = read(render_agenda_pdf(meeting)).pages
    assert len(pages) > 1
    for page in pages:
        assert 'Region Västernorrland · Rådet "Mitt" </style> \\ Norr' in page.extract_text()
