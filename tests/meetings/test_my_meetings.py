"""'Mina möten' for a year of meetings: the next meeting open, the others compact with what
awaits the member, a council filter, and each meeting in full on its own page (htmx: in place)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councils.models import Membership
from meetings.models import Invitation, Mailing
from meetings.services.review import record_review
from tests.factories import make_council
from tests.meetings.factories import make_meeting
from tests.meetings.review_support import make_position_item

pytestmark = pytest.mark.django_db


def _organisation(user):
    return Membership.objects.get(person=user.person, council__isnull=False).organisation


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _year_of_meetings(council, count):
    meetings = []
    for month in range(count):
        meeting = make_meeting(council, days_ahead=14 + 30 * month, title=f"Månadsmöte {month + 1}")
        make_position_item(meeting, title=f"Ställningstagande {month + 1}")
        make_position_item(meeting, title=f"Andra ställningstagandet {month + 1}")
        meetings.append(meeting)
    return meetings


def test_the_next_meeting_is_open_and_the_others_are_compact(client, council, alice):
    meetings = _year_of_meetings(council, 14)
    client.force_login(alice)

    page = client.get(reverse("meetings:my_meetings")).content.decode()

    assert page.count('<ol class="my-agenda">') == 1
    assert "Ställningstagande 1" in page and "Ställningstagande 2" not in page
    assert page.count('class="card compact-meeting"') == 13
    assert (
        page.index("Månadsmöte 1") < page.index("Fler kommande möten") < page.index("Månadsmöte 2")
    )
    second = meetings[1]
    link = reverse("meetings:my_meeting", args=[second.pk])
    assert f'<a href="{link}" hx-get="{link}" hx-target="#kort-{second.pk}"' in page
    assert "2 ställningstaganden utan förhandsbesked" in page


def test_what_awaits_the_member_counts_answers_and_the_invitation(client, council, alice):
    first, second, third = _year_of_meetings(council, 3)
    for item in second.items.filter(title__startswith="Ställningstagande"):
        record_review(
            item=item,
            organisation=_organisation(alice),
            person=alice.person,
            anchored="yes",
            expects_dissent=False,
        )
    mailing = Mailing.objects.create(meeting=third, kind=Mailing.Kind.INVITATION, sequence=0)
    Invitation.objects.create(
        meeting=third,
        mailing=mailing,
        person=alice.person,
        name="Alice",
        email="alice@example.org",
        capacity=Invitation.Capacity.MEMBER,
    )
    client.force_login(alice)

    page = client.get(reverse("meetings:my_meetings")).content.decode()

    second_card = page.split(f'id="kort-{second.pk}"', 1)[1].split("</li>\n", 1)[0]
    assert "1 ställningstagande utan förhandsbesked" in second_card
    third_card = page.split(f'id="kort-{third.pk}"', 1)[1].split("</li>\n  </ul>", 1)[0]
    assert "Kallelsen är inte besvarad" in third_card
    assert "2 ställningstaganden utan förhandsbesked" in third_card


def test_the_list_filters_by_council(client, council, alice):
    other = make_council(name="Stora samverkansrådet")
    Membership.objects.create(
        person=alice.person,
        council=other,
        organisation=_organisation(alice),
        role=Membership.Role.MEMBER,
        side=Membership.Side.MAJORITY,
        start_date="2023-01-01",
    )
    _year_of_meetings(council, 2)
    make_meeting(other, days_ahead=20, title="Stora rådets möte")
    client.force_login(alice)

    everything = client.get(reverse("meetings:my_meetings")).content.decode()
    assert "Stora rådets möte" in everything and "Månadsmöte 2" in everything
    page = client.get(reverse("meetings:my_meetings") + f"?rad={other.slug}").content.decode()
    assert "Stora rådets möte" in page
    assert "Månadsmöte 1" not in page and "Månadsmöte 2" not in page
    assert 'aria-current="page">Stora samverkansrådet</a>' in page


def test_a_meeting_in_full_on_its_own_page_and_as_an_htmx_section(client, council, alice):
    first, second = _year_of_meetings(council, 2)
    client.force_login(alice)
    url = reverse("meetings:my_meeting", args=[second.pk])

    page = client.get(url).content.decode()
    assert "Ställningstagande 2" in page and "Ställningstagande 1" not in page
    assert f"Förhandsbesked för {_organisation(alice)}" in page
    assert "Fler kommande möten" not in page

    section = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert section.lstrip().startswith(f'<section class="card my-meeting" id="mote-{second.pk}"')
    assert "<html" not in section


def test_a_meeting_of_another_council_has_no_page_in_my_meetings(client, council, alice):
    other = make_meeting(make_council(), title="Annat råd")
    client.force_login(alice)
    assert client.get(reverse("meetings:my_meeting", args=[other.pk])).status_code == 404


def test_saving_an_answer_without_htmx_returns_to_the_meetings_own_page(client, council, alice):
    first, second = _year_of_meetings(council, 2)
    item = second.items.get(title="Ställningstagande 2")
    client.force_login(alice)

    response = client.post(
        reverse("meetings:review_record", args=[item.pk]),
        {"organisation": _organisation(alice).pk, "anchored": "yes", "expects_dissent": "no"},
    )

    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("meetings:my_meeting", args=[second.pk]) + f"#punkt-{item.pk}"
    )


def test_the_query_count_does_not_grow_with_a_year_of_meetings(client, council, alice):
    _year_of_meetings(council, 2)
    client.force_login(alice)
    url = reverse("meetings:my_meetings")
    client.get(url)
    few = _count_queries(client, url)
    _year_of_meetings(council, 12)
    assert _count_queries(client, url) == few
