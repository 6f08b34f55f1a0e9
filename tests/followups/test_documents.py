"""Återrapport and Årsunderlag as rendered documents: made by Celery when the protocol is
adjusted (every organisation, PDF and .docx) or when the secretariat asks (the year's PDF);
each read by those it is for (R9, R4, R13)."""

import pytest
from django.urls import reverse

from followups import documents
from protocols import services as protocol_services
from rus.documents.models import RenderedDocument
from tests.factories import make_council, make_member_user
from tests.followups.support import adjust, take_position

pytestmark = pytest.mark.django_db


@pytest.fixture
def adjusted(world):
    protocol = protocol_services.open_protocol(meeting=world.meeting, user=world.secretariat)
    take_position(protocol.entries.get(agenda_item=world.position))
    return adjust(protocol)


def reports(protocol, organisation):
    return RenderedDocument.objects.filter(
        kind__in=documents.REPORT_KINDS, object_key=documents.report_key(protocol, organisation)
    )


def test_adjusting_renders_every_organisations_report_as_pdf_and_docx_once(world, adjusted):
    for organisation in (world.sundsvall, world.region):
        rows = reports(adjusted, organisation)
        assert sorted(rows.values_list("kind", flat=True)) == sorted(documents.REPORT_KINDS)
        assert all(row.is_done for row in rows)
    count = RenderedDocument.objects.count()
    documents.request_reports(adjusted)
    assert RenderedDocument.objects.count() == count


def test_a_member_downloads_their_organisations_report(client, world, adjusted):
    client.force_login(world.member.person.user)
    page = client.get(reverse("followups:report_home", args=[adjusted.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<th scope="row">Sundsvalls kommun</th>' in html
    assert '<th scope="row">Region Västernorrland</th>' not in html
    assert html.count("Ladda ner") == 2
    docx = reports(adjusted, world.sundsvall).get(kind=documents.REPORT_DOCX)
    response = client.get(reverse("document_download", args=[docx.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
    other = reports(adjusted, world.region).get(kind=documents.REPORT_PDF)
    assert client.get(reverse("document_download", args=[other.pk])).status_code == 404


def test_a_member_of_another_council_has_no_report_page(client, world, adjusted):
    client.force_login(make_member_user(make_council(name="Stora samverkansrådet")))
    assert client.get(reverse("followups:report_home", args=[adjusted.pk])).status_code == 404


def test_the_secretariat_asks_for_the_arsunderlag_and_members_may_not(
    client, world, adjusted, django_capture_on_commit_callbacks
):
    url = reverse("followups:year_review")
    client.force_login(world.member.person.user)
    assert client.get(url).status_code == 403
    client.force_login(world.secretariat)
    assert client.get(url, {"ar": adjusted.year}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"ar": adjusted.year})
    assert response.status_code == 302
    document = RenderedDocument.objects.get(kind=documents.YEAR_PDF)
    assert document.object_key == f"{adjusted.year}-alla"
    assert document.is_done
    client.post(url, {"ar": adjusted.year})
    assert RenderedDocument.objects.filter(kind=documents.YEAR_PDF).count() == 1
