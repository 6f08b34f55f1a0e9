"""The justering pages (R8): send, read, comment, approve — each only their own signature —
answer, the log, corrections, the start page; allowed and refused roles; query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem, Meeting
from protocols import canonical, services
from protocols.models import JusteringEvent, Protocol
from rus.models import OutgoingMail
from tests.factories import make_council, make_member_user, make_rus_group_user
from tests.meetings.factories import make_item
from tests.protocols.support import (
    add_paper_adjuster,
    adjusted_protocol,
    paper_protocol,
    ready_draft,
    sent_protocol,
    started_meeting,
)

pytestmark = pytest.mark.django_db


def url(name, world, *extra, version=1):
    return reverse(f"protocols:{name}", args=[world.meeting.pk, version, *extra])


def login(client, membership):
    client.force_login(membership.person.user)


# --- Send ---------------------------------------------------------------------------------------


def test_the_secretariat_sends_the_draft_for_justering(client, world):
    protocol = ready_draft(world)
    client.force_login(world.secretariat)
    page = client.get(url("justering", world))
    assert page.status_code == 200
    assert "Skicka för justering" in page.content.decode()
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(url("send", world), {"adjust_by": deadline.isoformat()})
    assert response.status_code == 302
    protocol.refresh_from_db()
    assert protocol.is_sent and protocol.adjust_by == deadline
    world.meeting.refresh_from_db()
    assert world.meeting.get_status_display() == "Protokoll upprättat"
    assert OutgoingMail.objects.filter(template="protocol_justering_request").count() == 2


def test_an_incomplete_draft_shows_why_and_is_not_sent(client, world):
    services.open_protocol(meeting=world.meeting, user=world.secretariat)
    client.force_login(world.secretariat)
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(url("send", world), {"adjust_by": deadline.isoformat()})
    assert response.status_code == 200
    assert "Inga justerare är valda." in response.content.decode()
    assert Protocol.objects.get(meeting=world.meeting).is_draft


def test_a_bad_date_gets_a_swedish_message(client, world):
    ready_draft(world)
    client.force_login(world.secretariat)
    response = client.post(url("send", world), {"adjust_by": "i morgon"})
    assert "Ange ett datum som ÅÅÅÅ-MM-DD." in response.content.decode()


def test_a_member_or_the_chair_cannot_send(client, world):
    ready_draft(world)
    for membership in (world.member, world.chair):
        login(client, membership)
        assert client.post(url("send", world), {"adjust_by": "2030-01-01"}).status_code == 403
    assert Protocol.objects.get(meeting=world.meeting).is_draft


# --- Approve ------------------------------------------------------------------------------------


def approve(client, world, membership, checksum):
    login(client, membership)
    return client.post(url("approve", world), {"checksum": checksum, "confirm": "on"})


def test_adjuster_and_chair_approve_and_the_protocol_is_adjusted(client, world):
    protocol = sent_protocol(world)
    login(client, world.member)
    page = client.get(url("justering", world))
    assert "Jag justerar protokollet" in page.content.decode()
    seen = page.context["checksum"]
    assert approve(client, world, world.member, seen).status_code == 302
    protocol.refresh_from_db()
    assert protocol.is_sent
    assert approve(client, world, world.chair, seen).status_code == 302
    protocol.refresh_from_db()
    assert protocol.is_adjusted
    world.meeting.refresh_from_db()
    assert world.meeting.status == Meeting.Status.MINUTES_ADJUSTED


def test_a_member_cannot_approve_for_someone_else(client, world):
    protocol = sent_protocol(world)
    seen = canonical.checksum(protocol)
    # A member of the council who is not a signatory, the secretariat, the RUS group: refused.
    for membership in (world.opposition, world.region_member):
        assert approve(client, world, membership, seen).status_code == 403
    client.force_login(world.secretariat)
    assert (
        client.post(url("approve", world), {"checksum": seen, "confirm": "on"}).status_code == 403
    )
    assert not protocol.signatories.filter(approved_at__isnull=False).exists()
    # The adjuster's approval signs only the adjuster's own signature, never the chair's.
    approve(client, world, world.member, seen)
    signed = set(
        protocol.signatories.filter(approved_at__isnull=False).values_list("person_id", flat=True)
    )
    assert signed == {world.member.person_id}


def test_approval_needs_the_confirmation(client, world):
    protocol = sent_protocol(world)
    login(client, world.member)
    response = client.post(url("approve", world), {"checksum": canonical.checksum(protocol)})
    assert "Bekräfta att du har läst protokollet." in response.content.decode()
    assert not protocol.signatories.filter(approved_at__isnull=False).exists()


def test_approving_a_page_read_before_a_change_is_refused_with_409(client, world):
    protocol = sent_protocol(world)
    stale = canonical.checksum(protocol)
    entry = protocol.entries.get(agenda_item=world.position)
    services.save_entry(
        entry=entry,
        user=world.secretariat,
        version=entry.version,
        minutes="Ändrad.",
        outcome=entry.outcome,
        outcome_text=entry.outcome_text,
    )
    response = approve(client, world, world.member, stale)
    assert response.status_code == 409
    assert "Protokollet har ändrats sedan du öppnade det" in response.content.decode()
    assert response.context["checksum"] == canonical.checksum(protocol) != stale


# --- Comments -----------------------------------------------------------------------------------


def test_a_signatory_comments_and_the_secretariat_answers(client, world):
    protocol = sent_protocol(world)
    entry = protocol.entries.get(agenda_item=world.position)
    login(client, world.member)
    response = client.post(url("comment", world, entry.pk), {"text": "Stavfel i § 2."})
    assert response.status_code == 302
    comment = protocol.justering_comments.get()
    login(client, world.opposition)
    assert client.post(url("comment", world, entry.pk), {"text": "Jag med."}).status_code == 403
    login(client, world.member)
    assert client.post(url("answer", world, comment.pk), {"answer": "Nej."}).status_code == 403
    client.force_login(world.secretariat)
    response = client.post(url("answer", world, comment.pk), {"answer": "Rättat."})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.answer == "Rättat."
    page = client.get(url("justering", world)).content.decode()
    assert "Stavfel i § 2." in page and "Rättat." in page


def test_an_empty_comment_is_refused_in_swedish_and_the_other_forms_stay(client, world):
    protocol = sent_protocol(world)
    entry = protocol.entries.get(agenda_item=world.position)
    login(client, world.member)
    response = client.post(url("comment", world, entry.pk), {"text": ""})
    html = response.content.decode()
    assert "Skriv en kommentar." in html
    # Every other § still has its own comment field.
    for other in protocol.entries.exclude(pk=entry.pk):
        assert f'id="kommentar-{other.pk}"' in html


def test_an_empty_answer_is_refused_and_the_other_comments_keep_their_answer_field(client, world):
    protocol = sent_protocol(world)
    entries = list(protocol.entries.order_by("number")[:2])
    for entry in entries:
        entry.protocol = protocol
        services.comment(entry=entry, user=world.member.person.user, text="Kommentar.")
    first, second = protocol.justering_comments.order_by("id")
    client.force_login(world.secretariat)
    html = client.post(url("answer", world, first.pk), {"answer": " "}).content.decode()
    assert "Skriv ett svar." in html
    assert f'id="svar-{second.pk}"' in html


# --- Reading, the log, pinned queries -----------------------------------------------------------


def test_members_read_the_justering_page_others_do_not(client, world):
    sent_protocol(world)
    login(client, world.opposition)
    page = client.get(url("justering", world))
    assert page.status_code == 200 and "Jag justerar protokollet" not in page.content.decode()
    client.force_login(make_rus_group_user())
    assert client.get(url("justering", world)).status_code == 403
    client.force_login(make_member_user(make_council()))
    assert client.get(url("justering", world)).status_code == 404


def test_the_log_lists_every_event_with_checksums(client, world, django_assert_max_num_queries):
    protocol = adjusted_protocol(world)
    login(client, world.opposition)
    with django_assert_max_num_queries(8):
        page = client.get(url("log", world))
    html = page.content.decode()
    for event in protocol.justering_events.all():
        assert event.kind_label in html
    assert protocol.checksum in html
    assert (
        html.count('<tr id="handelse-') == JusteringEvent.objects.filter(protocol=protocol).count()
    )


def test_the_justering_page_takes_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    protocol = sent_protocol(world)
    entry = protocol.entries.get(agenda_item=world.position)
    entry.protocol = protocol
    services.comment(entry=entry, user=world.member.person.user, text="Kommentar.")
    login(client, world.member)
    with django_assert_max_num_queries(21):
        assert client.get(url("justering", world)).status_code == 200


# --- Corrections --------------------------------------------------------------------------------


def test_the_secretariat_corrects_an_adjusted_protocol_and_both_versions_link(client, world):
    original = adjusted_protocol(world)
    login(client, world.chair)
    assert client.post(url("correct", world), {"reason": "Fel namn."}).status_code == 403
    client.force_login(world.secretariat)
    response = client.post(url("correct", world), {"reason": ""})
    assert "Ange vad rättelsen gäller." in response.content.decode()
    response = client.post(url("correct", world), {"reason": "Fel namn i närvarolistan."})
    assert response.status_code == 302
    correction = Protocol.objects.get(meeting=world.meeting, version=2)
    assert correction.corrects == original
    v1 = client.get(url("justering", world)).content.decode()
    v2 = client.get(url("justering", world, version=2)).content.decode()
    for html in (v1, v2):
        assert url("justering", world, version=2) in html and url("justering", world) in html
    assert "Fel namn i närvarolistan." in v2
    # The minutes page now edits the correction; the original is final.
    assert client.get(reverse("protocols:minutes", args=[world.meeting.pk])).status_code == 200
    original.refresh_from_db()
    assert original.is_adjusted


# --- The start page -----------------------------------------------------------------------------


def test_the_start_page_block_takes_a_fixed_number_of_queries(
    client, world, django_assert_num_queries
):
    sent_protocol(world)
    client.force_login(world.secretariat)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("home"))
    # A second protocol out for justering adds no query.
    other = started_meeting(world.council, title="Extra möte")
    make_item(
        other,
        title="Position",
        kind=AgendaItem.Kind.POSITION,
        target_area=world.position.target_area,
        background="Bakgrund.",
    )
    services.send_for_adjustment(protocol=ready_draft(world, meeting=other), user=world.secretariat)
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get(reverse("home")).content.decode()
    assert "Extra möte" in html and world.meeting.title in html


def test_the_start_page_shows_justering_to_the_secretariat_and_the_signatories(client, world):
    protocol = sent_protocol(world)
    Protocol.objects.filter(pk=protocol.pk).update(
        adjust_by=timezone.localdate() - datetime.timedelta(days=1)
    )
    client.force_login(world.secretariat)
    html = client.get(reverse("home")).content.decode()
    assert "Protokoll ute för justering" in html and "Försenat" in html
    assert world.meeting.title in html
    login(client, world.chair)
    html = client.get(reverse("home")).content.decode()
    assert "Protokoll att justera" in html and url("justering", world) in html
    login(client, world.opposition)
    html = client.get(reverse("home")).content.decode()
    assert "Protokoll att justera" not in html and "Protokoll ute för justering" not in html


# --- Justering on paper -------------------------------------------------------------------------


def paper_post(signatory, *, checksum, signed_on, confirm=True):
    prefix = f"papper-{signatory.pk}-"
    data = {f"{prefix}checksum": checksum, f"{prefix}signed_on": signed_on}
    if confirm:
        data[f"{prefix}confirm"] = "on"
    return data


def test_the_send_page_says_who_signs_on_paper_instead_of_refusing(client, world):
    add_paper_adjuster(world)
    protocol = ready_draft(world, adjusters=("paper",))
    client.force_login(world.secretariat)
    page = client.get(url("justering", world)).content.decode()
    assert "justerar på papper" in page and world.paper.person.full_name in page
    assert "har inget konto i Samverkan" not in page
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    assert client.post(url("send", world), {"adjust_by": deadline.isoformat()}).status_code == 302
    protocol.refresh_from_db()
    assert protocol.is_sent
    mailed = OutgoingMail.objects.filter(template="protocol_justering_request")
    assert [m.to for m in mailed] == [[world.chair.person.contact_email]]


def test_the_secretariat_records_a_paper_signature_and_the_chair_adjusts(client, world):
    protocol = paper_protocol(world)
    signatory = protocol.signatories.get(on_paper=True)
    client.force_login(world.secretariat)
    page = client.get(url("justering", world)).content.decode()
    assert "Justerar på papper" in page
    assert "Jag har den undertecknade utskriften av den här versionen" in page
    home = client.get(reverse("home")).content.decode()
    assert f"{world.paper.person.full_name} (väntar, justerar på papper)" in home
    action = url("paper_signature", world, signatory.pk)
    assert f'action="{action}"' in page
    seen = canonical.checksum(protocol)
    today = timezone.localdate().isoformat()
    response = client.post(action, paper_post(signatory, checksum=seen, signed_on=today))
    assert response.status_code == 302 and response["Location"] == url("justering", world)
    signatory.refresh_from_db()
    assert signatory.has_approved and signatory.approved_by == world.secretariat
    message = client.get(response["Location"]).content.decode()
    assert "Justeringen på papper av" in message and "är registrerad" in message
    approve(client, world, world.chair, seen)
    protocol.refresh_from_db()
    assert protocol.is_adjusted
    # The document (the HTML page and the PDF's template) lists the signature as on paper.
    draft = client.get(reverse("protocols:draft", args=[world.meeting.pk])).content.decode()
    assert f"{world.paper.person.full_name}, Region Västernorrland (på papper)" in draft


def test_recording_a_paper_signature_is_refused_to_all_but_the_secretariat(client, world):
    protocol = paper_protocol(world)
    signatory = protocol.signatories.get(on_paper=True)
    data = paper_post(
        signatory, checksum=canonical.checksum(protocol), signed_on=timezone.localdate()
    )
    for membership in (world.chair, world.member):
        login(client, membership)
        assert client.post(url("paper_signature", world, signatory.pk), data).status_code == 403
        page = client.get(url("justering", world)).content.decode()
        assert url("paper_signature", world, signatory.pk) not in page
    signatory.refresh_from_db()
    assert not signatory.has_approved


def test_a_paper_signature_without_confirmation_or_in_the_future_keeps_what_was_typed(
    client, world
):
    protocol = paper_protocol(world)
    signatory = protocol.signatories.get(on_paper=True)
    client.force_login(world.secretariat)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    action = url("paper_signature", world, signatory.pk)
    seen = canonical.checksum(protocol)
    response = client.post(
        action, paper_post(signatory, checksum=seen, signed_on=tomorrow, confirm=False)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bekräfta att du har den undertecknade utskriften av den här versionen." in page
    assert f'value="{tomorrow}"' in page
    response = client.post(action, paper_post(signatory, checksum=seen, signed_on=tomorrow))
    page = response.content.decode()
    assert "Datumet kan inte ligga i framtiden." in page and f'value="{tomorrow}"' in page
    signatory.refresh_from_db()
    assert not signatory.has_approved


def test_a_paper_signature_on_an_older_printout_is_refused_with_409(client, world):
    protocol = paper_protocol(world)
    signatory = protocol.signatories.get(on_paper=True)
    printed = canonical.checksum(protocol)
    entry = protocol.entries.get(agenda_item=world.position)
    services.save_entry(
        entry=entry,
        user=world.secretariat,
        version=entry.version,
        minutes="Ändrad efter utskriften.",
        outcome=entry.outcome,
        outcome_text=entry.outcome_text,
    )
    client.force_login(world.secretariat)
    today = timezone.localdate().isoformat()
    response = client.post(
        url("paper_signature", world, signatory.pk),
        paper_post(signatory, checksum=printed, signed_on=today),
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Protokollet har ändrats sedan utskriften" in page
    current = canonical.checksum(protocol)
    # The form now carries the current version, keeps the date, and asks to confirm again.
    assert f'value="{current}"' in page and f'value="{today}"' in page
    assert printed not in page
    signatory.refresh_from_db()
    assert not signatory.has_approved


def test_the_printout_shows_the_version_and_checksum_to_match_the_paper(client, world):
    protocol = paper_protocol(world)
    client.force_login(world.secretariat)
    draft = client.get(reverse("protocols:draft", args=[world.meeting.pk])).content.decode()
    assert (
        f'Version 1, kontrollsumma (SHA-256): <span class="checksum">{protocol.checksum}' in draft
    )
    assert protocol.checksum == canonical.checksum(protocol)
