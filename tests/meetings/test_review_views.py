"""Online review before the meeting (R11): "Mina möten", expected dissent, questions, matrix."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councils.access import roles_for
from councils.models import Membership
from meetings.models import ItemQuestion, ItemReview, Meeting
from meetings.services.agenda import add_attachment
from meetings.services.review import record_review
from tests.factories import (
    make_chair_user,
    make_member_user,
    make_organisation,
    make_rus_group_user,
    make_secretariat_user,
    make_user,
    make_user_with_role,
)
from tests.meetings.factories import make_item, make_meeting, pdf_upload
from tests.meetings.review_support import make_position_item

pytestmark = pytest.mark.django_db


def _organisation(user):
    return user.person.memberships.first().organisation


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# --- Mina möten --------------------------------------------------------------------------------


def test_my_meetings_needs_login(client):
    response = client.get(reverse("meetings:my_meetings"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_member_sees_own_council_meetings_with_agenda_and_documents(
    client, alice, meeting, position_item, other_council
):
    add_attachment(item=position_item, uploaded_file=pdf_upload("Underlag.pdf"), user=None)
    make_meeting(other_council, title="Annat råds möte")
    make_meeting(meeting.council, title="Förra mötet", days_ahead=-10)
    client.force_login(alice)
    response = client.get(reverse("meetings:my_meetings"))
    assert response.status_code == 200
    text = response.text
    assert meeting.title in text and "Gemensam påverkansagenda" in text
    assert reverse("meetings:attachment_download", args=[meeting.pk, 1]).rsplit("/", 2)[0] in text
    assert "Underlag.pdf" in text
    assert "Annat råds möte" not in text
    assert "Förra mötet" not in text
    assert f"Förhandsbesked för {_organisation(alice)}" in text


def test_my_meetings_marks_a_meeting_in_preparation_as_a_draft(client, alice, meeting):
    make_item(meeting, title="Matchning på arbetsmarknaden", is_prepared=False)
    make_item(meeting, title="Kompetensförsörjning", is_prepared=True)
    approved = make_meeting(meeting.council, title="Godkänt möte", days_ahead=20)
    approved.status = Meeting.Status.AGENDA_APPROVED
    approved.save()
    client.force_login(alice)

    text = client.get(reverse("meetings:my_meetings")).text

    draft, rest = text.split("Godkänt möte", 1)
    assert draft.count("Utkast – under beredning") == 2  # at the time and on the agenda
    unprepared = draft.split("Matchning på arbetsmarknaden", 1)[1].split("</h4>", 1)[0]
    assert "Ej beredd" in unprepared
    prepared = draft.split("Kompetensförsörjning", 1)[1].split("</h4>", 1)[0]
    assert "Ej beredd" not in prepared
    assert "Utkast – under beredning" not in rest


def test_user_without_seat_sees_no_meetings(client, meeting):
    client.force_login(make_user("utan-uppdrag"))
    response = client.get(reverse("meetings:my_meetings"))
    assert response.status_code == 200
    assert meeting.title not in response.text
    assert "sitter inte i något råd" in response.text


def test_speaking_right_member_sees_agenda_but_gets_no_review_form(
    client, council, meeting, position_item
):
    user = make_user_with_role(Membership.Role.SPEAKING_RIGHT, council=council)
    client.force_login(user)
    response = client.get(reverse("meetings:my_meetings"))
    assert "Gemensam påverkansagenda" in response.text
    assert "Förhandsbesked för" not in response.text


def test_my_meetings_query_count_does_not_grow(client, council, alice, django_assert_num_queries):
    first = make_meeting(council)
    item = make_position_item(first)
    add_attachment(item=item, uploaded_file=pdf_upload(), user=None)
    make_meeting(council, days_ahead=18)  # one compact meeting: the list's queries run
    client.force_login(alice)
    url = reverse("meetings:my_meetings")
    client.get(url)
    few = _count_queries(client, url)
    for days in (20, 30):
        extra = make_meeting(council, days_ahead=days)
        for _ in range(3):
            more = make_position_item(extra)
            add_attachment(item=more, uploaded_file=pdf_upload(), user=None)
            record_review(
                item=more,
                organisation=_organisation(alice),
                person=alice.person,
                anchored="yes",
                expects_dissent=False,
            )
            ItemQuestion.objects.create(item=more, asked_by=alice.person, question="?")
    with django_assert_num_queries(few):
        client.get(url)


# --- Recording expected dissent ------------------------------------------------------------------


def _review_url(item):
    return reverse("meetings:review_record", args=[item.pk])


def _review_data(user, **overrides):
    data = {
        "organisation": _organisation(user).pk,
        "anchored": "in_progress",
        "expects_dissent": "yes",
        "comment": "Vi vill se en annan finansiering.",
    }
    data.update(overrides)
    return data


def test_member_records_expected_dissent(client, alice, position_item):
    client.force_login(alice)
    response = client.post(_review_url(position_item), _review_data(alice))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#punkt-{position_item.pk}")
    review = ItemReview.objects.get()
    assert review.organisation == _organisation(alice)
    assert review.anchored == "in_progress" and review.expects_dissent
    assert review.recorded_by == alice.person


def test_review_stamp_names_the_month_in_swedish(client, alice, position_item):
    """Django's "M" capitalises the abbreviation ("Nov"); Swedish writes months in lower case."""
    record_review(
        item=position_item,
        organisation=_organisation(alice),
        person=alice.person,
        anchored="yes",
        expects_dissent=False,
        comment="",
    )
    ItemReview.objects.update(
        recorded_at=datetime.datetime(2026, 11, 28, 13, 5, tzinfo=datetime.UTC)
    )
    client.force_login(alice)
    page = client.get(reverse("meetings:my_meetings")).content.decode()
    assert "Senast sparat 28 november 2026 kl. 14.05" in page
    assert "Nov" not in page


def test_second_answer_replaces_the_first(client, alice, position_item):
    client.force_login(alice)
    client.post(_review_url(position_item), _review_data(alice))
    client.post(
        _review_url(position_item),
        _review_data(alice, anchored="yes", expects_dissent="no", comment=""),
    )
    review = ItemReview.objects.get()
    assert review.anchored == "yes" and not review.expects_dissent


def test_htmx_record_returns_the_block(client, alice, position_item):
    client.force_login(alice)
    response = client.post(
        _review_url(position_item), _review_data(alice), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "Sparat." in response.text and "<html" not in response.text


def test_dissent_without_text_is_refused_and_input_kept(client, alice, position_item):
    client.force_login(alice)
    response = client.post(
        _review_url(position_item), _review_data(alice, comment="", anchored="no")
    )
    assert response.status_code == 200
    assert "Beskriv kort den avvikande synpunkten." in response.text
    assert '<option value="no" selected>Nej</option>' in response.text
    assert not ItemReview.objects.exists()


def test_member_of_other_council_gets_404(client, other_council, position_item):
    stranger = make_member_user(other_council)
    client.force_login(stranger)
    response = client.post(_review_url(position_item), _review_data(stranger))
    assert response.status_code == 404
    assert not ItemReview.objects.exists()


def test_speaking_right_may_not_record(client, council, position_item):
    user = make_user_with_role(Membership.Role.SPEAKING_RIGHT, council=council)
    client.force_login(user)
    response = client.post(_review_url(position_item), _review_data(user))
    assert response.status_code == 403


def test_rus_group_without_seat_may_not_record(client, position_item):
    user = make_rus_group_user()
    client.force_login(user)
    assert client.post(_review_url(position_item), _review_data(user)).status_code == 403


def test_cannot_answer_for_another_organisation(client, alice, position_item):
    client.force_login(alice)
    other = make_organisation()
    response = client.post(_review_url(position_item), _review_data(alice, organisation=other.pk))
    assert response.status_code == 200
    assert not ItemReview.objects.exists()


def test_information_item_takes_no_review(client, alice, meeting):
    item = make_item(meeting, title="Information")
    client.force_login(alice)
    assert client.post(_review_url(item), _review_data(alice)).status_code == 404


def test_no_review_after_the_meeting(client, council, alice):
    past = make_meeting(council, days_ahead=-3)
    item = make_position_item(past)
    client.force_login(alice)
    assert client.post(_review_url(item), _review_data(alice)).status_code == 403


def test_record_needs_login(client, position_item):
    response = client.post(_review_url(position_item), {})
    assert response.status_code == 302


# --- Questions to the secretariat --------------------------------------------------------------


def test_member_asks_and_secretariat_is_told(
    client, council, alice, position_item, django_capture_on_commit_callbacks
):
    secretary = make_secretariat_user("kansli", council=council)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:question_ask", args=[position_item.pk]),
            {"question": "Finns en kostnadsberäkning?"},
        )
    assert response.status_code == 302
    question = ItemQuestion.objects.get()
    assert question.asked_by == alice.person and question.organisation == _organisation(alice)
    assert [m.to for m in mail.outbox] == [[secretary.email]]
    assert "Finns en kostnadsberäkning?" in mail.outbox[0].body


def test_empty_question_is_refused(client, alice, position_item):
    client.force_login(alice)
    response = client.post(
        reverse("meetings:question_ask", args=[position_item.pk]), {"question": " "}
    )
    assert response.status_code == 200 and "Skriv din fråga." in response.text
    assert not ItemQuestion.objects.exists()


def test_refused_question_takes_the_focus(client, alice, position_item):
    """The page is long: the refused field gets the focus, so the browser scrolls to the error."""
    client.force_login(alice)
    response = client.post(
        reverse("meetings:question_ask", args=[position_item.pk]), {"question": " "}
    )
    assert (
        f'id="fraga-{position_item.pk}" rows="2" maxlength="2000" aria-invalid="true" autofocus'
        in (response.text)
    )
    assert response.text.count("autofocus") == 1


def test_refused_review_without_htmx_takes_the_focus(client, alice, position_item):
    client.force_login(alice)
    response = client.post(
        _review_url(position_item), _review_data(alice, expects_dissent="yes", comment="")
    )
    assert response.status_code == 200
    assert response.text.count("autofocus") == 1
    assert 'aria-invalid="true" autofocus>' in response.text


def test_other_council_may_not_ask(client, other_council, position_item):
    client.force_login(make_member_user(other_council))
    response = client.post(
        reverse("meetings:question_ask", args=[position_item.pk]), {"question": "?"}
    )
    assert response.status_code == 404


def test_secretariat_answers_and_member_sees_answer(
    client, alice, position_item, django_capture_on_commit_callbacks
):
    question = ItemQuestion.objects.create(
        item=position_item, asked_by=alice.person, question="Kostnad?"
    )
    secretariat = make_secretariat_user()
    client.force_login(secretariat)
    page = client.get(reverse("meetings:review_questions", args=[position_item.meeting_id]))
    assert page.status_code == 200 and "Kostnad?" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:question_answer", args=[question.pk]), {"answer": "Två miljoner."}
        )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answer == "Två miljoner." and question.answered_by == secretariat
    assert mail.outbox[0].to == [alice.email]
    client.force_login(alice)
    assert "Två miljoner." in client.get(reverse("meetings:my_meetings")).text


def test_member_may_not_answer_or_read_all_questions(client, alice, position_item):
    question = ItemQuestion.objects.create(item=position_item, asked_by=alice.person, question="?")
    client.force_login(alice)
    assert (
        client.post(reverse("meetings:question_answer", args=[question.pk]), {"answer": "x"})
    ).status_code == 403
    url = reverse("meetings:review_questions", args=[position_item.meeting_id])
    assert client.get(url).status_code == 403


def test_empty_answer_is_refused(client, alice, position_item):
    question = ItemQuestion.objects.create(item=position_item, asked_by=alice.person, question="?")
    client.force_login(make_secretariat_user())
    response = client.post(reverse("meetings:question_answer", args=[question.pk]), {"answer": ""})
    assert response.status_code == 200 and "Skriv ett svar." in response.text


# --- Matrix ------------------------------------------------------------------------------------


def _matrix_url(meeting):
    return reverse("meetings:review_matrix", args=[meeting.pk])


def test_matrix_shows_answers_and_highlights_risk(client, council, alice, meeting, position_item):
    bob = make_member_user(council, username="bob")
    make_member_user(council, username="carl")
    record_review(
        item=position_item,
        organisation=_organisation(alice),
        person=alice.person,
        anchored="yes",
        expects_dissent=True,
        comment="Vi reserverar oss.",
    )
    record_review(
        item=position_item,
        organisation=_organisation(bob),
        person=bob.person,
        anchored="yes",
        expects_dissent=False,
    )
    client.force_login(make_secretariat_user())
    response = client.get(_matrix_url(meeting))
    assert response.status_code == 200
    text = response.text
    assert "Vi reserverar oss." in text
    assert text.count("cell-at-risk") == 1
    assert text.count("cell-ok") == 1
    assert "Ej svarat" in text  # carl's organisation, and the secretariat's own has no seat
    assert "Konsensus i fara" in text


@pytest.mark.parametrize("who", ["chair", "rus", "secretariat"])
def test_matrix_for_chair_rus_group_and_secretariat(client, council, meeting, who):
    user = {
        "chair": lambda: make_chair_user(council),
        "rus": make_rus_group_user,
        "secretariat": make_secretariat_user,
    }[who]()
    client.force_login(user)
    assert client.get(_matrix_url(meeting)).status_code == 200


def test_matrix_not_for_members(client, alice, meeting):
    client.force_login(alice)
    assert client.get(_matrix_url(meeting)).status_code == 403


def test_matrix_not_for_chair_of_other_council(client, other_council, meeting):
    client.force_login(make_chair_user(other_council))
    assert client.get(_matrix_url(meeting)).status_code == 404


def test_matrix_needs_login(client, meeting):
    assert client.get(_matrix_url(meeting)).status_code == 302


def test_matrix_query_count_does_not_grow(client, council, meeting, django_assert_num_queries):
    item = make_position_item(meeting)
    member = make_member_user(council)
    record_review(
        item=item,
        organisation=_organisation(member),
        person=member.person,
        anchored="no",
        expects_dissent=False,
    )
    client.force_login(make_secretariat_user())
    client.get(_matrix_url(meeting))
    few = _count_queries(client, _matrix_url(meeting))
    for _ in range(4):
        more = make_position_item(meeting)
        for _ in range(3):
            member = make_member_user(council)
            record_review(
                item=more,
                organisation=_organisation(member),
                person=member.person,
                anchored="yes",
                expects_dissent=True,
                comment="Tveksamma",
            )
    with django_assert_num_queries(few):
        client.get(_matrix_url(meeting))


# --- Panel on the meeting page -----------------------------------------------------------------


def _render_panel(user, meeting):
    template = Template('{% include "meetings/includes/panels_review.html" %}')
    return template.render(Context({"meeting": meeting, "roles": roles_for(user)}))


def test_panel_shows_matrix_link_to_secretariat(meeting, position_item, alice):
    record_review(
        item=position_item,
        organisation=_organisation(alice),
        person=alice.person,
        anchored="no",
        expects_dissent=False,
    )
    html = _render_panel(make_secretariat_user(), meeting)
    assert _matrix_url(meeting) in html
    assert "1 med risk" in html


def test_panel_shows_member_the_way_to_review_not_the_matrix(meeting, alice):
    html = _render_panel(alice, meeting)
    assert reverse("meetings:my_meetings") in html
    assert _matrix_url(meeting) not in html


def test_panel_is_empty_for_someone_without_role(meeting):
    assert _render_panel(make_user("besokare"), meeting).strip() == ""


def test_cancelled_meeting_is_not_in_my_meetings(client, alice, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    client.force_login(alice)
    assert meeting.title not in client.get(reverse("meetings:my_meetings")).text


def test_chair_reads_questions_but_only_the_secretariat_answers(client, council, alice, meeting):
    item = make_position_item(meeting)
    question = ItemQuestion.objects.create(item=item, asked_by=alice.person, question="Kostnad?")
    chair = make_chair_user(council)
    client.force_login(chair)
    page = client.get(reverse("meetings:review_questions", args=[meeting.pk]))
    assert page.status_code == 200 and "Kostnad?" in page.text
    assert reverse("meetings:question_answer", args=[question.pk]) not in page.text
    response = client.post(
        reverse("meetings:question_answer", args=[question.pk]), {"answer": "Svar"}
    )
    assert response.status_code == 403


def test_chair_finds_the_matrix_from_my_meetings(client, council, meeting):
    client.force_login(make_chair_user(council))
    assert _matrix_url(meeting) in client.get(reverse("meetings:my_meetings")).text


def test_member_does_not_get_the_matrix_link(client, alice, meeting):
    client.force_login(alice)
    assert _matrix_url(meeting) not in client.get(reverse("meetings:my_meetings")).text
