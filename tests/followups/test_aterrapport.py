"""Återrapport (R9): the positions, what the organisation is expected to decide, its members'
dissents and the items for information, as PDF and .docx."""

import io

import pytest
from docx import Document

from followups import aterrapport
from protocols import services as protocol_services
from protocols.models import HomeDecision
from tests.followups.support import adjust, take_position

pytestmark = pytest.mark.django_db


@pytest.fixture
def adjusted(world):
    protocol = protocol_services.open_protocol(meeting=world.meeting, user=world.secretariat)
    entry = take_position(protocol.entries.get(agenda_item=world.position))
    HomeDecision.objects.filter(entry=entry, organisation=world.sundsvall).update(expected="yes")
    member = protocol.attendance.get(membership=world.member)
    protocol_services.record_dissent(
        entry=entry, user=None, attendance=member, text="Sundsvall vill prioritera industrin."
    )
    return adjust(protocol)


def test_the_content_for_one_organisation(world, adjusted):
    data = aterrapport.content(adjusted, world.sundsvall)
    (position,) = data.positions
    assert position.text.startswith("Rådet står bakom")
    assert position.expected == "Ja" and position.state == "Väntar på beslut"
    assert [d.text for d in data.dissents] == ["Sundsvall vill prioritera industrin."]
    assert [e.title for e in data.information] == ["Läget i länet"]
    assert aterrapport.content(adjusted, world.region).dissents == []


def test_the_docx_holds_the_positions_dissents_and_information(world, adjusted):
    content, name = aterrapport.render_docx(adjusted, world.sundsvall)
    assert name.endswith(".docx") and "sundsvalls-kommun" in name
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert "Återrapport från Regionala samverkansrådet" in text
    assert "Formellt beslut väntas hos Sundsvalls kommun: Ja." in text
    assert "Sundsvall vill prioritera industrin." in text
    assert "Läget i länet" in text


def test_the_pdf_renders_with_the_shipped_fonts(world, adjusted):
    from pypdf import PdfReader

    content, name = aterrapport.render_pdf(adjusted, world.sundsvall)
    assert content.startswith(b"%PDF-") and name.endswith(".pdf")
    reader = PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Formellt beslut väntas hos Sundsvalls kommun: Ja." in text
    fonts = {
        str(font.get_object().get("/BaseFont"))
        for page in reader.pages
        for font in page["/Resources"].get_object()["/Font"].get_object().values()
    }
    assert any(font.endswith("+Samverkan-Sans") for font in fonts)  # the shipped font


def test_the_arsunderlag_holds_the_years_positions_and_the_coverage(world, adjusted):
    from pypdf import PdfReader

    year = adjusted.year
    content, name = aterrapport.render_arsunderlag(year=year)
    assert name == f"arsunderlag-{year}.pdf"
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
    )
    assert f"Årsunderlag {year}" in text
    assert "Gemensam hållning om EU:s sammanhållningspolitik" in text
    assert "Formella beslut: 0 av 2 beslutade, 2 väntar" in text
    assert "RUS-täckning" in text
