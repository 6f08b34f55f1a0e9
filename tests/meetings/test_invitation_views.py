"""Invitation pages: who may send (R7), preview, progress with polling, replies by link, in the
app and by phone, update, cancel, calendar feed."""

import datetime
import re

import icalendar
import pytest
from django.core import mail, signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from councils.models import Membership
from meetings import tokens
from meetings.models import CalendarFeed, Invitation, InvitationMessage, Meeting
from meetings.models.invitations import DeliveryStatus
from meetings.services.invitations import links, replies, sending
from rus.outbox.failures import FailureKind
from tests.factories import (
    make_chair_user,
    make_member_user,
    make_membership,
    make_person,
    make_secretariat_user,
)
from tests.meetings.invitation_support import (
    make_invitation_setup,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf")]


@pytest.fixture
def member_user(setup):
    """Bob: a member of the council with an address and a login."""
    user = make_member_user(setup.council, username="bob")
    person = user.person
    person.given_name, person.family_name, person.email = "Bob", "Ledamot", "bob@example.org"
    person.save()
    return user


def send_url(meeting):
    return reverse("meetings:invitation_send", args=[meeting.pk])


def progress_url(meeting):
    return reverse("meetings:invitation_progress", args=[meeting.pk])


def sent(setup, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sending.send_invitations(meeting=setup.meeting, user=setup.chair_user)
    setup.meeting.refresh_from_db()
    return setup.meeting


# --- Who may send ----------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, setup):
    for url in (send_url(setup.meeting), progress_url(setup.meeting)):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


@pytest.mark.parametrize("who, status", [("member", 403), ("chair_of_other_council", 404)])
def test_member_gets_403_chair_of_another_council_404_and_nothing_is_sent(
    client, setup, member_user, who, status
):
    """A member sees the meeting but may not invite (403); the chair of another council does
    not see it at all (404), as on the agenda pages."""
    user = member_user if who == "member" else make_chair_user()
    client.force_login(user)
    assert client.get(send_url(setup.meeting)).status_code == status
    response = client.post(send_url(setup.meeting), {"action": "send"})
    assert response.status_code == status
    assert client.get(progress_url(setup.meeting)).status_code == status
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_secretariat_gets_403_when_the_council_keeps_invitations_to_the_chair(client):
    setup = make_invitation_setup(secretariat_may_invite=False)
    client.force_login(make_secretariat_user(council=setup.council))
    assert client.get(send_url(setup.meeting)).status_code == 403


def test_secretariat_is_told_it_sends_in_the_chairs_name(client, setup):
    """R7: the chair invites; the secretariat may send in the chair's name."""
    client.force_login(make_secretariat_user(council=setup.council))
    page = client.get(send_url(setup.meeting)).content.decode()
    assert "Du skickar kallelsen i ordförandens namn." in page
    assert "Ingrid Ordförande som den som kallar" in page
    client.force_login(setup.chair_user)
    assert "i ordförandens namn" not in client.get(send_url(setup.meeting)).content.decode()


def test_chair_previews_recipients_and_message_without_sending(client, setup):
    make_membership(
        person=make_person(given_name="Utan", family_name="Adress"), council=setup.council
    )
    client.force_login(setup.chair_user)
    response = client.get(send_url(setup.meeting))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mottagare (5)" in page
    assert "petra@example.org" in page
    assert "Saknar e-postadress" in page and "Utan Adress" in page
    assert "Kallelse: Regionala samverkansrådet" in page
    # The message is shown in a sandboxed frame, its HTML escaped into the attribute.
    assert 'srcdoc="&lt;!doctype html&gt;\n&lt;html lang=&quot;sv&quot;&gt;' in page
    assert not Invitation.objects.exists()


def test_preview_with_personal_note_shows_it_and_sends_nothing(client, setup):
    client.force_login(setup.chair_user)
    response = client.post(
        send_url(setup.meeting), {"action": "preview", "personal_note": "Vi ses i Sollefteå!"}
    )
    assert response.status_code == 200
    assert "Vi ses i Sollefteå!" in response.content.decode()
    assert not Invitation.objects.exists()


def test_chair_sends_and_lands_on_progress(client, setup, django_capture_on_commit_callbacks):
    client.force_login(setup.chair_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            send_url(setup.meeting), {"action": "send", "personal_note": "Hjärtligt välkomna"}
        )
    assert response.status_code == 302
    assert response["Location"] == progress_url(setup.meeting)
    assert Invitation.objects.filter(status=DeliveryStatus.SENT).count() == 5
    assert len(mail.outbox) == 5
    assert "Hjärtligt välkomna" in mail.outbox[0].body
    # A second press of the button does not send again.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(send_url(setup.meeting), {"action": "send"})
    assert len(mail.outbox) == 5


def test_send_page_explains_when_the_agenda_is_not_approved(client, setup):
    Meeting.objects.filter(pk=setup.meeting.pk).update(status=Meeting.Status.AGENDA_IN_PREPARATION)
    client.force_login(setup.chair_user)
    response = client.get(send_url(setup.meeting))
    assert "först när dagordningen är godkänd" in response.content.decode()
    response = client.post(send_url(setup.meeting), {"action": "send"})
    assert response.status_code == 200
    assert not Invitation.objects.exists()


# --- Progress ---------------------------------------------------------------------------------


def test_progress_polls_a_partial_every_ten_seconds(
    client, setup, django_capture_on_commit_callbacks
):
    meeting = sent(setup, django_capture_on_commit_callbacks)
    client.force_login(make_secretariat_user(council=setup.council))
    page = client.get(progress_url(meeting)).content.decode()
    assert 'hx-trigger="every 10s"' in page
    assert "Skickade: 5" in page
    partial = client.get(progress_url(meeting), headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="progress"')
    assert "<html" not in partial


def test_progress_query_count_does_not_grow_with_recipients(
    client, setup, django_capture_on_commit_callbacks
):
    meeting = sent(setup, django_capture_on_commit_callbacks)
    client.force_login(setup.chair_user)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(progress_url(meeting)).status_code == 200
        return len(queries)

    before = count_queries()
    mailing = meeting.mailings.get()
    for n in range(15):
        Invitation.objects.create(
            meeting=meeting,
            mailing=mailing,
            name=f"Extra {n}",
            email=f"extra{n}@example.org",
            capacity=Invitation.Capacity.PRESENTER,
            reply=Invitation.Reply.ATTENDING,
            replied_at=timezone.now(),
        )
    assert count_queries() == before


def test_failed_rows_show_the_reason_and_can_be_resent(
    client, setup, django_capture_on_commit_callbacks
):
    meeting = sent(setup, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(email="ledamot1@example.org")
    Invitation.objects.filter(pk=invitation.pk).update(
        status=DeliveryStatus.FAILED, attempts=6, last_error="451 Temporary failure"
    )
    mail.outbox.clear()
    client.force_login(setup.chair_user)
    page = client.get(progress_url(meeting)).content.decode()
    assert "Misslyckades" in page and "451 Temporary failure" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:invitation_resend_one", args=[meeting.pk, invitation.pk])
        )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


def test_a_failure_is_explained_in_swedish_with_the_technical_detail_folded_away(
    client, setup, django_capture_on_commit_callbacks
):
    meeting = sent(setup, django_capture_on_commit_callbacks)
    Invitation.objects.filter(email="ledamot1@example.org").update(
        status=DeliveryStatus.FAILED,
        attempts=6,
        failure_kind=FailureKind.UNREACHABLE,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
    )
    Invitation.objects.filter(email="ledamot0@example.org").update(
        status=DeliveryStatus.FAILED,
        attempts=1,
        failure_kind=FailureKind.ADDRESS_REFUSED,
        last_error="SMTPRecipientsRefused: {'ledamot0@example.org': (550, b'No such user')}",
    )
    client.force_login(setup.chair_user)

    page = client.get(progress_url(meeting)).content.decode()

    assert "E-postservern nås inte." in page
    assert "Samverkan kunde inte ansluta till e-postservern." in page
    assert "Mottagarens e-postserver avvisade adressen" in page
    details = re.findall(r"<details>(.*?)</details>", page, re.S)
    assert any("[Errno 111] Connection refused" in d for d in details)
    before_details = re.sub(r"<details>.*?</details>", "", page, flags=re.S)
    assert "Errno 111" not in before_details  # the raw error only in the folded detail

    client.cookies["django_language"] = "en"
    english = client.get(progress_url(meeting)).content.decode()
    assert "The mail server cannot be reached." in english
    assert "Samverkan could not connect to the mail server." in english


def test_failed_updates_show_in_the_counts_the_filter_and_the_row_and_can_be_resent(
    client, setup, django_capture_on_commit_callbacks
):
    """An update that could not be delivered is a failure the secretariat must see at a glance
    ("Läget", the "Misslyckade" filter, the person's row and the meeting page), not only in
    the list of mailings further down."""
    meeting = sent(setup, django_capture_on_commit_callbacks)
    Meeting.objects.filter(pk=meeting.pk).update(place="Kommunhuset, Sollefteå")
    with django_capture_on_commit_callbacks(execute=True):
        mailing = sending.send_update(meeting=meeting, user=setup.chair_user)
    invitation = Invitation.objects.get(email="ledamot1@example.org")
    message = invitation.messages.get(mailing=mailing)
    InvitationMessage.objects.filter(pk=message.pk).update(
        status=DeliveryStatus.FAILED, attempts=6, last_error="451 Temporary failure"
    )
    client.force_login(setup.chair_user)

    page = client.get(progress_url(meeting)).content.decode()
    assert "Misslyckade uppdateringar och påminnelser: 1" in page
    resend_one = reverse("meetings:invitation_resend_one", args=[meeting.pk, invitation.pk])
    assert resend_one in page
    failed_only = client.get(progress_url(meeting), {"visa": "misslyckade"}).content.decode()
    assert "ledamot1@example.org" in failed_only
    assert "ledamot0@example.org" not in failed_only
    detail = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "1 uppdatering eller påminnelse misslyckades" in detail

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(resend_one).status_code == 302
    message.refresh_from_db()
    assert message.status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


def test_member_may_not_resend(client, setup, member_user):
    client.force_login(member_user)
    response = client.post(reverse("meetings:invitation_resend", args=[setup.meeting.pk]))
    assert response.status_code == 403


# --- Replies --------------------------------------------------------------------------------------


def test_secretariat_records_a_phone_answer(client, setup, django_capture_on_commit_callbacks):
    meeting = sent(setup, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(email="ledamot0@example.org")
    kansli = make_secretariat_user(council=setup.council)
    client.force_login(kansli)
    url = reverse("meetings:invitation_record_reply", args=[meeting.pk, invitation.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reply": "substitute", "substitute_name": ""})
    assert response.status_code == 200
    assert "Välj en ersättare eller skriv namnet" in response.content.decode()
    response = client.post(url, {"reply": "substitute", "substitute_name": "Karin Ersättare"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.reply == Invitation.Reply.SUBSTITUTE
    assert invitation.substitute_name == "Karin Ersättare"
    assert invitation.reply_channel == Invitation.Channel.PHONE
    assert invitation.reply_recorded_by == kansli


def test_member_may_not_record_answers_for_others(
    client, setup, member_user, django_capture_on_commit_callbacks
):
    meeting = sent(setup, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(email="ledamot0@example.org")
    client.force_login(member_user)
    url = reverse("meetings:invitation_record_reply", args=[meeting.pk, invitation.pk])
    assert client.post(url, {"reply": "attending"}).status_code == 403
    invitation.refresh_from_db()
    assert invitation.reply == ""


def reply_path(invitation, answer=""):
    return links.reply_url(invitation, answer).removeprefix(links.absolute(""))


def main_of(response):
    """The page's own content, without the header's language switcher."""
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize(
    ("answer", "button"),
    [
        ("attending", "Spara svaret: Jag deltar"),
        ("not_attending", "Spara svaret: Jag deltar inte"),
        ("substitute", "Spara svaret: En ersättare deltar"),
    ],
)
def test_a_link_from_the_mail_saves_nothing_and_says_so(
    client, setup, django_capture_on_commit_callbacks, answer, button
):
    sent(setup, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(email="ledamot2@example.org")

    response = client.get(reply_path(invitation, answer))

    assert response.status_code == 200
    page = main_of(response)
    assert "Ditt svar är inte sparat än." in page
    # One button, carrying the answer; the answer travels in a hidden field.
    assert page.count('type="submit"') == 1
    assert button in page
    assert f'<input type="hidden" name="reply" value="{answer}">' in page
    # The substitute's fields only when a substitute attends.
    assert ('name="substitute_name"' in page) == (answer == "substitute")
    invitation.refresh_from_db()
    assert invitation.reply == ""
    assert invitation.replied_at is None


def test_the_link_without_an_answer_offers_the_three_answers_and_saves_nothing(
    client, setup, django_capture_on_commit_callbacks
):
    sent(setup, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(email="ledamot2@example.org")

    page = main_of(client.get(reply_path(invitation) + "?svar=nonsense"))

    assert 'type="submit"' not in page
    for answer in ("attending", "not_attending", "substitute"):
        assert f'href="?svar={answer}"' in page
    invitation.refresh_from_db()
    assert invitation.reply == ""


def test_confirming_saves_once_and_shows_a_receipt_with_a_way_to_change(
    client, setup, django_capture_on_commit_callbacks
):
    sent(setup, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(email="ledamot2@example.org")
    path = reply_path(invitation)

    response = client.post(path, {"reply": "attending"})

    assert response.status_code == 302
    assert response["Location"] == f"{path}?sparat=1"
    invitation.refresh_from_db()
    assert invitation.reply == Invitation.Reply.ATTENDING
    assert invitation.reply_channel == Invitation.Channel.LINK
    receipt = client.get(response["Location"]).content.decode()
    assert "Ditt svar är sparat" in receipt
    assert "inte sparat" not in receipt
    assert '<p class="reply-answer">Jag deltar</p>' in receipt
    assert 'href="?svar=not_attending"' in receipt
    assert 'href="?svar=substitute"' in receipt

    # Changing it: the link again asks for confirmation, and the new answer replaces the old.
    assert (
        "Ditt svar är inte sparat än." in client.get(f"{path}?svar=not_attending").content.decode()
    )
    invitation.refresh_from_db()
    assert invitation.reply == Invitation.Reply.ATTENDING
    client.post(path, {"reply": "not_attending"})
    invitation.refresh_from_db()
    assert invitation.reply == Invitation.Reply.NOT_ATTENDING


def test_the_receipt_address_without_a_saved_answer_shows_the_choice_not_a_receipt(
    client, setup, django_capture_on_commit_callbacks
):
    sent(setup, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(email="ledamot2@example.org")

    page = client.get(reply_path(invitation) + "?sparat=1").content.decode()

    assert "Ditt svar är sparat" not in page
    assert 'href="?svar=attending"' in page


def test_a_substitute_without_a_name_is_asked_again_still_unsaved(
    client, setup, django_capture_on_commit_callbacks
):
    sent(setup, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(email="ledamot2@example.org")

    response = client.post(reply_path(invitation), {"reply": "substitute", "substitute_name": " "})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ditt svar är inte sparat än." in page
    assert "Välj en ersättare eller skriv namnet" in page
    assert 'name="substitute_name"' in page
    invitation.refresh_from_db()
    assert invitation.reply == ""

    client.post(reply_path(invitation), {"reply": "substitute", "substitute_name": "Karin Ek"})
    invitation.refresh_from_db()
    assert (invitation.reply, invitation.substitute_name) == ("substitute", "Karin Ek")


def test_the_mail_says_the_link_opens_a_page_to_confirm_on(
    setup, django_capture_on_commit_callbacks
):
    sent(setup, django_capture_on_commit_callbacks)
    message = next(m for m in mail.outbox if "ledamot2@example.org" in " ".join(m.to))
    assert "Länken öppnar en sida där du sparar svaret med en knapp." in message.body


def test_reply_link_offers_the_members_substitutes(
    client, setup, django_capture_on_commit_callbacks
):
    sent(setup, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(email="ledamot0@example.org")
    substitute = make_membership(
        person=make_person(given_name="Siv", family_name="Ersättare"),
        council=setup.council,
        role=Membership.Role.SUBSTITUTE,
        substitute_for=invitation.membership,
    )
    path = reverse("meetings:invitation_reply", args=[tokens.make_reply_token(invitation)])
    assert "Siv Ersättare" in client.get(f"{path}?svar=substitute").content.decode()
    client.post(path, {"reply": "substitute", "substitute_membership": substitute.pk})
    invitation.refresh_from_db()
    assert invitation.substitute_membership == substitute


def test_forged_reply_token_is_refused_and_changes_nothing(
    client, setup, django_capture_on_commit_callbacks
):
    sent(setup, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(email="ledamot0@example.org")
    forged = signing.dumps(
        {"i": invitation.pk, "m": invitation.meeting_id, "p": invitation.person_id},
        salt="not-the-salt",
    )
    path = reverse("meetings:invitation_reply", args=[forged])
    assert client.get(path).status_code == 403
    response = client.post(path, {"reply": "attending"})
    assert response.status_code == 403
    assert "Länken fungerar inte" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.reply == ""


def test_expired_reply_token_is_refused_and_changes_nothing(
    client, setup, django_capture_on_commit_callbacks
):
    meeting = sent(setup, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(email="ledamot0@example.org")
    path = reverse("meetings:invitation_reply", args=[tokens.make_reply_token(invitation)])
    past = timezone.now() - datetime.timedelta(days=1)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=past - datetime.timedelta(hours=2), ends_at=past
    )
    response = client.post(path, {"reply": "attending"})
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.reply == ""


def test_recipient_answers_in_the_app_from_the_meeting_page(
    client, setup, member_user, django_capture_on_commit_callbacks
):
    meeting = sent(setup, django_capture_on_commit_callbacks)
    client.force_login(member_user)
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Du är kallad som" in page
    assert reverse("meetings:invitation_my_reply", args=[meeting.pk]) in page
    response = client.post(
        reverse("meetings:invitation_my_reply", args=[meeting.pk]), {"reply": "attending"}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(person__user=member_user)
    assert invitation.reply == Invitation.Reply.ATTENDING
    assert invitation.reply_channel == Invitation.Channel.APP


def test_an_invalid_answer_in_the_app_is_shown_again_with_the_error_and_what_was_chosen(
    client, setup, member_user, django_capture_on_commit_callbacks
):
    """The panel's form on the meeting page: a substitute answer without a name re-renders the
    answer form with the Swedish error and the choice kept, instead of redirecting to the top
    of the meeting page with the choice lost."""
    meeting = sent(setup, django_capture_on_commit_callbacks)
    client.force_login(member_user)
    response = client.post(
        reverse("meetings:invitation_my_reply", args=[meeting.pk]), {"reply": "substitute"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Välj en ersättare eller skriv namnet på den som deltar i stället." in page
    assert re.search(r'value="substitute"[^>]*checked', page)
    assert reverse("meetings:meeting_detail", args=[meeting.pk]) in page
    assert Invitation.objects.get(person__user=member_user).reply == ""

    response = client.post(
        reverse("meetings:invitation_my_reply", args=[meeting.pk]),
        {"reply": "substitute", "substitute_name": "Sara Ersättare"},
    )
    assert response.status_code == 302
    assert Invitation.objects.get(person__user=member_user).substitute_name == "Sara Ersättare"


def test_someone_without_an_invitation_cannot_answer_in_the_app(
    client, setup, django_capture_on_commit_callbacks
):
    meeting = sent(setup, django_capture_on_commit_callbacks)
    client.force_login(make_member_user(setup.council))
    response = client.post(
        reverse("meetings:invitation_my_reply", args=[meeting.pk]), {"reply": "attending"}
    )
    assert response.status_code == 404


def test_answers_after_the_meeting_ended_are_refused_in_the_app_and_by_phone(
    client, setup, member_user, django_capture_on_commit_callbacks
):
    meeting = sent(setup, django_capture_on_commit_callbacks)
    ended = timezone.now() - datetime.timedelta(hours=1)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=ended - datetime.timedelta(hours=2), ends_at=ended
    )
    client.force_login(member_user)
    response = client.post(
        reverse("meetings:invitation_my_reply", args=[meeting.pk]),
        {"reply": "attending"},
        follow=True,
    )
    assert "Det går inte längre att svara på kallelsen." in response.content.decode()
    assert "Tack! Ditt svar är registrerat." not in response.content.decode()

    invitation = Invitation.objects.get(email="ledamot0@example.org")
    client.force_login(make_secretariat_user(council=setup.council))
    url = reverse("meetings:invitation_record_reply", args=[meeting.pk, invitation.pk])
    response = client.post(url, {"reply": "not_attending"})
    assert response.status_code == 200
    assert "Det går inte längre att svara på kallelsen." in response.content.decode()
    assert re.search(r'value="not_attending"[^>]*checked', response.content.decode())
    assert not Invitation.objects.exclude(reply="").exists()


# --- The meeting page, updates and cancellation ----------------------------------------------


def test_meeting_page_offers_send_to_the_chair_only(client, setup, member_user):
    detail = reverse("meetings:meeting_detail", args=[setup.meeting.pk])
    client.force_login(setup.chair_user)
    assert send_url(setup.meeting) in client.get(detail).content.decode()
    client.force_login(member_user)
    assert send_url(setup.meeting) not in client.get(detail).content.decode()


def test_meeting_page_offers_an_update_after_a_change(
    client, setup, django_capture_on_commit_callbacks
):
    meeting = sent(setup, django_capture_on_commit_callbacks)
    detail = reverse("meetings:meeting_detail", args=[meeting.pk])
    update_url = reverse("meetings:invitation_update", args=[meeting.pk])
    client.force_login(setup.chair_user)
    assert "Skicka uppdatering" not in client.get(detail).content.decode()
    meeting.place = "Örnsköldsvik"
    meeting.save()
    page = client.get(detail).content.decode()
    assert "Skicka uppdatering" in page and update_url in page
    assert "Ny plats: Örnsköldsvik" in client.get(update_url).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(update_url, {"action": "send"})
    assert response.status_code == 302
    assert len(mail.outbox) == 5
    assert "Skicka uppdatering" not in client.get(detail).content.decode()


def test_cancel_page_cancels_and_notifies(client, setup, django_capture_on_commit_callbacks):
    meeting = sent(setup, django_capture_on_commit_callbacks)
    url = reverse("meetings:invitation_cancel", args=[meeting.pk])
    client.force_login(setup.chair_user)
    assert "får ett meddelande om att mötet är inställt" in client.get(url).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"personal_note": "Vi återkommer med nytt datum."})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert len(mail.outbox) == 5
    assert "Vi återkommer med nytt datum." in mail.outbox[0].body


def test_member_may_not_cancel(client, setup, member_user):
    client.force_login(member_user)
    url = reverse("meetings:invitation_cancel", args=[setup.meeting.pk])
    assert client.post(url).status_code == 403
    setup.meeting.refresh_from_db()
    assert setup.meeting.status == Meeting.Status.AGENDA_APPROVED


# --- Calendar feed ----------------------------------------------------------------------------


def test_calendar_feed_lists_the_persons_meetings_and_can_be_revoked(
    client, setup, member_user, django_assert_max_num_queries
):
    client.force_login(member_user)
    assert client.get(reverse("meetings:calendar_settings")).status_code == 200
    client.post(reverse("meetings:calendar_regenerate"))
    feed = CalendarFeed.objects.get(person__user=member_user)
    feed_url = reverse("meetings:calendar_feed", args=[feed.token])
    assert feed_url in client.get(reverse("meetings:calendar_settings")).content.decode()
    client.logout()

    with django_assert_max_num_queries(5):
        response = client.get(feed_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [setup.meeting.calendar_uid]

    client.force_login(member_user)
    client.post(reverse("meetings:calendar_regenerate"))
    client.logout()
    assert client.get(feed_url).status_code == 404
    new_url = reverse("meetings:calendar_feed", args=[CalendarFeed.objects.get().token])
    assert client.get(new_url).status_code == 200

    client.force_login(member_user)
    client.post(reverse("meetings:calendar_revoke"))
    client.logout()
    assert client.get(new_url).status_code == 404


def test_calendar_feed_with_an_unknown_token_is_404(client):
    assert client.get(reverse("meetings:calendar_feed", args=["gissning"])).status_code == 404


def test_calendar_settings_need_login(client):
    response = client.get(reverse("meetings:calendar_settings"))
    assert response.status_code == 302


def test_meeting_page_panel_queries_do_not_grow_with_invitations(
    client, setup, member_user, django_capture_on_commit_callbacks
):
    meeting = sent(setup, django_capture_on_commit_callbacks)
    detail = reverse("meetings:meeting_detail", args=[meeting.pk])

    def count_queries(user):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail).status_code == 200
        return len(queries)

    # The first view asks for this agenda version's kallelse med handlingar (one row, once);
    # the first of each reader fills the agenda's cached fragments (rus.fragments).
    count_queries(setup.chair_user)
    count_queries(member_user)
    before = [count_queries(setup.chair_user), count_queries(member_user)]
    mailing = meeting.mailings.get()
    for n in range(15):
        Invitation.objects.create(
            meeting=meeting,
            mailing=mailing,
            name=f"Extra {n}",
            email=f"extra{n}@example.org",
            capacity=Invitation.Capacity.PRESENTER,
        )
    assert [count_queries(setup.chair_user), count_queries(member_user)] == before


def test_progress_filters_keep_their_choice_while_polling(
    client, setup, django_capture_on_commit_callbacks
):
    meeting = sent(setup, django_capture_on_commit_callbacks)
    answered = Invitation.objects.get(email="ledamot0@example.org")
    replies.record_reply(
        invitation=answered, reply=Invitation.Reply.ATTENDING, channel=Invitation.Channel.APP
    )
    client.force_login(setup.chair_user)
    page = client.get(progress_url(meeting), {"visa": "deltar"}).content.decode()
    assert "ledamot0@example.org" in page
    assert "ledamot1@example.org" not in page
    assert f'hx-get="{progress_url(meeting)}?visa=deltar"' in page
    page = client.get(progress_url(meeting), {"visa": "ej-svarat"}).content.decode()
    assert "ledamot0@example.org" not in page and "ledamot1@example.org" in page
    page = client.get(progress_url(meeting), {"visa": "okänt"}).content.decode()
    assert "ledamot0@example.org" in page and "ledamot1@example.org" in page


def test_cancelling_from_meeting_page_after_invitations_goes_to_cancellation(client, setup):
    """Those already invited must be told: the plain cancel button leads to the page that sends
    METHOD:CANCEL, and the meeting is not silently cancelled."""
    sending.send_invitations(meeting=setup.meeting, user=setup.chair_user)
    client.force_login(make_secretariat_user(council=setup.council))
    response = client.post(
        reverse("meetings:meeting_status", args=[setup.meeting.pk]), {"action": "cancel"}
    )
    assert response.status_code == 302
    assert response.url == reverse("meetings:invitation_cancel", args=[setup.meeting.pk])
    setup.meeting.refresh_from_db()
    assert setup.meeting.status == Meeting.Status.INVITATIONS_SENT


def test_answer_form_in_the_app_groups_the_answers_in_a_fieldset_with_the_substitute_apart(
    client, setup, member_user, django_capture_on_commit_callbacks
):
    sent(setup, django_capture_on_commit_callbacks)
    client.force_login(member_user)

    page = client.get(reverse("meetings:meeting_detail", args=[setup.meeting.pk])).content.decode()

    assert re.search(r'<fieldset class="field"[^>]*>\s*<legend>Ditt svar', page)
    assert 'for=""' not in page
    # Hidden by CSS until "Ersättare deltar" is chosen: the fields sit in their own wrapper.
    assert re.search(r'<div class="substitute-fields">.*name="substitute_name"', page, re.S)
