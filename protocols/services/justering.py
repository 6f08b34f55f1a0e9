"""Justering (R8): the draft is sent to the chair and the adjusters, who read it, comment per §
and approve it ("Jag justerar protokollet"); once all have approved the protocol is adjusted
and final. A mistake found later is corrected by a correction: a new version that goes through
justering itself.

Every approval carries the SHA-256 of the canonical content its signatory saw
(protocols/canonical.py). The secretariat may still change the draft while it is out for
justering; a change voids the approvals given (`note_revision`, called by every write service
of the protocol), the signatories are told by mail and approve again. Every step is an event
in the justering log (`JusteringEvent`).

A signatory whose person has no account in Samverkan signs on paper (R8): marked `on_paper`
when the protocol is sent, never mailed, and the secretariat records the signature on the
printout of the current content (`record_paper_signature`, the same checksum rule as `approve`).
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from councils.access import roles_for
from councils.models import Membership
from councils.selectors import contact_emails
from meetings.models import Meeting
from protocols import canonical
from protocols.models import (
    Attendance,
    Dissent,
    HomeDecision,
    JusteringComment,
    JusteringEvent,
    Protocol,
    ProtocolEntry,
    ProtocolLocked,
    Signatory,
    WithdrawnDissent,
)
from protocols.signals import protocol_adjusted
from rus.tasks import queue_mail

from .common import author_of, recorded_by

Kind = JusteringEvent.Kind
CHAIR_CAPACITIES = (Attendance.Capacity.CHAIR, Attendance.Capacity.VICE_CHAIR)


# --- Who adjusts ------------------------------------------------------------------------------


def required_signatories(protocol):
    """The attendance rows that must adjust: the chair of the meeting (the vice chair where the
    chair was absent) and the adjusters elected at it. [(row, role)]."""
    rows = list(protocol.attendance.select_related("person__user"))
    chairs = sorted(
        (r for r in rows if r.present and r.capacity in CHAIR_CAPACITIES),
        key=lambda r: CHAIR_CAPACITIES.index(r.capacity),
    )
    result = []
    if chairs:
        result.append((chairs[0], Signatory.Role.CHAIR))
    for row in rows:
        if row.is_adjuster and all(row.pk != chosen.pk for chosen, _role in result):
            result.append((row, Signatory.Role.ADJUSTER))
    return result


def sending_problems(protocol):
    """Why the draft cannot be sent for justering yet, in Swedish ([] when it can)."""
    problems = []
    signatories = required_signatories(protocol)
    if not any(role == Signatory.Role.CHAIR for _row, role in signatories):
        problems.append(_("Ingen ordförande är markerad som närvarande."))
    if not any(role == Signatory.Role.ADJUSTER for _row, role in signatories):
        problems.append(_("Inga justerare är valda."))
    open_positions = protocol.entries.filter(
        kind=ProtocolEntry.Kind.POSITION, struck=False, outcome=ProtocolEntry.Outcome.NONE
    ).values_list("number", flat=True)
    for number in open_positions:
        problems.append(_("§ %(number)s saknar utfall.") % {"number": number})
    return problems


def signs_on_paper(row):
    """An attendance row without an account signs the printed protocol (R8)."""
    return row.person is None or row.person.user_id is None


def paper_signatories(protocol):
    """The names of those who will sign on paper when the draft is sent (the send page)."""
    return [row.name for row, _role in required_signatories(protocol) if signs_on_paper(row)]


def signatory_for(protocol, user):
    """The user's signature on the protocol, or None: only their own (R8)."""
    person = roles_for(user).person
    if person is None:
        return None
    return protocol.signatories.filter(person=person).first()


# --- Mail -------------------------------------------------------------------------------------


def _day(value):
    with translation.override(settings.LANGUAGE_CODE):
        return formats.date_format(value, "j F Y")


def justering_path(protocol):
    return reverse("protocols:justering", args=[protocol.meeting_id, protocol.version])


def _mail_context(protocol, signatory=None):
    meeting = protocol.meeting
    return {
        "name": signatory.name if signatory else "",
        "meeting": meeting.title,
        "council": protocol.council.name,
        "meeting_day": _day(timezone.localtime(meeting.starts_at).date()),
        "adjust_by": _day(protocol.adjust_by),
        "version": protocol.version,
        "is_correction": protocol.is_correction,
        "path": justering_path(protocol),
    }


def _mail_signatory(signatory, template, **extra):
    if signatory.on_paper:  # signs the printout; the secretariat keeps them informed
        return None
    person = signatory.person
    email = person.contact_email if person is not None else ""
    if not email:
        return None
    context = {**_mail_context(signatory.protocol, signatory), **extra}
    return queue_mail(template=template, to=[email], context=context)


def _log(protocol, kind, *, user=None, signatory=None, entry=None, checksum="", text="", at=None):
    person = roles_for(user).person if user is not None and user.is_authenticated else None
    actor = person.full_name if person else (user.get_full_name() or user.username if user else "")
    return JusteringEvent.objects.create(
        protocol=protocol,
        kind=kind,
        at=at or timezone.now(),
        user=author_of(user),
        actor_name=actor,
        signatory=signatory,
        subject_name=signatory.name if signatory else "",
        entry=entry,
        checksum=checksum,
        text=text,
    )


def _lock(protocol):
    return (
        Protocol.objects.select_for_update(of=("self",))
        .select_related("meeting", "council", "corrects")
        .get(pk=protocol.pk)
    )


# --- Send -------------------------------------------------------------------------------------


@transaction.atomic
def send_for_adjustment(*, protocol, user, adjust_by=None, now=None):
    """Skicka för justering: the chair and each adjuster get a mail with a link and the
    deadline ("Justeras senast …"); the meeting moves to "Protokoll upprättat". One without
    an account signs on paper (`on_paper`) and gets no mail."""
    now = now or timezone.now()
    protocol = _lock(protocol)
    if not protocol.is_draft:
        raise ValidationError(_("Protokollet är redan skickat för justering."), code="not_draft")
    if adjust_by is not None:
        if adjust_by < timezone.localtime(now).date():
            raise ValidationError({"adjust_by": _("Sista dag för justering har redan varit.")})
        protocol.adjust_by = adjust_by
    problems = sending_problems(protocol)
    if problems:
        raise ValidationError(problems, code="incomplete")
    protocol.status = Protocol.Status.SENT_FOR_ADJUSTMENT
    protocol.sent_at = now
    protocol.sent_by = author_of(user)
    protocol.checksum = canonical.checksum(protocol)
    recorded_by(protocol, user).save()
    signatories = Signatory.objects.bulk_create(
        Signatory(
            protocol=protocol,
            attendance=row,
            person=row.person,
            name=row.name,
            organisation_name=row.organisation_name,
            role=role,
            on_paper=signs_on_paper(row),
        )
        for row, role in required_signatories(protocol)
    )
    _log(protocol, Kind.SENT, user=user, checksum=protocol.checksum, at=now)
    meeting = protocol.meeting
    if meeting.can_move_to(Meeting.Status.MINUTES_DRAFTED):
        meeting.mark_minutes_drafted()
    for signatory in signatories:
        signatory.protocol = protocol
        _mail_signatory(signatory, "protocol_justering_request")
    return protocol


# --- While out for justering ------------------------------------------------------------------


def note_revision(*, protocol_id, user):
    """After a change to a protocol out for justering (inside the change's transaction): log
    it and void the approvals given to other content; each such signatory is mailed and must
    approve again (a paper signatory is not mailed: the secretariat asks for a new signature on
    a new printout). The signatories were fixed when the protocol was sent: a change to who the
    chair or the adjusters are is refused (the whole change is rolled back)."""
    protocol = (
        Protocol.objects.select_for_update(of=("self",))
        .select_related("meeting", "council", "corrects")
        .get(pk=protocol_id)
    )
    if protocol.is_adjusted:
        # Adjusted while this change waited for the lock: the approvals covered the content
        # without it, so the change is refused (rolled back with the transaction).
        raise ProtocolLocked()
    if not protocol.is_sent:
        return protocol
    required = {(row.person_id, role) for row, role in required_signatories(protocol)}
    recorded = set(protocol.signatories.values_list("person_id", "role"))
    if required != recorded:
        raise ValidationError(
            _(
                "Ordföranden och justerarna kan inte ändras när protokollet är skickat för "
                "justering."
            ),
            code="signatories_fixed",
        )
    current = canonical.checksum(protocol)
    if current == protocol.checksum:
        return protocol
    protocol.checksum = current
    recorded_by(protocol, user).save(update_fields=["checksum"])
    _log(protocol, Kind.CHANGED, user=user, checksum=current)
    voided = list(protocol.signatories.filter(approved_at__isnull=False).exclude(checksum=current))
    for signatory in voided:
        _log(protocol, Kind.VOIDED, user=user, signatory=signatory, checksum=signatory.checksum)
        signatory.approved_at = None
        signatory.approved_by = None
        signatory.checksum = ""
        signatory.save(update_fields=["approved_at", "approved_by", "checksum"])
        signatory.protocol = protocol
        _mail_signatory(signatory, "protocol_justering_voided")
    return protocol


@transaction.atomic
def comment(*, entry, user, text):
    """A signatory comments on one § (the secretariat answers and changes the draft)."""
    protocol = _lock(entry.protocol)
    if not protocol.is_sent:
        raise ValidationError(_("Protokollet är inte ute för justering."), code="not_sent")
    signatory = signatory_for(protocol, user)
    if signatory is None:
        raise PermissionDenied(_("Bara ordföranden och justerarna kommenterar vid justering."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Skriv en kommentar.")})
    row = JusteringComment.objects.create(
        protocol=protocol,
        entry=entry,
        author=author_of(user),
        author_name=signatory.name,
        text=text,
    )
    _log(protocol, Kind.COMMENTED, user=user, signatory=signatory, entry=entry, text=text)
    return row


@transaction.atomic
def answer_comment(*, comment, user, text):
    """The secretariat's answer to a comment (it changes the draft itself where needed)."""
    protocol = _lock(comment.protocol)
    if not protocol.is_sent:
        raise ValidationError(_("Protokollet är inte ute för justering."), code="not_sent")
    text = text.strip()
    if not text:
        raise ValidationError({"answer": _("Skriv ett svar.")})
    comment = JusteringComment.objects.select_for_update().get(pk=comment.pk)
    person = roles_for(user).person
    comment.answer = text
    comment.answered_by = author_of(user)
    comment.answered_by_name = person.full_name if person else user.get_username()
    comment.answered_at = timezone.now()
    comment.save()
    _log(protocol, Kind.ANSWERED, user=user, entry=comment.entry, text=text)
    return comment


@transaction.atomic
def approve(*, protocol, user, checksum, now=None):
    """Jag justerar protokollet: the user's own signature, on the content they saw
    (`checksum`, from the page they read). Refused when the content changed since. When the
    chair and every adjuster have approved the same content, the protocol is adjusted."""
    now = now or timezone.now()
    protocol = _lock(protocol)
    if not protocol.is_sent:
        raise ValidationError(_("Protokollet är inte ute för justering."), code="not_sent")
    signatory = signatory_for(protocol, user)
    if signatory is None:
        raise PermissionDenied(_("Bara ordföranden och justerarna justerar, var och en själv."))
    current = canonical.checksum(protocol)
    if checksum != current:
        raise ValidationError(
            _(
                "Protokollet har ändrats sedan du öppnade det. Läs igenom det igen och justera "
                "sedan."
            ),
            code="changed",
        )
    if signatory.has_approved and signatory.checksum == current:
        return protocol
    signatory.approved_at = now
    signatory.approved_by = author_of(user)
    signatory.checksum = current
    signatory.save(update_fields=["approved_at", "approved_by", "checksum"])
    _log(protocol, Kind.APPROVED, user=user, signatory=signatory, checksum=current, at=now)
    if not protocol.signatories.exclude(checksum=current).exists():
        _adjust(protocol, checksum=current, now=now)
    return protocol


@transaction.atomic
def record_paper_signature(*, signatory, user, checksum, signed_on, now=None):
    """The secretariat records that a paper signatory signed the printout of the content with
    `checksum` on `signed_on` (R8). Refused for anyone but the secretariat, for a signatory who
    adjusts electronically, when the content changed since the printout (the same rule as
    `approve`), and for a date in the future or before the protocol was sent. When everyone
    has approved the same content, the protocol is adjusted."""
    now = now or timezone.now()
    if not roles_for(user).is_secretariat:
        raise PermissionDenied(_("Bara kansliet registrerar en justering på papper."))
    protocol = _lock(signatory.protocol)
    if not protocol.is_sent:
        raise ValidationError(_("Protokollet är inte ute för justering."), code="not_sent")
    signatory = Signatory.objects.select_for_update().get(pk=signatory.pk, protocol=protocol)
    if not signatory.on_paper:
        raise ValidationError(
            _("%(name)s justerar elektroniskt, inte på papper.") % {"name": signatory.name},
            code="not_on_paper",
        )
    current = canonical.checksum(protocol)
    if checksum != current:
        raise ValidationError(
            _(
                "Protokollet har ändrats sedan utskriften. Skriv ut den nya versionen och låt "
                "%(name)s justera den."
            )
            % {"name": signatory.name},
            code="changed",
        )
    today = timezone.localtime(now).date()
    sent_on = timezone.localtime(protocol.sent_at).date()
    if signed_on > today:
        raise ValidationError({"signed_on": _("Datumet kan inte ligga i framtiden.")})
    if signed_on < sent_on:
        raise ValidationError(
            {"signed_on": _("Datumet kan inte ligga före den dag protokollet skickades.")}
        )
    if signatory.has_approved and signatory.checksum == current:
        return protocol
    # Noon on the day signed: a paper signature has a date, not a time.
    approved_at = timezone.make_aware(
        datetime.datetime.combine(signed_on, datetime.time(12)), timezone.get_current_timezone()
    )
    signatory.approved_at = min(max(approved_at, protocol.sent_at), now)
    signatory.approved_by = author_of(user)
    signatory.checksum = current
    signatory.save(update_fields=["approved_at", "approved_by", "checksum"])
    signatory.protocol = protocol
    with translation.override(settings.LANGUAGE_CODE):  # the log is kept in Swedish
        signed = _("Undertecknat %(day)s.") % {"day": _day(signed_on)}
    _log(
        protocol,
        Kind.APPROVED_ON_PAPER,
        user=user,
        signatory=signatory,
        checksum=current,
        text=signed,
        at=now,
    )
    if not protocol.signatories.exclude(checksum=current).exists():
        _adjust(protocol, checksum=current, now=now)
    return protocol


def _adjust(protocol, *, checksum, now):
    """Everyone has approved: the protocol is adjusted, final. The log's last event is written
    before the status changes (after it nothing under the protocol may be written)."""
    _log(protocol, Kind.ADJUSTED, checksum=checksum, at=now)
    protocol.status = Protocol.Status.ADJUSTED
    protocol.adjusted_at = now
    protocol.checksum = checksum
    protocol.save(update_fields=["status", "adjusted_at", "checksum"])
    meeting = protocol.meeting
    if meeting.can_move_to(Meeting.Status.MINUTES_ADJUSTED):
        meeting.mark_minutes_adjusted()
    _publish_notice(protocol)
    transaction.on_commit(lambda: protocol_adjusted.send(sender=Protocol, protocol=protocol))


def _publish_notice(protocol):
    """The council's members each get one mail: the positions taken and a link (R15)."""
    on = timezone.localtime(protocol.meeting.starts_at).date()
    memberships = (
        Membership.objects.current(on=on)
        .filter(council=protocol.council)
        .exclude(role=Membership.Role.SUBSTITUTE)
    )
    positions = [
        {"number": e.number, "title": e.title, "text": e.outcome_text}
        for e in protocol.entries.filter(
            outcome=ProtocolEntry.Outcome.CONSENSUS, struck=False
        ).order_by("number")
    ]
    context = {
        **_mail_context(protocol),
        "positions": positions,
        "path": justering_path(protocol),
    }
    for email in contact_emails(memberships):
        queue_mail(template="protocol_adjusted", to=[email], context=context)


# --- Reminders --------------------------------------------------------------------------------


def due_reminder(protocol, *, today):
    """Which reminder (days before the deadline) is due today for a protocol out for justering,
    or None: 3 days before, then 1 day before; none that falls before it was sent, none after
    the deadline (then it is overdue, on the secretariat's start page)."""
    if today > protocol.adjust_by:
        return None
    sent_on = timezone.localtime(protocol.sent_at).date() if protocol.sent_at else today
    for days in sorted(Signatory.REMINDER_DAYS):
        reminder_day = protocol.adjust_by - datetime.timedelta(days=days)
        if today >= reminder_day > sent_on:
            return days
    return None


def send_reminders(*, now=None):
    """Celery beat: remind the signatories who have not approved, 3 days and 1 day before the
    deadline, each reminder once per person (a conditional update claims it). Returns how many
    were sent."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    sent = 0
    protocols = Protocol.objects.awaiting_adjustment().filter(
        adjust_by__gte=today, adjust_by__lte=today + datetime.timedelta(days=3)
    )
    for protocol in protocols.select_related("meeting", "council", "corrects"):
        days = due_reminder(protocol, today=today)
        if days is None:
            continue
        field = Signatory.reminder_field(days)
        waiting = protocol.signatories.filter(approved_at__isnull=True, on_paper=False)
        for signatory in waiting.filter(**{field: None}):
            with transaction.atomic():
                claimed = Signatory.objects.filter(pk=signatory.pk, **{field: None}).update(
                    **{field: now}
                )
                if not claimed:
                    continue
                signatory.protocol = protocol
                _mail_signatory(signatory, "protocol_justering_reminder", days=days)
                _log(protocol, Kind.REMINDED, signatory=signatory, at=now)
                sent += 1
    return sent


# --- Corrections ------------------------------------------------------------------------------


@transaction.atomic
def start_correction(*, protocol, user, reason):
    """Rättelse: a new version of an adjusted protocol, a draft with the original's content,
    linked to it; the secretariat corrects it and sends it for justering like any draft. The
    original stays as it was. One correction at a time, of the newest version."""
    protocol = _lock(protocol)
    if not protocol.is_adjusted:
        raise ValidationError(_("Bara ett justerat protokoll rättas."), code="not_adjusted")
    if Protocol.objects.filter(meeting=protocol.meeting_id, version__gt=protocol.version).exists():
        raise ValidationError(
            _("Det finns redan en senare version av protokollet; rätta den."), code="superseded"
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Ange vad rättelsen gäller.")})
    today = timezone.localdate()
    correction = Protocol(
        meeting=protocol.meeting,
        council=protocol.council,
        year=protocol.year,
        version=protocol.version + 1,
        corrects=protocol,
        correction_reason=reason,
        adjust_by=today + datetime.timedelta(days=protocol.council.adjustment_days),
        opened_by=author_of(user),
    )
    recorded_by(correction, user).save()
    _copy_content(protocol, correction, user)
    _log(correction, Kind.CORRECTION_STARTED, user=user, text=reason)
    return correction


def _copy_content(original, correction, user):
    author = author_of(user)
    rows = list(original.attendance.all())
    attendance_map = {}
    for row in rows:
        old_pk = row.pk
        row.pk = row.id = None
        row._state.adding = True
        row.protocol = correction
        attendance_map[old_pk] = row
    bulk_create_with_history(rows, Attendance, default_user=author)
    entries = list(original.entries.order_by("number"))
    entry_map = {}
    for entry in entries:
        old_pk = entry.pk
        entry.pk = entry.id = None
        entry._state.adding = True
        entry.protocol = correction
        entry.protocol_version = correction.version
        entry.version = 1
        # The matter returned to the RUS group stays linked to the original's §.
        entry.returned_proposal = None
        entry_map[old_pk] = entry
    bulk_create_with_history(entries, ProtocolEntry, default_user=author)
    dissents = list(Dissent.objects.filter(entry__protocol=original))
    for dissent in dissents:
        dissent.pk = dissent.id = None
        dissent._state.adding = True
        dissent.entry = entry_map[dissent.entry_id]
        dissent.attendance = attendance_map.get(dissent.attendance_id)
    bulk_create_with_history(dissents, Dissent, default_user=author)
    for model in (WithdrawnDissent, HomeDecision):
        copies = list(model.objects.filter(entry__protocol=original))
        for row in copies:
            row.pk = row.id = None
            row._state.adding = True
            row.entry = entry_map[row.entry_id]
        model.objects.bulk_create(copies)
