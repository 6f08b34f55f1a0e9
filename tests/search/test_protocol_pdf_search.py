"""An adjusted protocol's PDF/A is found by its text (the attendance list, which no § row
holds), once the worker has rendered it and read it; the public only for a council that
publishes, the council's members always (R15)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from protocols.searchable import PROTOCOL_PDF
from search.models import FileText
from search.selectors import search
from tests.protocols.archive_support import adjust, minuted_protocol
from tests.protocols.support import setting

pytestmark = pytest.mark.django_db

NAME = "Zackrisson"  # only in the attendance list of the protocol


@pytest.fixture
def adjusted(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = setting()
    person = world.opposition.person
    person.family_name = NAME
    person.save()
    protocol = adjust(world, minuted_protocol(world))
    return world, protocol


def test_the_protocol_pdf_is_found_by_a_name_in_its_attendance_list(adjusted):
    world, protocol = adjusted
    assert FileText.objects.filter(key__startswith="protocol_pdf_file:", extracted=True).exists()
    results = search(world.member.person.user, NAME)
    kinds = [hit.kind for hit in results.hits]
    assert PROTOCOL_PDF in kinds
    hit = next(hit for hit in results.hits if hit.kind == PROTOCOL_PDF)
    assert hit.url.startswith("/dokument/")  # the council's member: the document itself


def test_the_public_finds_it_only_where_the_council_publishes(adjusted):
    world, protocol = adjusted
    assert search(AnonymousUser(), NAME).counts.get(PROTOCOL_PDF, 0) == 0
    world.council.publishes_protocols = True
    world.council.save()
    results = search(AnonymousUser(), NAME)
    assert results.counts.get(PROTOCOL_PDF) == 1
    hit = next(hit for hit in results.hits if hit.kind == PROTOCOL_PDF)
    assert hit.url == f"/arkiv/protokoll/{protocol.pk}/pdf/"
