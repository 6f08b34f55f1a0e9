"""The pages that grow (a year of meetings, 60 members, 30 organisations): query counts pinned
at two sizes, and their cached fragments (the proposal queue's rows, the review matrix's
table) changing with what they show."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from councils.models import Membership
from meetings.models import Invitation, ItemProposal, ItemQuestion, ItemReview
from meetings.services.invitations import sending
from meetings.services.review import record_review
from rus.fragments import clear_cache
from tests.factories import (
    make_member_user,
    make_membership,
    make_rus_group_user,
    make_secretariat_user,
)
from tests.meetings.factories import make_meeting
from tests.meetings.invitation_support import make_invitation_setup
from tests.meetings.review_support import make_position_item, make_proposal

pytestmark = pytest.mark.django_db


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def organisation_of(user):
    return Membership.objects.filter(person=user.person).first().organisation


def answer(member, item, **fields):
    fields = {"anchored": "yes", "expects_dissent": False} | fields
    return record_review(
        item=item, organisation=organisation_of(member), person=member.person, **fields
    )


# --- Mina möten ---------------------------------------------------------------------------------


def test_mina_moten_queries_are_pinned_for_a_year_of_meetings(client, council, alice):
    url = reverse("meetings:my_meetings")
    client.force_login(alice)
    counts = []
    for meetings in (2, 14):
        while council.meetings.count() < meetings:
            n = council.meetings.count()
            meeting = make_meeting(council, days_ahead=14 + 30 * n)
            item = make_position_item(meeting)
            answer(alice, item)
            ItemQuestion.objects.create(item=item, asked_by=alice.person, question="?")
        get(client, url)
        counts.append(get(client, url)[1])
    assert counts == [13, 13]


# --- The proposal queue -------------------------------------------------------------------------


def test_queue_queries_are_pinned(client, council, rus_user):
    make_meeting(council)
    url = reverse("meetings:proposal_queue")
    client.force_login(rus_user)
    counts = []
    for size in (3, 30):
        while ItemProposal.objects.open().count() < size:
            make_proposal(make_member_user(council))
        clear_cache()
        cold = get(client, url)[1]
        counts.append((cold, get(client, url)[1]))
    assert counts == [(8, 8), (8, 8)]


def test_cached_queue_row_follows_the_proposal_and_the_meetings(client, council, alice, rus_user):
    meeting = make_meeting(council, title="Junimötet")
    proposal = make_proposal(alice, title="Gemensam upphandling")
    client.force_login(rus_user)
    page = get(client, reverse("meetings:proposal_queue"))[0]
    assert "Gemensam upphandling" in page and "Augustimötet" not in page
    proposal.title = "Gemensam upphandling av fordon"
    proposal.save()  # a new version
    make_meeting(council, days_ahead=60, title="Augustimötet")
    page = get(client, reverse("meetings:proposal_queue"))[0]
    assert "Gemensam upphandling av fordon" in page
    assert page.count("Augustimötet") == 2  # offered by both of the row's forms
    meeting.title = "Midsommarmötet"
    meeting.save()
    assert "Midsommarmötet" in get(client, reverse("meetings:proposal_queue"))[0]


def test_each_reader_of_the_queue_gets_their_own_csrf_token(council, alice):
    make_meeting(council)
    make_proposal(alice)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(make_rus_group_user(username="rus-a"))
    second.force_login(make_rus_group_user(username="rus-b"))
    get(first, reverse("meetings:proposal_queue"))
    page = get(second, reverse("meetings:proposal_queue"))[0]
    assert 'value="csrf-' not in page  # the placeholder is replaced
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = second.post(
        reverse("meetings:proposal_decline", args=[ItemProposal.objects.get().pk]),
        {"reason": "Inte nu.", "version": 1, "csrfmiddlewaretoken": token},
    )
    assert response.status_code in (200, 302)
    assert ItemProposal.objects.get().status == ItemProposal.Status.DECLINED


# --- The review matrix --------------------------------------------------------------------------


def matrix_url(meeting):
    return reverse("meetings:review_matrix", args=[meeting.pk])


def test_matrix_queries_are_pinned_at_two_sizes(client, council, meeting):
    client.force_login(make_secretariat_user())
    counts = []
    for organisations, items in ((2, 2), (8, 6)):
        members = [make_member_user(council) for _ in range(organisations)]
        for _ in range(items):
            item = make_position_item(meeting)
            for member in members:
                answer(member, item, expects_dissent=True, comment="Tveksamma")
        clear_cache()
        counts.append((get(client, matrix_url(meeting))[1], get(client, matrix_url(meeting))[1]))
    assert counts == [(8, 8), (8, 8)]


def test_cached_matrix_changes_when_an_organisation_changes_its_answer(client, council, meeting):
    item = make_position_item(meeting, title="Regional tågtrafik")
    member = make_member_user(council)
    answer(member, item)
    client.force_login(make_secretariat_user())
    page = get(client, matrix_url(meeting))[0]
    assert "cell-at-risk" not in page
    answer(member, item, expects_dissent=True, comment="Vi väntar en avvikande synpunkt.")
    page = get(client, matrix_url(meeting))[0]
    assert "cell-at-risk" in page and "Vi väntar en avvikande synpunkt." in page
    ItemReview.objects.filter(item=item).delete()
    page = get(client, matrix_url(meeting))[0]
    assert "Vi väntar en avvikande synpunkt." not in page


def test_cached_matrix_follows_items_and_language(client, council, meeting):
    item = make_position_item(meeting, title="Regional tågtrafik")
    answer(make_member_user(council), item)
    client.force_login(make_secretariat_user())
    assert "Förankrat:" in get(client, matrix_url(meeting))[0]
    item.title = "Regional busstrafik"
    item.save()
    assert "Regional busstrafik" in get(client, matrix_url(meeting))[0]
    client.cookies["django_language"] = "en"
    page = get(client, matrix_url(meeting))[0]
    assert "Förankrat:" not in page


# --- The invitation progress page ---------------------------------------------------------------


def test_progress_queries_are_pinned_at_two_sizes(client, django_capture_on_commit_callbacks):
    setup = make_invitation_setup(members=3)
    with django_capture_on_commit_callbacks(execute=True):
        sending.send_invitations(meeting=setup.meeting, user=setup.chair_user)
    client.force_login(setup.chair_user)
    url = reverse("meetings:invitation_progress", args=[setup.meeting.pk])
    get(client, url)
    counts = [get(client, url)[1]]
    mailing = setup.meeting.mailings.get()
    for n in range(57):
        Invitation.objects.create(
            meeting=setup.meeting,
            mailing=mailing,
            name=f"Extra {n}",
            email=f"extra{n}@example.org",
            capacity=Invitation.Capacity.MEMBER,
            reply=Invitation.Reply.ATTENDING if n % 2 else "",
            replied_at=timezone.now() if n % 2 else None,
            reply_channel=Invitation.Channel.LINK if n % 2 else "",
        )
    counts.append(get(client, url)[1])
    assert counts == [12, 12]


def test_progress_shows_each_recipients_labels(client, django_capture_on_commit_callbacks):
    setup = make_invitation_setup(members=2)
    with django_capture_on_commit_callbacks(execute=True):
        sending.send_invitations(meeting=setup.meeting, user=setup.chair_user)
    client.force_login(setup.chair_user)
    url = reverse("meetings:invitation_progress", args=[setup.meeting.pk])
    page = get(client, url)[0]
    assert "Skickad" in page and "Ledamot" in page
    client.cookies["django_language"] = "en"
    assert "Sent" in get(client, url)[0]


# --- The council page ---------------------------------------------------------------------------


def test_council_page_queries_are_pinned_at_two_sizes(client, council):
    client.force_login(make_secretariat_user())
    counts = []
    for members in (6, 60):
        while council.memberships.count() < members:
            make_membership(council=council)
        url = reverse("councils:council_detail", args=[council.slug])
        get(client, url)
        counts.append(get(client, url)[1])
    assert counts == [9, 9]
