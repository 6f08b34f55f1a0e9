"""The demo of `make run`: seed_demo indexes everything, and "finansiering" finds focus-area
items, protocol paragraphs and an attachment, each linked; a visitor only the public archive."""

from django.contrib.auth.models import AnonymousUser

from search.selectors import search


def test_finansiering_finds_items_paragraphs_and_an_attachment(demo):
    results = search(demo["kansli"], "finansiering")
    assert {"item", "paragraph", "attachment"} <= set(results.counts)
    assert all(hit.url for hit in results.hits)
    attachment = next(hit for hit in results.hits if hit.kind == "attachment")
    assert "/bilagor/" in attachment.url
    assert "<mark>" in attachment.snippet


def test_anonymous_finds_only_published_paragraphs(demo):
    results = search(AnonymousUser(), "finansiering")
    assert results.total
    assert set(results.counts) == {"paragraph"}
    assert all(hit.url.startswith("/arkiv/protokoll/") for hit in results.hits)


def test_a_member_finds_their_councils_material(demo):
    results = search(demo["ledamot"], "finansiering")
    assert {"item", "paragraph", "attachment"} <= set(results.counts)
