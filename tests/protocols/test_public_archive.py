"""The public archive (R15): anonymous visitors read adjusted protocols of councils that
publish, as HTML and PDF/A, and every position taken; an Atom feed; Last-Modified and ETag
answered with 304; the accessibility statement in every footer. Never a draft, never anyone's
e-mail address or phone number."""

import datetime
import re

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from councils.models import Person
from meetings.models import AgendaItem
from protocols import services
from protocols.models import Protocol
from tests.factories import make_user
from tests.meetings.factories import make_item
from tests.protocols.archive_support import (
    DISSENT_TEXT,
    POSITION_TEXT,
    adjust,
    adjust_correction,
    minuted_protocol,
)
from tests.protocols.support import started_meeting
from tests.rus.strategy_factories import make_focus_area, make_plan, make_strategy

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE = "070-123 45 67"


@pytest.fixture
def archive(world):
    """The world's meeting adjusted and published (its position in a focus area), every
    person with a phone number, and a second meeting whose protocol is still a draft."""
    world.council.publishes_protocols = True
    world.council.save()
    focus_area = make_focus_area(make_plan(make_strategy(), year=2026), title="Påverkansagenda")
    AgendaItem.objects.filter(pk=world.position.pk).update(focus_area=focus_area)
    protocol = adjust(world, minuted_protocol(world))
    Person.objects.update(phone=PHONE)
    later = started_meeting(world.council, title="Senare möte")
    make_item(later, title="Hemlig punkt i utkast", kind=AgendaItem.Kind.INFORMATION)
    draft = services.open_protocol(meeting=later, user=world.secretariat)
    world.focus_area = focus_area
    return world, protocol, draft


def public_urls(protocol, council):
    return [
        reverse("archive:index"),
        reverse("archive:council", args=[council.slug]),
        reverse("archive:protocol", args=[protocol.pk]),
        reverse("archive:positions"),
        reverse("archive:feed"),
    ]


def test_anonymous_finds_the_council_the_protocol_and_its_pdf(client, archive):
    world, protocol, _draft = archive
    index = client.get(reverse("archive:index")).text
    assert world.council.name in index
    council_page = client.get(reverse("archive:council", args=[world.council.slug])).text
    assert f'id="ar-{protocol.year}"' in council_page
    assert reverse("archive:protocol", args=[protocol.pk]) in council_page
    assert reverse("archive:protocol_pdf", args=[protocol.pk]) in council_page
    page = client.get(reverse("archive:protocol", args=[protocol.pk])).text
    assert POSITION_TEXT in page
    assert DISSENT_TEXT in page
    assert "Ladda ner som PDF/A" in page
    response = client.get(reverse("archive:protocol_pdf", args=[protocol.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_anonymous_requesting_a_draft_by_its_url_gets_404(client, archive):
    world, _protocol, draft = archive
    assert client.get(reverse("archive:protocol", args=[draft.pk])).status_code == 404
    assert client.get(reverse("archive:protocol_pdf", args=[draft.pk])).status_code == 404
    # The members' page of the draft asks for a login; nothing of it is shown.
    response = client.get(reverse("protocols:draft", args=[draft.meeting_id]))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    for url in public_urls(_protocol, world.council):
        assert "Hemlig punkt i utkast" not in client.get(url).content.decode()


def test_a_protocol_out_for_justering_is_not_public(client, archive):
    _world, _protocol, draft = archive
    Protocol.objects.filter(pk=draft.pk).update(status=Protocol.Status.SENT_FOR_ADJUSTMENT)
    assert client.get(reverse("archive:protocol", args=[draft.pk])).status_code == 404


def test_a_council_that_does_not_publish_shows_nothing(client, archive):
    world, protocol, _draft = archive
    world.council.publishes_protocols = False
    world.council.save()
    assert client.get(reverse("archive:protocol", args=[protocol.pk])).status_code == 404
    assert client.get(reverse("archive:protocol_pdf", args=[protocol.pk])).status_code == 404
    assert client.get(reverse("archive:council", args=[world.council.slug])).status_code == 404
    assert POSITION_TEXT not in client.get(reverse("archive:positions")).text
    # Signed in as a member changes nothing: the archive is the archive.
    client.force_login(world.member.person.user)
    assert client.get(reverse("archive:protocol", args=[protocol.pk])).status_code == 404


def test_public_pages_carry_no_email_address_or_phone_number(client, archive):
    world, protocol, _draft = archive
    addresses = set(Person.objects.exclude(email="").values_list("email", flat=True))
    addresses |= {u.email for u in type(world.secretariat).objects.all() if u.email}
    assert addresses
    for url in public_urls(protocol, world.council):
        html = client.get(url).content.decode()
        assert EMAIL.findall(html) == [], url
        assert PHONE not in html, url
    # Names, organisations and capacities of those present are there.
    page = client.get(reverse("archive:protocol", args=[protocol.pk])).text
    assert world.member.person.full_name in page
    assert "Sundsvalls kommun" in page
    assert "Ledamot" in page


def test_positions_show_date_paragraph_text_and_focus_area_and_filter(client, archive):
    world, protocol, _draft = archive
    entry = protocol.entries.get(outcome="consensus")
    url = reverse("archive:positions")
    page = client.get(url).text
    assert POSITION_TEXT in page
    assert f"§ {entry.number}/{entry.year}" in page
    assert "Påverkansagenda" in page
    assert timezone.localtime(world.meeting.starts_at).strftime("%Y-%m-%d") in page
    assert f"#dokument-paragraf-{entry.pk}" in page
    for query in (
        {"rad": world.council.slug},
        {"ar": entry.year},
        {"fokusomrade": world.focus_area.pk},
    ):
        assert POSITION_TEXT in client.get(url, query).text, query
    response = client.get(url, {"ar": "nittonhundra"})
    assert response.status_code == 400
    assert "Filtret innehöll ett värde som inte finns" in response.text


def test_a_filter_leaves_out_other_focus_areas(client, archive):
    world, _protocol, _draft = archive
    other = make_focus_area(world.focus_area.plan, title="Strategisk finansiering")
    url = reverse("archive:positions")
    # A focus area nobody took a position in is not offered, so asking for it is refused.
    assert client.get(url, {"fokusomrade": other.pk}).status_code == 400
    second = started_meeting(world.council, title="Finansieringsmöte")
    item = make_item(
        second,
        title="Gemensam medfinansiering",
        kind=AgendaItem.Kind.POSITION,
        target_area=world.position.target_area,
        focus_area=other,
        background="Bakgrund.",
    )
    protocol = services.open_protocol(meeting=second, user=world.secretariat)
    entry = protocol.entries.get(agenda_item=item)
    services.save_entry(
        entry=entry,
        user=None,
        version=entry.version,
        minutes="",
        outcome="consensus",
        outcome_text="Rådet enas om medfinansiering.",
    )
    adjust(world, protocol)
    everything = client.get(url).text
    assert POSITION_TEXT in everything and "Rådet enas om medfinansiering." in everything
    only_other = client.get(url, {"fokusomrade": other.pk}).text
    assert "Rådet enas om medfinansiering." in only_other and POSITION_TEXT not in only_other
    only_first = client.get(url, {"fokusomrade": world.focus_area.pk}).text
    assert POSITION_TEXT in only_first and "Rådet enas om medfinansiering." not in only_first


def test_atom_feed_lists_new_protocols_and_positions(client, archive):
    _world, protocol, draft = archive
    response = client.get(reverse("archive:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    assert "<feed" in feed and "Ställningstagande §" in feed
    assert reverse("archive:protocol", args=[protocol.pk]) in feed
    assert POSITION_TEXT in feed
    assert "Hemlig punkt i utkast" not in feed


def test_conditional_gets_are_answered_304_and_pages_are_cacheable(client, archive):
    world, protocol, _draft = archive
    for url in public_urls(protocol, world.council):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["ETag"] and response["Last-Modified"], url
        assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
        assert "Cookie" in response["Vary"]
        assert not response.cookies, url  # nothing personal: no session, no CSRF cookie
        again = client.get(url, headers={"If-None-Match": response["ETag"]})
        assert again.status_code == 304, url
        since = client.get(url, headers={"If-Modified-Since": response["Last-Modified"]})
        assert since.status_code == 304, url
        assert client.head(url).status_code == 200, url  # caches and feed readers ask HEAD


def test_a_change_to_the_archive_changes_the_validators(client, archive):
    world, protocol, _draft = archive
    url = reverse("archive:index")
    first = client.get(url)
    later = started_meeting(
        world.council, starts_at=timezone.now() - datetime.timedelta(minutes=30), title="Nytt"
    )
    make_item(later, title="Ny punkt", kind=AgendaItem.Kind.INFORMATION)
    with TestCase.captureOnCommitCallbacks(execute=True):
        newer = services.open_protocol(meeting=later, user=world.secretariat)
    adjust(world, newer)
    response = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]


def test_every_public_page_links_the_accessibility_statement(client, archive):
    world, protocol, _draft = archive
    statement = reverse("archive:accessibility")
    for url in public_urls(protocol, world.council)[:4]:
        assert f'href="{statement}"' in client.get(url).text, url
    page = client.get(statement).text
    assert "Tillgänglighetsredogörelse" in page
    assert "delvis förenligt" in page
    assert "Det här är inte tillgängligt ännu" in page
    assert "DIGG" in page and "Rapportera brister" in page


def test_a_visitor_switches_the_archive_to_english_and_back_with_a_link(client, archive):
    """The archive has no form (it carries no CSRF token, to stay cacheable): a plain link sets
    the language cookie and comes back to the same page, which each language caches apart."""
    world, protocol, _draft = archive
    url = reverse("archive:protocol", args=[protocol.pk])
    swedish = client.get(url)
    link = re.search(r'<a href="([^"]+)" lang="en" hreflang="en">In English</a>', swedish.text)
    assert link, "the Swedish page links its English version"
    switched = client.get(link.group(1).replace("&amp;", "&"))
    assert switched.status_code == 302 and switched["Location"] == url
    assert switched.cookies["django_language"].value == "en"
    english = client.get(url)
    assert english["Content-Language"] == "en" and '<html lang="en">' in english.text
    assert english["ETag"] != swedish["ETag"]
    assert ">På svenska</a>" in english.text
    back = re.search(r'<a href="([^"]+)" lang="sv" hreflang="sv">', english.text).group(1)
    client.get(back.replace("&amp;", "&"))
    assert client.get(url)["Content-Language"] == "sv"


def test_the_language_link_goes_nowhere_but_this_site(client):
    response = client.get(
        reverse("choose_language", args=["en"]), {"next": "https://elsewhere.example.org/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("archive:index")
    assert client.get(reverse("choose_language", args=["de"])).status_code == 404


def test_the_start_page_and_the_login_page_link_the_archive(client, archive):
    index = reverse("archive:index")
    assert f'href="{index}"' in client.get(reverse("login")).text
    client.force_login(make_user("nagon"))
    assert f'href="{index}"' in client.get(reverse("home")).text


# The protocol page: 12 since its signature block marks who signed on paper (one query for the
# signatories, whatever their number).
@pytest.mark.parametrize(
    ("name", "queries"),
    [("index", 8), ("council", 7), ("protocol", 12), ("positions", 9), ("feed", 7)],
)
def test_query_counts_are_pinned(client, archive, name, queries, django_assert_num_queries):
    world, protocol, _draft = archive
    args = {"council": [world.council.slug], "protocol": [protocol.pk]}.get(name, [])
    url = reverse(f"archive:{name}", args=args)
    with django_assert_num_queries(queries):
        etag = client.get(url)["ETag"]
    with django_assert_num_queries(3):  # the validators alone: nothing of the page is built
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_a_correction_is_public_once_adjusted_linked_both_ways_and_replaces_the_positions(
    client, archive
):
    world, protocol, _draft = archive
    correction = services.start_correction(
        protocol=protocol, user=world.secretariat, reason="Fel organisation i § 3."
    )
    # A correction in the making is a draft: not public.
    assert client.get(reverse("archive:protocol", args=[correction.pk])).status_code == 404
    adjust_correction(world, correction, outcome_text="Rättad text: rådet står bakom hållningen.")
    original_page = client.get(reverse("archive:protocol", args=[protocol.pk])).text
    assert "Det här protokollet har rättats." in original_page
    assert reverse("archive:protocol", args=[correction.pk]) in original_page
    assert POSITION_TEXT in original_page  # the original stays as it was
    correction_page = client.get(reverse("archive:protocol", args=[correction.pk])).text
    assert reverse("archive:protocol", args=[protocol.pk]) in correction_page
    assert "Fel organisation i § 3." in correction_page
    positions = client.get(reverse("archive:positions")).text
    assert "Rättad text: rådet står bakom hållningen." in positions
    assert POSITION_TEXT not in positions
    assert client.get(reverse("archive:protocol_pdf", args=[correction.pk])).status_code == 200


def test_the_protocol_writes_its_times_as_the_rest_of_the_app(client, archive):
    """One time format everywhere: "kl. 09.00", never "09:00"."""
    _world, protocol, _draft = archive
    meeting = protocol.meeting
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    page = client.get(reverse("archive:protocol", args=[protocol.pk])).text
    assert f"kl. {start:%H.%M}–{end:%H.%M}" in page
    assert f"{start:%H:%M}" not in page
