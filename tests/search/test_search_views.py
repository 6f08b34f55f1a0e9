"""The search page /sok/: for every role, without JavaScript and as htmx fragments."""

import pytest
from django.urls import reverse

from tests.search.support import ATTACHMENT_WORD, DRAFT_WORD, PUBLIC_WORD

pytestmark = pytest.mark.django_db

URL = reverse("search:search")


def test_anonymous_finds_only_the_public_archive_on_the_public_layout(client, world):
    response = client.get(URL, {"q": PUBLIC_WORD})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"/arkiv/protokoll/{world.protocol.pk}/#dokument-paragraf-" in html
    assert "/moten/" not in html
    assert "csrfmiddlewaretoken" not in html  # nothing of the visitor (public/base.html)


def test_anonymous_does_not_find_a_draft(client, world):
    html = client.get(URL, {"q": DRAFT_WORD}).content.decode()
    assert "Inga träffar" in html
    assert DRAFT_WORD in html  # only as the question asked
    assert "Extramöte" not in html


def test_a_member_sees_counts_snippets_and_links(client, world):
    client.force_login(world.member_a)
    html = client.get(URL, {"q": PUBLIC_WORD}).content.decode()
    assert "Dagordningspunkter (1)" in html
    assert "Protokollsparagrafer (1)" in html
    assert "<mark>" in html
    assert reverse("meetings:item_detail", args=[world.a.meeting.pk, world.a.position.pk]) in html


def test_a_member_of_another_council_does_not_see_its_attachment(client, world):
    client.force_login(world.member_a)
    html = client.get(URL, {"q": ATTACHMENT_WORD}).content.decode()
    assert "Inga träffar" in html
    assert "Fiskevård" not in html
    client.force_login(world.member_b)
    html = client.get(URL, {"q": ATTACHMENT_WORD}).content.decode()
    assert "Bilagor (1)" in html
    url = reverse(
        "meetings:attachment_download",
        args=[world.attachment.item.meeting_id, world.attachment.pk],
    )
    assert url in html


def test_filters_narrow_the_results(client, world):
    client.force_login(world.secretariat)
    html = client.get(URL, {"q": PUBLIC_WORD, "kind": "paragraph"}).content.decode()
    assert 'aria-current="true">Protokollsparagrafer (1)' in html
    assert reverse("meetings:item_detail", args=[world.a.meeting.pk, world.a.position.pk]) not in (
        html
    )
    html = client.get(URL, {"q": PUBLIC_WORD, "council": world.council_b.pk}).content.decode()
    assert "Inga träffar" in html


def test_an_unknown_filter_value_is_ignored_not_an_error(client, world):
    client.force_login(world.secretariat)
    response = client.get(URL, {"q": PUBLIC_WORD, "council": "999999", "kind": "nonsense"})
    assert response.status_code == 200
    assert "Protokollsparagrafer (1)" in response.content.decode()


def test_the_empty_page_says_what_to_try(client, world):
    client.force_login(world.member_a)
    html = client.get(URL).content.decode()
    assert "Citattecken söker en fras" in html


def test_htmx_gets_only_the_results(client, world):
    client.force_login(world.member_a)
    response = client.get(URL, {"q": PUBLIC_WORD}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert 'role="status"' in html
    assert "<mark>" in html


def test_the_page_reads_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    client.force_login(world.secretariat)
    # session, user, roles (person, memberships), years, councils, focus areas; then one
    # statement (its settings sent with it) for the counts and the page's rows with their
    # headlines — however many rows match.
    with django_assert_num_queries(8):
        html = client.get(URL, {"q": "rådet"}).content.decode()
    assert "Protokollsparagrafer (" in html, html
    # Fewer than three hits: the typo pass looks the word up in the dictionary and counts what
    # its similar words find (nothing more here).
    with django_assert_num_queries(10):
        client.get(URL, {"q": PUBLIC_WORD})


def test_every_page_has_the_search_field_in_its_header(client, world):
    client.force_login(world.member_a)
    for url in (reverse("home"), reverse("meetings:meeting_list")):
        html = client.get(url).content.decode()
        assert 'role="search"' in html and 'for="site-search"' in html
    client.logout()
    html = client.get(reverse("archive:index")).content.decode()
    assert 'role="search"' in html and 'for="site-search"' in html


def test_the_page_in_english(client, world):
    client.force_login(world.member_a)
    client.cookies["django_language"] = "en"
    html = client.get(URL, {"q": PUBLIC_WORD}).content.decode()
    assert "Agenda items (1)" in html


def test_a_members_page_reads_their_rights_once(client, world, django_assert_num_queries):
    client.force_login(world.member_a)
    # The secretariat's queries, and the member's meetings and the public protocols read
    # once (for the year filter and the search alike); the member finds two paragraphs, so
    # the typo pass runs too (two more).
    with django_assert_num_queries(12):
        html = client.get(URL, {"q": "rådet"}).content.decode()
    assert "2 träffar" in html
