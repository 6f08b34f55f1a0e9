"""Justering (R8), called on the services directly: send, approve with the checksum seen, a
change voiding approvals, adjusting, reminders, corrections."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from meetings.models import Meeting
from protocols import canonical, services
from protocols.models import JusteringEvent, Protocol, ProtocolEntry, Signatory
from protocols.signals import protocol_adjusted
from rus.models import OutgoingMail
from tests.protocols.support import (
    add_paper_adjuster,
    adjusted_protocol,
    paper_protocol,
    ready_draft,
    sent_protocol,
)

pytestmark = pytest.mark.django_db

Kind = JusteringEvent.Kind


def user_of(membership):
    return membership.person.user


def mails(template):
    return list(OutgoingMail.objects.filter(template=template).order_by("id"))


def position_of(protocol, world):
    return protocol.entries.get(agenda_item=world.position)


# --- Send ---------------------------------------------------------------------------------------


def test_sending_mails_the_chair_and_each_adjuster_once_and_moves_the_meeting(world):
    protocol = sent_protocol(world)
    assert protocol.status == Protocol.Status.SENT_FOR_ADJUSTMENT
    world.meeting.refresh_from_db()
    assert world.meeting.status == Meeting.Status.MINUTES_DRAFTED
    signatories = {(s.person_id, s.role) for s in protocol.signatories.all()}
    assert signatories == {
        (world.chair.person_id, Signatory.Role.CHAIR),
        (world.member.person_id, Signatory.Role.ADJUSTER),
    }
    sent = mails("protocol_justering_request")
    assert sorted(m.to[0] for m in sent) == sorted(
        [world.chair.person.contact_email, world.member.person.contact_email]
    )
    deadline = f"{protocol.adjust_by.day} "
    assert all("justeras senast" in m.subject and deadline in m.subject for m in sent)
    assert all(m.context["path"].endswith("/protokoll/v1/") for m in sent)
    assert protocol.checksum == canonical.checksum(protocol)
    assert [e.kind for e in protocol.justering_events.all()] == [Kind.SENT]


def test_sending_twice_is_refused_and_mails_nobody_again(world):
    protocol = sent_protocol(world)
    with pytest.raises(ValidationError):
        services.send_for_adjustment(protocol=protocol, user=world.secretariat)
    assert len(mails("protocol_justering_request")) == 2


def test_a_draft_without_adjusters_or_outcome_is_not_sent(world):
    protocol = services.open_protocol(meeting=world.meeting, user=world.secretariat)
    problems = services.sending_problems(protocol)
    assert any("justerare" in p for p in problems)
    assert any("saknar utfall" in p for p in problems)
    with pytest.raises(ValidationError):
        services.send_for_adjustment(protocol=protocol, user=world.secretariat)
    protocol.refresh_from_db()
    assert protocol.is_draft
    assert not mails("protocol_justering_request")


def test_a_deadline_in_the_past_is_refused(world):
    protocol = ready_draft(world)
    with pytest.raises(ValidationError):
        services.send_for_adjustment(
            protocol=protocol,
            user=world.secretariat,
            adjust_by=timezone.localdate() - datetime.timedelta(days=1),
        )


# --- Approve ------------------------------------------------------------------------------------


def test_approval_records_user_person_time_and_checksum(world):
    protocol = sent_protocol(world)
    seen = canonical.checksum(protocol)
    services.approve(protocol=protocol, user=user_of(world.member), checksum=seen)
    signature = protocol.signatories.get(person=world.member.person)
    assert signature.approved_by == user_of(world.member)
    assert signature.approved_at is not None
    assert signature.checksum == seen == protocol.checksum
    assert len(seen) == 64
    protocol.refresh_from_db()
    assert protocol.is_sent  # the chair has not approved yet


def test_approving_content_that_changed_since_it_was_read_is_refused(world):
    protocol = sent_protocol(world)
    seen = canonical.checksum(protocol)
    entry = position_of(protocol, world)
    services.save_entry(
        entry=entry,
        user=world.secretariat,
        version=entry.version,
        minutes="Rådet diskuterade länge.",
        outcome=entry.outcome,
        outcome_text=entry.outcome_text,
    )
    with pytest.raises(ValidationError):
        services.approve(protocol=protocol, user=user_of(world.member), checksum=seen)
    assert not protocol.signatories.filter(approved_at__isnull=False).exists()


def test_only_a_signatory_approves_and_only_their_own_signature(world):
    protocol = sent_protocol(world)
    seen = canonical.checksum(protocol)
    for outsider in (user_of(world.opposition), world.secretariat):
        with pytest.raises(PermissionDenied):
            services.approve(protocol=protocol, user=outsider, checksum=seen)
    services.approve(protocol=protocol, user=user_of(world.member), checksum=seen)
    chair = protocol.signatories.get(role=Signatory.Role.CHAIR)
    assert not chair.has_approved


def test_chair_and_adjuster_approving_adjust_the_protocol_and_send_the_signal_once(
    world, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, protocol, **kwargs):
        received.append(protocol.pk)

    protocol_adjusted.connect(receiver)
    try:
        protocol = sent_protocol(world)
        seen = canonical.checksum(protocol)
        with django_capture_on_commit_callbacks(execute=True):
            services.approve(protocol=protocol, user=user_of(world.member), checksum=seen)
        assert received == []
        with django_capture_on_commit_callbacks(execute=True):
            services.approve(protocol=protocol, user=user_of(world.chair), checksum=seen)
        # No longer out for justering: refused, and no second signal.
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
            services.approve(protocol=protocol, user=user_of(world.chair), checksum=seen)
    finally:
        protocol_adjusted.disconnect(receiver)
    assert received == [protocol.pk]
    protocol.refresh_from_db()
    assert protocol.is_adjusted and protocol.adjusted_at and protocol.checksum == seen
    world.meeting.refresh_from_db()
    assert world.meeting.status == Meeting.Status.MINUTES_ADJUSTED
    kinds = [e.kind for e in protocol.justering_events.all()]
    assert kinds == [Kind.SENT, Kind.APPROVED, Kind.APPROVED, Kind.ADJUSTED]


def test_adjusting_mails_each_council_member_once_with_the_positions(world):
    adjusted_protocol(world)
    notices = mails("protocol_adjusted")
    addresses = [m.to[0] for m in notices]
    assert len(addresses) == len(set(addresses))
    expected = {
        m.person.contact_email
        for m in (world.chair, world.member, world.opposition, world.region_member)
    }
    assert expected <= set(addresses)
    positions = notices[0].context["positions"]
    assert [p["text"] for p in positions] == ["Rådet står bakom en stark sammanhållningspolitik."]


def test_the_log_api_lists_time_actor_kind_and_checksum(world):
    protocol = adjusted_protocol(world)
    events = list(protocol.justering_events.all())
    approved = [e for e in events if e.kind == Kind.APPROVED]
    assert [e.actor_name for e in approved] == [
        world.member.person.full_name,
        world.chair.person.full_name,
    ]
    assert all(e.at and e.kind_label and len(e.checksum) == 64 for e in approved)
    assert events[-1].kind_label == "Protokollet justerat"


# --- A change voids approvals -------------------------------------------------------------------


def test_a_change_after_an_approval_voids_it_mails_the_signatory_and_logs_both(world):
    protocol = sent_protocol(world)
    seen = canonical.checksum(protocol)
    services.approve(protocol=protocol, user=user_of(world.member), checksum=seen)
    entry = position_of(protocol, world)
    services.save_entry(
        entry=entry,
        user=world.secretariat,
        version=entry.version,
        minutes="Rättad text efter kommentar.",
        outcome=entry.outcome,
        outcome_text=entry.outcome_text,
    )
    signature = protocol.signatories.get(person=world.member.person)
    assert not signature.has_approved
    voided = mails("protocol_justering_voided")
    assert [m.to for m in voided] == [[world.member.person.contact_email]]
    kinds = [e.kind for e in protocol.justering_events.all()]
    assert kinds == [Kind.SENT, Kind.APPROVED, Kind.CHANGED, Kind.VOIDED]
    voided_event = protocol.justering_events.get(kind=Kind.VOIDED)
    assert voided_event.checksum == seen and voided_event.subject_name == signature.name
    # Approving the new content (and the chair) adjusts it.
    now = canonical.checksum(protocol)
    assert now != seen
    services.approve(protocol=protocol, user=user_of(world.member), checksum=now)
    services.approve(protocol=protocol, user=user_of(world.chair), checksum=now)
    protocol.refresh_from_db()
    assert protocol.is_adjusted


def test_a_save_that_changes_nothing_voids_nothing(world):
    protocol = sent_protocol(world)
    services.approve(
        protocol=protocol, user=user_of(world.member), checksum=canonical.checksum(protocol)
    )
    entry = position_of(protocol, world)
    services.save_entry(
        entry=entry,
        user=world.secretariat,
        version=entry.version,
        minutes=entry.minutes,
        outcome=entry.outcome,
        outcome_text=entry.outcome_text,
    )
    assert protocol.signatories.get(person=world.member.person).has_approved
    assert not mails("protocol_justering_voided")


def test_the_adjusters_cannot_be_changed_while_out_for_justering(world):
    protocol = sent_protocol(world)
    entry = protocol.entries.get(standing_key="adjuster")
    other = protocol.attendance.get(membership=world.opposition)
    with pytest.raises(ValidationError):
        services.elect_adjusters(entry=entry, user=world.secretariat, attendances=[other])
    assert set(protocol.attendance.filter(is_adjuster=True).values_list("pk", flat=True)) == {
        protocol.attendance.get(membership=world.member).pk
    }


# --- Comments -----------------------------------------------------------------------------------


def test_a_signatory_comments_per_paragraph_and_the_secretariat_answers(world):
    protocol = sent_protocol(world)
    entry = position_of(protocol, world)
    entry.protocol = protocol
    comment = services.comment(entry=entry, user=user_of(world.member), text="Stavfel i texten.")
    with pytest.raises(PermissionDenied):
        services.comment(entry=entry, user=user_of(world.opposition), text="Jag med.")
    services.answer_comment(comment=comment, user=world.secretariat, text="Rättat.")
    comment.refresh_from_db()
    assert comment.is_answered and comment.answer == "Rättat."
    kinds = [e.kind for e in protocol.justering_events.all()]
    assert kinds == [Kind.SENT, Kind.COMMENTED, Kind.ANSWERED]


# --- Reminders ----------------------------------------------------------------------------------


def test_reminders_three_days_and_one_day_before_each_once_to_those_who_have_not_approved(world):
    protocol = sent_protocol(world)
    services.approve(
        protocol=protocol, user=user_of(world.chair), checksum=canonical.checksum(protocol)
    )
    deadline = protocol.adjust_by
    noon = datetime.time(12, 0)

    def at(day):
        return timezone.make_aware(datetime.datetime.combine(day, noon))

    assert services.send_reminders(now=at(deadline - datetime.timedelta(days=4))) == 0
    assert services.send_reminders(now=at(deadline - datetime.timedelta(days=3))) == 1
    assert services.send_reminders(now=at(deadline - datetime.timedelta(days=3))) == 0
    assert services.send_reminders(now=at(deadline - datetime.timedelta(days=2))) == 0
    assert services.send_reminders(now=at(deadline - datetime.timedelta(days=1))) == 1
    assert services.send_reminders(now=at(deadline)) == 0
    assert services.send_reminders(now=at(deadline + datetime.timedelta(days=1))) == 0
    reminders = mails("protocol_justering_reminder")
    assert [m.to for m in reminders] == [[world.member.person.contact_email]] * 2
    assert protocol.justering_events.filter(kind=Kind.REMINDED).count() == 2


def test_overdue_protocols_are_listed_for_the_secretariat(world):
    from protocols import selectors

    protocol = sent_protocol(world)
    later = protocol.adjust_by + datetime.timedelta(days=1)
    listed = selectors.awaiting_adjustment(today=later)
    assert [p.pk for p in listed] == [protocol.pk] and listed[0].overdue
    assert Protocol.objects.overdue(today=later).get() == protocol
    assert [s.protocol_id for s in selectors.pending_signatures(world.member.person)] == [
        protocol.pk
    ]


# --- Corrections --------------------------------------------------------------------------------


def test_a_correction_is_a_new_linked_version_that_is_adjusted_again(world):
    original = adjusted_protocol(world)
    original_checksum = original.checksum
    correction = services.start_correction(
        protocol=original, user=world.secretariat, reason="Fel organisation i § 2."
    )
    assert (correction.version, correction.corrects, correction.is_draft) == (2, original, True)
    assert list(correction.entries.values_list("number", flat=True)) == list(
        original.entries.values_list("number", flat=True)
    )
    assert correction.attendance.count() == original.attendance.count()
    with pytest.raises(ValidationError):  # one correction at a time, of the newest version
        services.start_correction(protocol=original, user=world.secretariat, reason="Igen.")
    entry = correction.entries.get(agenda_item=world.position)
    services.save_entry(
        entry=entry,
        user=world.secretariat,
        version=entry.version,
        minutes="Rättad protokollstext.",
        outcome=entry.outcome,
        outcome_text=entry.outcome_text,
    )
    services.send_for_adjustment(protocol=correction, user=world.secretariat)
    seen = canonical.checksum(correction)
    for membership in (world.member, world.chair):
        services.approve(protocol=correction, user=user_of(membership), checksum=seen)
    correction.refresh_from_db()
    original.refresh_from_db()
    assert correction.is_adjusted
    assert original.is_adjusted and original.checksum == original_checksum
    assert Protocol.objects.latest_for(world.meeting) == correction


def test_no_paragraph_is_added_to_a_correction(world):
    correction = services.start_correction(
        protocol=adjusted_protocol(world), user=world.secretariat, reason="Rättelse."
    )
    with pytest.raises(ValidationError):
        services.add_entry(
            protocol=correction, user=world.secretariat, title="Ny", kind="information"
        )


def test_the_canonical_content_is_stable_and_covers_the_protocol(world):
    protocol = ready_draft(world)
    first = canonical.serialise(protocol)
    assert first == canonical.serialise(protocol)
    content = canonical.content(protocol)
    assert content["format"] == canonical.FORMAT
    assert [e["number"] for e in content["entries"]] == sorted(
        protocol.entries.values_list("number", flat=True)
    )
    assert any(e["outcome"] == ProtocolEntry.Outcome.CONSENSUS for e in content["entries"])
    assert "Rådet står bakom" in first.decode("utf-8")  # UTF-8, not escaped


def test_the_beat_task_sends_the_due_reminders(world, settings):
    from protocols.tasks import send_justering_reminders

    protocol = ready_draft(world)
    services.send_for_adjustment(
        protocol=protocol,
        user=world.secretariat,
        adjust_by=timezone.localdate() + datetime.timedelta(days=1),
        now=timezone.now() - datetime.timedelta(days=5),
    )
    assert "protocols.tasks.send_justering_reminders" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    assert send_justering_reminders() == 2
    assert send_justering_reminders() == 0


def test_a_change_that_waited_for_an_adjusting_approval_is_rolled_back(world):
    """A change written while the last approval held the protocol's lock: when it gets the lock
    the protocol is adjusted, so the change is refused (its transaction rolls back)."""
    from protocols.models import ProtocolLocked

    protocol = adjusted_protocol(world)
    with pytest.raises(ProtocolLocked):
        services.note_revision(protocol_id=protocol.pk, user=world.secretariat)


# --- Justering on paper (a signatory without an account) ----------------------------------------


def _yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


def _sent_yesterday(world):
    """Sent for justering yesterday to the chair and world.paper, who signs on paper."""
    add_paper_adjuster(world)
    protocol = ready_draft(world, adjusters=("paper",))
    services.send_for_adjustment(
        protocol=protocol, user=world.secretariat, now=timezone.now() - datetime.timedelta(days=1)
    )
    protocol.refresh_from_db()
    return protocol


def paper_signature(protocol):
    return protocol.signatories.get(on_paper=True)


def test_a_signatory_without_an_account_signs_on_paper_and_gets_no_mail(world):
    add_paper_adjuster(world)
    draft = ready_draft(world, adjusters=("paper",))
    assert services.sending_problems(draft) == []
    assert services.paper_signatories(draft) == [world.paper.person.full_name]
    protocol = sent_protocol_of(world, draft)
    signatories = {s.person_id: s.on_paper for s in protocol.signatories.all()}
    assert signatories == {world.chair.person_id: False, world.paper.person_id: True}
    sent = mails("protocol_justering_request")
    assert [m.to for m in sent] == [[world.chair.person.contact_email]]


def sent_protocol_of(world, draft):
    services.send_for_adjustment(protocol=draft, user=world.secretariat)
    draft.refresh_from_db()
    return draft


def test_only_the_secretariat_records_a_paper_signature(world):
    protocol = paper_protocol(world)
    seen = canonical.checksum(protocol)
    for outsider in (user_of(world.chair), user_of(world.member)):
        with pytest.raises(PermissionDenied):
            services.record_paper_signature(
                signatory=paper_signature(protocol),
                user=outsider,
                checksum=seen,
                signed_on=timezone.localdate(),
            )
    assert not paper_signature(protocol).has_approved


def test_a_paper_signature_on_content_changed_since_the_printout_is_refused(world):
    protocol = paper_protocol(world)
    printed = canonical.checksum(protocol)
    entry = position_of(protocol, world)
    services.save_entry(
        entry=entry,
        user=world.secretariat,
        version=entry.version,
        minutes="Rättad efter utskriften.",
        outcome=entry.outcome,
        outcome_text=entry.outcome_text,
    )
    with pytest.raises(ValidationError) as refused:
        services.record_paper_signature(
            signatory=paper_signature(protocol),
            user=world.secretariat,
            checksum=printed,
            signed_on=timezone.localdate(),
        )
    assert refused.value.code == "changed"
    assert "har ändrats sedan utskriften" in refused.value.messages[0]
    assert not paper_signature(protocol).has_approved


@pytest.mark.parametrize("days", [1, -2])
def test_a_paper_signature_dated_in_the_future_or_before_sending_is_refused(world, days):
    protocol = _sent_yesterday(world)
    with pytest.raises(ValidationError) as refused:
        services.record_paper_signature(
            signatory=paper_signature(protocol),
            user=world.secretariat,
            checksum=canonical.checksum(protocol),
            signed_on=timezone.localdate() + datetime.timedelta(days=days),
        )
    assert "signed_on" in refused.value.error_dict
    assert not paper_signature(protocol).has_approved


def test_a_signatory_with_an_account_is_not_recorded_on_paper(world):
    protocol = sent_protocol(world)
    with pytest.raises(ValidationError) as refused:
        services.record_paper_signature(
            signatory=protocol.signatories.get(person=world.member.person),
            user=world.secretariat,
            checksum=canonical.checksum(protocol),
            signed_on=timezone.localdate(),
        )
    assert refused.value.code == "not_on_paper"


def test_the_paper_signature_and_the_chairs_adjust_the_protocol_once(
    world, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, protocol, **kwargs):
        received.append(protocol.pk)

    protocol_adjusted.connect(receiver)
    try:
        protocol = _sent_yesterday(world)
        seen = canonical.checksum(protocol)
        with django_capture_on_commit_callbacks(execute=True):
            services.record_paper_signature(
                signatory=paper_signature(protocol),
                user=world.secretariat,
                checksum=seen,
                signed_on=_yesterday(),
            )
        signature = paper_signature(protocol)
        assert signature.approved_by == world.secretariat
        assert timezone.localtime(signature.approved_at).date() == _yesterday()
        assert signature.checksum == seen
        protocol.refresh_from_db()
        assert protocol.is_sent and received == []
        with django_capture_on_commit_callbacks(execute=True):
            services.approve(protocol=protocol, user=user_of(world.chair), checksum=seen)
    finally:
        protocol_adjusted.disconnect(receiver)
    assert received == [protocol.pk]
    protocol.refresh_from_db()
    assert protocol.is_adjusted and protocol.checksum == seen
    events = list(protocol.justering_events.all())
    assert [e.kind for e in events] == [
        Kind.SENT,
        Kind.APPROVED_ON_PAPER,
        Kind.APPROVED,
        Kind.ADJUSTED,
    ]
    paper_event = events[1]
    assert paper_event.kind_label == "Justerat på papper, registrerat av kansliet"
    assert paper_event.subject_name == world.paper.person.full_name
    assert paper_event.checksum == seen and paper_event.text.startswith("Undertecknat ")


def test_the_paper_signature_recorded_last_adjusts_the_protocol(world):
    protocol = paper_protocol(world)
    seen = canonical.checksum(protocol)
    services.approve(protocol=protocol, user=user_of(world.chair), checksum=seen)
    services.record_paper_signature(
        signatory=paper_signature(protocol),
        user=world.secretariat,
        checksum=seen,
        signed_on=timezone.localdate(),
    )
    protocol.refresh_from_db()
    assert protocol.is_adjusted
    assert protocol.justering_events.last().kind == Kind.ADJUSTED
    world.meeting.refresh_from_db()
    assert world.meeting.status == Meeting.Status.MINUTES_ADJUSTED


def test_a_later_change_voids_a_paper_signature_without_mailing_the_signatory(world):
    protocol = paper_protocol(world)
    printed = canonical.checksum(protocol)
    services.record_paper_signature(
        signatory=paper_signature(protocol),
        user=world.secretariat,
        checksum=printed,
        signed_on=timezone.localdate(),
    )
    entry = position_of(protocol, world)
    services.save_entry(
        entry=entry,
        user=world.secretariat,
        version=entry.version,
        minutes="Ändrad efter justeringen på papper.",
        outcome=entry.outcome,
        outcome_text=entry.outcome_text,
    )
    signature = paper_signature(protocol)
    assert not signature.has_approved and signature.approved_by is None
    assert not mails("protocol_justering_voided")
    voided = protocol.justering_events.get(kind=Kind.VOIDED)
    assert voided.checksum == printed and voided.subject_name == signature.name
    # The chair approving the new content does not adjust it: the paper signature is missing.
    services.approve(
        protocol=protocol, user=user_of(world.chair), checksum=canonical.checksum(protocol)
    )
    protocol.refresh_from_db()
    assert protocol.is_sent


def test_reminders_go_to_no_paper_signatory(world):
    protocol = paper_protocol(world)
    day = protocol.adjust_by - datetime.timedelta(days=1)
    noon = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    assert services.send_reminders(now=noon) == 1
    assert [m.to for m in mails("protocol_justering_reminder")] == [
        [world.chair.person.contact_email]
    ]
