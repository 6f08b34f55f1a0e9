"""The OParl crawler on the demo data of `make run` (R15): from `System`, every URL in every
response is followed (bounded); every object resolves and has one of the standard's types,
every list paginates to its end, and the agenda items found are exactly the published ones —
among them the demo's published meeting, its positions and its protocol PDF."""

import pytest

from oparl import access
from protocols.documents import PDF_KIND
from rus.documents import rendering
from rus.documents.models import RenderedDocument
from tests.oparl.test_oparl import SCHEMA, TYPES, check_object, crawl, objects_in

pytestmark = pytest.mark.django_db


def render_the_protocol_pdfs():
    """The demo asks for its PDFs on commit, which the shared demo transaction never reaches:
    render them as the worker would."""
    for document in RenderedDocument.objects.filter(kind=PDF_KIND).exclude(status="done"):
        assert rendering.render(document.pk).status == "done"


def test_the_crawler_reaches_every_published_object_of_the_demo(client, demo):
    render_the_protocol_pdfs()
    responses = crawl(client, limit=5000)
    found = objects_in(responses)
    assert {obj["type"].removeprefix(SCHEMA) for obj in found} <= set(TYPES)
    for obj in found:
        check_object(obj)

    # Every list was followed to its last page, and the pages hold what the first one says.
    lists = {url: data for url, data in responses.items() if "pagination" in data}
    for url, data in lists.items():
        assert data["links"]["last"] in responses or data["links"]["last"] == url
    agenda_lists = [d for u, d in lists.items() if "/body/rvn/agenda-item/" in u]
    total = agenda_lists[0]["pagination"]["totalElements"]

    published = access.current_protocols().values_list("entries", flat=True)
    published = {pk for pk in published if pk is not None}
    items = {
        obj["id"] for obj in found if obj["type"].endswith("/AgendaItem") and not obj["deleted"]
    }
    assert total == len(published) == len(items) > 0

    meetings = [obj for obj in found if obj["type"].endswith("/Meeting")]
    assert meetings, "the demo's published meeting"
    assert any(obj.get("resultsProtocol") for obj in meetings), "its protocol PDF"
    papers = [obj for obj in found if obj["type"].endswith("/Paper") and not obj["deleted"]]
    assert papers, "its positions"
