"""The meeting page's cached fragments (rus.fragments): never stale, never another reader's.

Each test looks at the page once (the fragment is cached), changes what the fragment shows or
who reads it, and looks again. Query counts are pinned for a cold and a warm cache.
"""

import datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from councils.models import Council, Membership
from meetings.models import AgendaItem, Meeting
from meetings.services import agenda as agenda_services
from rus.fragments import clear_cache, csrf_placeholder, fragment_key
from tests.factories import make_membership, make_organisation
from tests.meetings.factories import make_item, pdf_upload


def page(client, meeting):
    response = client.get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def item(meeting):
    return make_item(meeting, title="Regional kollektivtrafik", presenter_name="Extern")


def test_the_second_view_comes_from_the_cache(client, cast, meeting, item):
    client.force_login(cast.member)
    first = count_queries(client, meeting)
    assert count_queries(client, meeting) < first  # the items are not read again
    agenda = page(client, meeting).split('<section id="agenda"')[1]
    assert page(client, meeting).split('<section id="agenda"')[1] == agenda


def test_cached_agenda_shows_an_edited_item(client, cast, meeting, item):
    client.force_login(cast.member)
    assert "Regional kollektivtrafik" in page(client, meeting)
    agenda_services.update_item(item=item, user=None, version=item.version, title="Ny rubrik")
    content = page(client, meeting)
    assert "Ny rubrik" in content and "Regional kollektivtrafik" not in content


def test_cached_agenda_shows_a_new_attachment_and_a_mark(client, cast, meeting, item):
    client.force_login(cast.member)
    content = page(client, meeting)
    assert "Budgetunderlag" not in content and "Ej beredd" in content
    agenda_services.add_attachment(
        item=item, uploaded_file=pdf_upload(), user=None, title="Budgetunderlag"
    )
    # A bookkeeping field that leaves the item's version alone (UNVERSIONED_FIELDS).
    agenda_services.set_prepared(item=item, user=None, prepared=True)
    content = page(client, meeting)
    assert "Budgetunderlag" in content
    assert "Ej beredd" not in content.split('id="agenda"')[1]


def test_cached_agenda_shows_a_renamed_presenter_organisation(client, cast, meeting):
    organisation = make_organisation("Gamla kommunen")
    cast.presenter_person.organisation = organisation
    cast.presenter_person.save()
    make_item(meeting, title="Punkt med föredragande", presenter=cast.presenter_person)
    client.force_login(cast.member)
    assert organisation.name in page(client, meeting)
    organisation.name = "Omdöpt kommun"
    organisation.save()
    assert "Omdöpt kommun" in page(client, meeting)


def test_member_and_secretariat_see_their_own_controls(cast, meeting, item):
    member, secretariat = Client(), Client()
    member.force_login(cast.member)
    secretariat.force_login(cast.secretariat)
    for _ in range(2):  # cold, then warm: neither sees the other's fragment
        assert "Markera som beredd" not in page(member, meeting)
        assert "Markera som beredd" in page(secretariat, meeting)


def test_a_user_who_loses_a_role_loses_its_controls(client, cast, meeting, item):
    """A RUS group member who also sits in the council: the preparation controls go with the
    RUS group membership, at once."""
    person = cast.rus_group.person
    make_membership(person=person, council=meeting.council, organisation=person.organisation)
    client.force_login(cast.rus_group)
    assert "Markera som beredd" in page(client, meeting)
    Membership.objects.filter(person=person, council__kind=Council.Kind.PREPARATION).delete()
    content = page(client, meeting)
    assert "Regional kollektivtrafik" in content
    assert "Markera som beredd" not in content


def test_chair_sees_approval_only_while_chair(client, cast, meeting, item):
    client.force_login(cast.chair)
    assert 'id="approval"' in page(client, meeting)
    Membership.objects.filter(person=cast.chair.person, role=Membership.Role.CHAIR).update(
        role=Membership.Role.MEMBER
    )
    assert 'id="approval"' not in page(client, meeting)


def test_the_councils_approval_setting_is_part_of_the_key(client, cast, meeting, item):
    client.force_login(cast.secretariat)
    assert 'id="approval-chair-only"' not in page(client, meeting)
    council = meeting.council
    council.secretariat_may_approve_for_chair = False
    council.save()  # a new version
    assert 'id="approval-chair-only"' in page(client, meeting)


def test_language_is_part_of_the_key(client, cast, meeting, item):
    client.force_login(cast.member)
    assert '<h2 id="agenda-heading">Dagordning</h2>' in page(client, meeting)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<h2 id="agenda-heading">Agenda</h2>' in page(client, meeting)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    assert '<h2 id="agenda-heading">Dagordning</h2>' in page(client, meeting)


def test_the_meeting_state_is_part_of_the_key(client, cast, meeting, item):
    client.force_login(cast.member)
    assert "Utkast – under beredning." in page(client, meeting)
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.AGENDA_APPROVED, updated_at=timezone.now()
    )
    assert "Utkast – under beredning." not in page(client, meeting)


def test_each_reader_gets_their_own_csrf_token(cast, meeting, item):
    """The secretariat's fragment holds forms: cached once, each page carries the reader's own
    token, and a plain form post with it is accepted."""
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(cast.secretariat)
    second.force_login(cast.rus_group)
    page(first, meeting)
    content = page(second, meeting)
    assert csrf_placeholder() not in content
    token = content.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = second.post(
        reverse("meetings:item_prepared", args=[meeting.pk, item.pk]),
        {"prepared": "1", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.is_prepared


def test_htmx_agenda_fragment_comes_from_the_same_cache(client, cast, meeting, item):
    client.force_login(cast.member)
    full = page(client, meeting)
    response = client.get(
        reverse("meetings:meeting_detail", args=[meeting.pk]), headers={"HX-Request": "true"}
    )
    fragment = response.content.decode()
    assert fragment.startswith('\n<section id="agenda"') or fragment.lstrip().startswith(
        '<section id="agenda"'
    )
    assert fragment.strip() in full


def test_fragment_key_depends_on_language_and_parts():
    from django.utils import translation

    with translation.override("sv"):
        swedish = fragment_key("x", [1, 2])
        assert fragment_key("x", [1, 2]) == swedish
        assert fragment_key("x", [1, 3]) != swedish
    with translation.override("en"):
        assert fragment_key("x", [1, 2]) != swedish


def test_clear_cache_forgets_fragments():
    cache.set("fragment:test", "x")
    clear_cache()
    assert cache.get("fragment:test") is None


# --- Query counts -------------------------------------------------------------------------------
# Session, user, person, memberships, meeting; the agenda's state (items, attachments: the key);
# the panels. On a miss the items with their goals, dimensions, attachments and versions too.


def count_queries(client, meeting):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page(client, meeting)
    return len(queries)


@pytest.mark.parametrize(
    ("who", "cold", "warm"),
    [("member", 12, 8), ("secretariat", 18, 14)],
)
def test_query_counts_are_pinned_and_do_not_grow(client, cast, meeting, who, cold, warm):
    client.force_login(getattr(cast, who))
    for size in (3, 30):
        while meeting.items.filter(is_standing=False).count() < size:
            make_item(meeting, kind=AgendaItem.Kind.POSITION, presenter_name="Extern")
        clear_cache()
        assert count_queries(client, meeting) == cold
        assert count_queries(client, meeting) == warm


def test_approved_agenda_query_counts_for_a_member(client, cast, meeting, item):
    """With the kallelse med handlingar panel: it reuses the rows the page's key was made of."""
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.AGENDA_APPROVED,
        agenda_approved_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    client.force_login(cast.member)
    page(client, meeting)  # asks for the kallelse once
    clear_cache()
    cold = count_queries(client, meeting)
    warm = count_queries(client, meeting)
    assert (cold, warm) == (13, 9)
