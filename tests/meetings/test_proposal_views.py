"""Pages for item proposals (R9) and the RUS group's queue (R6): who may, who may not."""

import datetime

import pytest
from django.urls import reverse

from councils.models import Membership
from meetings.models import AgendaItem, ItemProposal, ProposalAttachment
from tests.factories import (
    make_member_user,
    make_secretariat_user,
    make_user,
)
from tests.meetings.factories import make_meeting, pdf_upload
from tests.meetings.review_support import make_proposal, make_target_area

pytestmark = pytest.mark.django_db


def _organisation(user):
    return user.person.memberships.first().organisation


def _form_data(user, **overrides):
    data = {
        "organisation": _organisation(user).pk,
        "title": "Gemensam kompetensförsörjning",
        "kind": "position",
        "target_area": make_target_area().pk,
        "background": "Bakgrund om kompetensbristen.",
        "questions": "Ska rådet ställa sig bakom?",
    }
    data.update(overrides)
    return data


# --- Propose -----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("meetings:proposal_create"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_user_without_membership_may_not_propose(client):
    client.force_login(make_user("utan-uppdrag"))
    assert client.get(reverse("meetings:proposal_create")).status_code == 403
    response = client.post(reverse("meetings:proposal_create"), {"title": "X"})
    assert response.status_code == 403
    assert not ItemProposal.objects.exists()


def test_member_proposes_with_attachment(client, alice, council):
    meeting = make_meeting(council)
    client.force_login(alice)
    page = client.get(reverse("meetings:proposal_create") + f"?mote={meeting.pk}")
    assert page.status_code == 200
    assert "Föreslå ärende" in page.text
    data = _form_data(alice, wished_meeting=meeting.pk, attachments=[pdf_upload("Bilaga.pdf")])
    response = client.post(reverse("meetings:proposal_create"), data)
    proposal = ItemProposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:proposal_detail", args=[proposal.pk])
    assert proposal.organisation == _organisation(alice)
    assert proposal.proposer == alice.person
    assert proposal.wished_meeting == meeting
    assert proposal.attachments.get().original_name == "Bilaga.pdf"


def test_missing_rus_link_keeps_what_was_typed(client, alice):
    client.force_login(alice)
    data = _form_data(alice, target_area="")
    response = client.post(reverse("meetings:proposal_create"), data)
    assert response.status_code == 200
    assert "hänger ihop med RUS" in response.text
    assert "Gemensam kompetensförsörjning" in response.text
    assert "Bakgrund om kompetensbristen." in response.text
    assert not ItemProposal.objects.exists()


def test_questions_without_background_are_enough_r12c(client, alice):
    client.force_login(alice)
    data = _form_data(alice, background="")
    response = client.post(reverse("meetings:proposal_create"), data)
    assert response.status_code == 302
    proposal = ItemProposal.objects.get()
    assert proposal.background == ""
    assert proposal.questions == "Ska rådet ställa sig bakom?"


def test_neither_background_nor_questions_says_so_and_keeps_what_was_typed(client, alice):
    client.force_login(alice)
    data = _form_data(alice, background="  ", questions="")
    response = client.post(reverse("meetings:proposal_create"), data)
    assert response.status_code == 200
    assert "Skriv en bakgrund eller frågeställningar" in response.text
    assert "Gemensam kompetensförsörjning" in response.text
    assert not ItemProposal.objects.exists()


def test_refused_attachment_says_why_and_saves_nothing(client, alice):
    client.force_login(alice)
    fake = pdf_upload("virus.exe")
    response = client.post(reverse("meetings:proposal_create"), _form_data(alice, attachments=fake))
    assert response.status_code == 200
    assert "Filtypen" in response.text and "inte tillåten" in response.text
    assert "Gemensam kompetensförsörjning" in response.text
    assert not ItemProposal.objects.exists()
    assert not ProposalAttachment.objects.exists()


def test_may_not_propose_for_an_organisation_one_does_not_represent(client, alice, bob):
    client.force_login(alice)
    response = client.post(
        reverse("meetings:proposal_create"), _form_data(alice, organisation=_organisation(bob).pk)
    )
    assert response.status_code == 200
    assert not ItemProposal.objects.exists()


def test_ended_membership_may_not_propose(client, council):
    user = make_member_user(council, username="tidigare")
    Membership.objects.filter(person=user.person).update(end_date="2024-01-01")
    client.force_login(user)
    assert client.get(reverse("meetings:proposal_create")).status_code == 403


# --- My proposals and detail -------------------------------------------------------------------


def test_my_proposals_lists_my_organisations_proposals_with_reason(client, alice, bob):
    mine = make_proposal(alice, title="Vårt förslag", status="declined", decision_reason="Nej tack")
    make_proposal(bob, title="Bobs förslag")
    client.force_login(alice)
    response = client.get(reverse("meetings:proposal_list"))
    assert response.status_code == 200
    assert mine.title in response.text and "Nej tack" in response.text
    assert "Avslaget" in response.text
    assert "Bobs förslag" not in response.text


def test_my_proposals_dates_are_iso_dates_not_english_months(client, alice):
    proposal = make_proposal(alice, title="Vårt förslag")
    ItemProposal.objects.filter(pk=proposal.pk).update(
        submitted_at=datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)
    )
    client.force_login(alice)
    response = client.get(reverse("meetings:proposal_list"))
    assert "2026-11-28" in response.text
    assert "Nov" not in response.text


def test_proposal_list_needs_login(client):
    assert client.get(reverse("meetings:proposal_list")).status_code == 302


def test_detail_for_proposer_rus_group_and_not_for_others(client, alice, bob, rus_user):
    proposal = make_proposal(alice, title="Vårt förslag")
    url = reverse("meetings:proposal_detail", args=[proposal.pk])
    client.force_login(alice)
    assert client.get(url).status_code == 200
    client.force_login(rus_user)
    assert client.get(url).status_code == 200
    client.force_login(bob)
    assert client.get(url).status_code == 404


def test_attachment_download_checks_rights(client, alice, bob):
    from meetings.services.proposals import add_proposal_attachment

    proposal = make_proposal(alice)
    attachment = add_proposal_attachment(proposal=proposal, uploaded_file=pdf_upload("a.pdf"))
    url = reverse("meetings:proposal_attachment", args=[proposal.pk, attachment.pk])
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    client.force_login(bob)
    assert client.get(url).status_code == 404


# --- Queue -------------------------------------------------------------------------------------


def test_queue_for_rus_group_and_secretariat_only(client, alice, rus_user):
    make_proposal(alice, title="Att bereda")
    url = reverse("meetings:proposal_queue")
    client.force_login(rus_user)
    response = client.get(url)
    assert response.status_code == 200 and "Att bereda" in response.text
    client.force_login(make_secretariat_user())
    assert client.get(url).status_code == 200
    client.force_login(alice)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_queue_query_count_does_not_grow(client, council, rus_user, django_assert_num_queries):
    member = make_member_user(council)
    make_meeting(council)
    make_proposal(member)
    client.force_login(rus_user)
    client.get(reverse("meetings:proposal_queue"))  # warm caches (content types, sessions)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("meetings:proposal_queue")).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for _ in range(5):
        make_proposal(make_member_user(council))
    make_meeting(council, days_ahead=30)
    with django_assert_num_queries(few):
        client.get(reverse("meetings:proposal_queue"))


def test_accept_puts_item_on_agenda(client, council, alice, rus_user):
    proposal = make_proposal(alice, title="Nytt ärende", kind="position")
    meeting = make_meeting(council)
    client.force_login(rus_user)
    response = client.post(
        reverse("meetings:proposal_accept", args=[proposal.pk]),
        {"meeting": meeting.pk, "version": proposal.version},
    )
    assert response.status_code == 302
    item = meeting.items.get(title="Nytt ärende")
    assert item.kind == AgendaItem.Kind.POSITION
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.agenda_item == item


def test_accept_with_htmx_returns_the_row(client, council, alice, rus_user):
    proposal = make_proposal(alice, title="Nytt ärende")
    meeting = make_meeting(council)
    client.force_login(rus_user)
    response = client.post(
        reverse("meetings:proposal_accept", args=[proposal.pk]),
        {"meeting": meeting.pk, "version": proposal.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert f'id="forslag-{proposal.pk}"' in response.text
    assert "lades som punkt" in response.text
    assert "<html" not in response.text


def test_member_may_not_accept(client, council, alice):
    proposal = make_proposal(alice)
    meeting = make_meeting(council)
    client.force_login(alice)
    response = client.post(
        reverse("meetings:proposal_accept", args=[proposal.pk]),
        {"meeting": meeting.pk, "version": proposal.version},
    )
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_decline_without_reason_is_refused_and_nothing_changes(client, alice, rus_user):
    proposal = make_proposal(alice)
    client.force_login(rus_user)
    response = client.post(
        reverse("meetings:proposal_decline", args=[proposal.pk]),
        {"reason": "", "version": proposal.version},
    )
    assert response.status_code == 200
    assert "Skriv varför förslaget avslås." in response.text
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_decline_with_reason(client, alice, rus_user):
    proposal = make_proposal(alice)
    client.force_login(rus_user)
    response = client.post(
        reverse("meetings:proposal_decline", args=[proposal.pk]),
        {"reason": "Hör inte hit.", "version": proposal.version},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "declined" and proposal.decision_reason == "Hör inte hit."


def test_defer_to_later_meeting(client, council, alice, rus_user):
    first = make_meeting(council)
    later = make_meeting(council, days_ahead=45)
    proposal = make_proposal(alice, wished_meeting=first)
    client.force_login(rus_user)
    response = client.post(
        reverse("meetings:proposal_defer", args=[proposal.pk]),
        {"meeting": later.pk, "reason": "Fullt program", "version": proposal.version},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "deferred" and proposal.deferred_to == later


def test_deciding_twice_shows_error(client, council, alice, rus_user):
    proposal = make_proposal(alice, status="declined")
    client.force_login(rus_user)
    response = client.post(
        reverse("meetings:proposal_accept", args=[proposal.pk]),
        {"meeting": make_meeting(council).pk, "version": proposal.version},
    )
    assert response.status_code == 200
    assert not AgendaItem.objects.filter(title=proposal.title).exists()


def test_get_on_decision_url_not_allowed(client, alice, rus_user):
    proposal = make_proposal(alice)
    client.force_login(rus_user)
    assert client.get(reverse("meetings:proposal_decline", args=[proposal.pk])).status_code == 405


def test_defer_only_to_a_later_meeting(client, council, alice, rus_user):
    earlier = make_meeting(council, days_ahead=7)
    wished = make_meeting(council, days_ahead=30)
    proposal = make_proposal(alice, wished_meeting=wished)
    client.force_login(rus_user)
    page = client.get(reverse("meetings:proposal_queue"))
    defer_select = page.text.split(f'id="skjut-upp-{proposal.pk}"')[1].split("</select>")[0]
    assert f'value="{earlier.pk}"' not in defer_select
    response = client.post(
        reverse("meetings:proposal_defer", args=[proposal.pk]),
        {"meeting": earlier.pk, "version": proposal.version},
    )
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_htmx_decline_without_reason_returns_row_with_error(client, alice, rus_user):
    proposal = make_proposal(alice)
    client.force_login(rus_user)
    response = client.post(
        reverse("meetings:proposal_decline", args=[proposal.pk]),
        {"reason": "", "version": proposal.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Skriv varför förslaget avslås." in response.text
    assert f'id="forslag-{proposal.pk}"' in response.text and "<html" not in response.text


def test_accepted_proposal_shows_where_it_went(client, council, alice, rus_user):
    from meetings.services.proposals import accept_proposal

    proposal = make_proposal(alice, title="Antaget förslag")
    meeting = make_meeting(council, title="Decembermötet")
    item = accept_proposal(proposal=proposal, meeting=meeting, user=rus_user)
    client.force_login(alice)
    response = client.get(reverse("meetings:proposal_detail", args=[proposal.pk]))
    assert f"Antaget som punkt {item.number}" in response.text
    assert "Decembermötet" in response.text


def test_my_proposals_query_count_does_not_grow(client, council, alice, django_assert_num_queries):
    make_proposal(alice, wished_meeting=make_meeting(council))
    client.force_login(alice)
    url = reverse("meetings:proposal_list")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    for _ in range(4):
        make_proposal(alice, wished_meeting=make_meeting(council), status="declined")
    with django_assert_num_queries(len(ctx.captured_queries)):
        client.get(url)
