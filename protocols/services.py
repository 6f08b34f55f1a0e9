"""Workflows of the protocol (R8, R10, R11): open it, minute the entries, keep the attendance,
record outcomes and dissents.

Every function takes keyword arguments only and runs in one transaction. The rules are enforced
here, whoever calls (view, admin, shell); the views check who may call (protocols/access.py).
A protocol that is no longer a draft changes no more.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from councils.locking import check_version
from councils.models import Membership
from meetings.models import AgendaItem, Invitation, ItemProposal, ItemReview, Meeting
from meetings.services import agenda as agenda_services
from meetings.services.proposals import notify_rus_group

from . import numbering
from .models import (
    Attendance,
    Dissent,
    HomeDecision,
    Protocol,
    ProtocolEntry,
    WithdrawnDissent,
)

ROLE_CAPACITY = {
    Membership.Role.CHAIR: Attendance.Capacity.CHAIR,
    Membership.Role.VICE_CHAIR: Attendance.Capacity.VICE_CHAIR,
    Membership.Role.MEMBER: Attendance.Capacity.MEMBER,
    Membership.Role.ADJUNCT: Attendance.Capacity.ADJUNCT,
    Membership.Role.SPEAKING_RIGHT: Attendance.Capacity.SPEAKING_RIGHT,
    Membership.Role.SECRETARY: Attendance.Capacity.SECRETARY,
    Membership.Role.PREPARATION: Attendance.Capacity.OTHER,
}
INVITATION_CAPACITY = {
    Invitation.Capacity.CHAIR: Attendance.Capacity.CHAIR,
    Invitation.Capacity.VICE_CHAIR: Attendance.Capacity.VICE_CHAIR,
    Invitation.Capacity.MEMBER: Attendance.Capacity.MEMBER,
    Invitation.Capacity.ADJUNCT: Attendance.Capacity.ADJUNCT,
    Invitation.Capacity.SPEAKING_RIGHT: Attendance.Capacity.SPEAKING_RIGHT,
    Invitation.Capacity.PREPARATION: Attendance.Capacity.OTHER,
    Invitation.Capacity.SECRETARIAT: Attendance.Capacity.SECRETARY,
    Invitation.Capacity.PRESENTER: Attendance.Capacity.PRESENTER,
}

NOTED_TEXT = "Informationen noteras."
AGENDA_APPROVED_TEXT = "Dagordningen godkänns."


def _recorded_by(instance, user):
    if user is not None and user.is_authenticated:
        instance._history_user = user
    return instance


def refuse_unless_draft(protocol):
    if not protocol.is_draft:
        raise ValidationError(
            _("Protokollet är skickat för justering och kan inte längre ändras."), code="not_draft"
        )


# --- Opening ----------------------------------------------------------------------------------


def may_open(meeting, *, now=None):
    """The minutes can be started once the meeting has begun, or any time for a meeting marked
    held; never for a cancelled one."""
    now = now or timezone.now()
    if meeting.is_cancelled:
        return False
    if meeting.status == Meeting.Status.HELD:
        return True
    return meeting.starts_at <= now and meeting.can_move_to(Meeting.Status.HELD)


@transaction.atomic
def open_protocol(*, meeting, user, now=None):
    """Start the minutes (Protokollför): the meeting moves to held through its own transition,
    and the draft gets one entry per agenda item in agenda order, numbered on from the
    council's last § of the year, and the attendance from the invitation replies. Opening an
    open protocol returns it."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("council").get(pk=meeting.pk)
    )
    existing = Protocol.objects.filter(meeting=meeting).first()
    if existing is not None:
        return existing
    if not may_open(meeting, now=now):
        raise ValidationError(
            _("Protokollet kan påbörjas först när sammanträdet har börjat."), code="too_early"
        )
    local_day = timezone.localtime(meeting.starts_at).date()
    # The counter first, as every writer of § numbers does (numbering.lock_counter).
    numbering.lock_counter(council=meeting.council, year=local_day.year)
    if meeting.status != Meeting.Status.HELD:
        agenda_services.change_status(meeting=meeting, user=user, action="held", now=now)
    protocol = Protocol(
        meeting=meeting,
        council=meeting.council,
        year=local_day.year,
        adjust_by=local_day + datetime.timedelta(days=meeting.council.adjustment_days),
        opened_by=user if user is not None and user.is_authenticated else None,
    )
    _recorded_by(protocol, user).save()
    items = meeting.items.select_related(
        "focus_area", "target_area", "influence_issue", "presenter"
    ).order_by("position", "id")
    entries = [_entry_from_item(protocol, item) for item in items]
    numbering.number_new_entries(protocol=protocol, entries=entries, user=user)
    bulk_create_with_history(
        _attendance_from_invitations(protocol), Attendance, default_user=_author(user)
    )
    return protocol


def _author(user):
    return user if user is not None and user.is_authenticated else None


def _rus_label(matter):
    if matter.focus_area_id:
        return f"Fokusområde: {matter.focus_area.title}"
    if matter.influence_issue_id:
        return f"Påverkansfråga: {matter.influence_issue.title}"
    if matter.target_area_id:
        return f"Målområde: {matter.target_area.title}"
    return ""


def _entry_from_item(protocol, item):
    entry = ProtocolEntry(
        protocol=protocol,
        council=protocol.council,
        year=protocol.year,
        agenda_item=item,
        standing_key=item.standing_key,
        presenter_name=item.presenter_display,
        rus_link_label=_rus_label(item),
        **{name: getattr(item, name) for name in AgendaItem.R12_FIELDS},
    )
    if item.kind == AgendaItem.Kind.INFORMATION:
        entry.outcome, entry.outcome_text = ProtocolEntry.Outcome.NOTED, NOTED_TEXT
    elif item.standing_key == AgendaItem.Standing.AGENDA:
        entry.outcome = ProtocolEntry.Outcome.AGENDA_APPROVED
        entry.outcome_text = AGENDA_APPROVED_TEXT
    return entry


def _snapshot(protocol, membership, **fields):
    organisation = membership.organisation
    return Attendance(
        protocol=protocol,
        person=membership.person,
        membership=membership,
        organisation=organisation,
        name=membership.person.full_name,
        organisation_name=organisation.name,
        organisation_has_elected_seats=organisation.has_elected_seats,
        side=membership.side,
        function=membership.function,
        **fields,
    )


def _attendance_from_invitations(protocol):
    """Accepted → present, declined → absent, a named substitute → the substitute serves
    (tjänstgörande ersättare) for the member; no answer → absent until corrected. Without
    invitations, the council's seats on the meeting day, all present until corrected."""
    meeting = protocol.meeting
    invitations = list(
        meeting.invitations.select_related(
            "person",
            "membership__person",
            "membership__organisation",
            "substitute_membership__person",
            "substitute_membership__organisation",
        ).order_by("name", "id")
    )
    rows = {}

    def add(row):
        key = row.person_id or ("name", row.name)
        rows.setdefault(key, row)

    if not invitations:
        on = timezone.localtime(meeting.starts_at).date()
        seats = (
            Membership.objects.current(on=on)
            .filter(council=meeting.council)
            .exclude(role=Membership.Role.SUBSTITUTE)
            .select_related("person", "organisation")
        )
        for membership in seats:
            add(_snapshot(protocol, membership, capacity=ROLE_CAPACITY[membership.role]))
        return list(rows.values())
    for invitation in invitations:
        if invitation.capacity == Invitation.Capacity.SUBSTITUTE:
            continue  # substitutes are invited for information; they serve when named
        capacity = INVITATION_CAPACITY[invitation.capacity]
        attending = invitation.reply == Invitation.Reply.ATTENDING
        if invitation.membership_id:
            member = _snapshot(
                protocol, invitation.membership, capacity=capacity, present=attending
            )
        else:
            member = Attendance(
                protocol=protocol,
                person=invitation.person,
                name=invitation.name,
                organisation=invitation.person.organisation if invitation.person else None,
                organisation_name=(
                    invitation.person.organisation.name
                    if invitation.person and invitation.person.organisation
                    else ""
                ),
                capacity=capacity,
                present=attending,
            )
        add(member)
        if invitation.reply == Invitation.Reply.SUBSTITUTE:
            add(_substitute_row(protocol, invitation, member))
    return list(rows.values())


def _substitute_row(protocol, invitation, member):
    if invitation.substitute_membership_id:
        row = _snapshot(
            protocol,
            invitation.substitute_membership,
            capacity=Attendance.Capacity.SERVING_SUBSTITUTE,
        )
    else:
        row = Attendance(
            protocol=protocol,
            name=invitation.substitute_name,
            organisation=member.organisation,
            organisation_name=member.organisation_name,
            organisation_has_elected_seats=member.organisation_has_elected_seats,
            side=member.side,
            capacity=Attendance.Capacity.SERVING_SUBSTITUTE,
        )
    row.substitute_for_name = member.name
    return row


# --- Entries ----------------------------------------------------------------------------------


@transaction.atomic
def add_entry(*, protocol, user, title, kind, background="", presenter_name="", **links):
    """An item raised at the meeting (övrig fråga), with kind and RUS link like any item (R12),
    placed before the closing item."""
    numbering.lock_counter(council=protocol.council, year=protocol.year)
    protocol = Protocol.objects.select_for_update().get(pk=protocol.pk)
    refuse_unless_draft(protocol)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Ange en rubrik.")})
    entry = ProtocolEntry(
        protocol=protocol,
        council=protocol.council,
        year=protocol.year,
        title=title,
        kind=kind,
        background=background,
        presenter_name=presenter_name,
        added_at_meeting=True,
        **links,
    )
    entry.rus_link_label = _rus_label(entry)
    if kind == ProtocolEntry.Kind.INFORMATION:
        entry.outcome, entry.outcome_text = ProtocolEntry.Outcome.NOTED, NOTED_TEXT
    closing = protocol.entries.filter(standing_key=AgendaItem.Standing.CLOSING).first()
    _recorded_by(entry, user)
    return numbering.insert_entry(protocol=protocol, entry=entry, before=closing)


def _lock_entry(entry):
    locked = (
        ProtocolEntry.objects.select_for_update(of=("self",))
        .select_related("protocol")
        .get(pk=entry.pk)
    )
    refuse_unless_draft(locked.protocol)
    return locked


@transaction.atomic
def strike_entry(*, entry, user, reason):
    """The item is struck (utgår), with the reason; it keeps its § (numbers are gapless)."""
    entry = _lock_entry(entry)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"struck_reason": _("Ange varför punkten utgår.")})
    if entry.standing_key:
        raise ValidationError(_("De stående punkterna kan inte utgå."), code="standing")
    entry.struck, entry.struck_reason = True, reason
    _recorded_by(entry, user).save()
    return entry


@transaction.atomic
def restore_entry(*, entry, user):
    entry = _lock_entry(entry)
    entry.struck, entry.struck_reason = False, ""
    _recorded_by(entry, user).save()
    return entry


@transaction.atomic
def save_entry(*, entry, user, version, minutes, outcome, outcome_text):
    """Save what was said and the outcome (R10). `version` is the version the writer started
    from: if someone else saved since, StaleEdit (councils/locking.py) and nothing is written.

    Consensus needs the exact position text; no consensus needs the reason and sends the
    item back to the RUS group's proposal queue (`return_to_rus_group`).
    """
    locked = ProtocolEntry.objects.select_related("protocol").get(pk=entry.pk)
    check_version(locked, version)  # locks the row; StaleEdit on an older version
    refuse_unless_draft(locked.protocol)
    if locked.struck:
        raise ValidationError(_("Punkten utgår; ångra det först."), code="struck")
    allowed = {o.value for o in ProtocolEntry.OUTCOMES_BY_KIND.get(locked.kind, ())}
    if outcome and outcome not in allowed:
        raise ValidationError({"outcome": _("Utfallet passar inte ärendets typ.")})
    outcome_text = outcome_text.strip()
    if outcome == ProtocolEntry.Outcome.CONSENSUS and not outcome_text:
        raise ValidationError(
            {"outcome_text": _("Skriv ställningstagandet ordagrant (R10).")}, code="position_text"
        )
    if outcome == ProtocolEntry.Outcome.NO_CONSENSUS and not outcome_text:
        raise ValidationError(
            {"outcome_text": _("Ange varför rådet inte nådde konsensus.")}, code="reason"
        )
    previous = locked.outcome
    locked.minutes = minutes
    locked.outcome = outcome
    locked.outcome_text = outcome_text
    _recorded_by(locked, user).save()
    if outcome == ProtocolEntry.Outcome.CONSENSUS:
        _prepare_home_decisions(locked)
    if outcome == ProtocolEntry.Outcome.NO_CONSENSUS and previous != outcome:
        return_to_rus_group(entry=locked, user=user)
    if previous == ProtocolEntry.Outcome.NO_CONSENSUS and outcome != previous:
        _take_back_from_rus_group(locked)
    return locked


def representation(protocol, number):
    """Organisations represented at § `number` by a present member who takes part in
    positions: {organisation_id: name} (R10)."""
    return {
        a.organisation_id: a.organisation_name
        for a in protocol.attendance.filter(organisation__isnull=False)
        if a.takes_part_in_positions and a.present_at(number)
    }


def _prepare_home_decisions(entry):
    """One row per represented organisation: is a formal decision at home expected (R10)?"""
    have = set(entry.home_decisions.values_list("organisation_id", flat=True))
    HomeDecision.objects.bulk_create(
        HomeDecision(entry=entry, organisation_id=org_id, organisation_name=name)
        for org_id, name in sorted(representation(entry.protocol, entry.number).items())
        if org_id not in have
    )


@transaction.atomic
def set_home_decisions(*, entry, expected_by_id):
    """Per organisation: formal decision at home expected yes / no / not determined (R10)."""
    entry = _lock_entry(entry)
    if entry.outcome != ProtocolEntry.Outcome.CONSENSUS:
        raise ValidationError(_("Bara ett ställningstagande i konsensus följs upp hemma."))
    rows = list(entry.home_decisions.all())
    for row in rows:
        value = expected_by_id.get(row.pk)
        if value in HomeDecision.Expected.values:
            row.expected = value
    HomeDecision.objects.bulk_update(rows, ["expected"])
    return rows


def return_to_rus_group(*, entry, user):
    """No consensus (R10): the matter goes back to the RUS group for further preparation. It
    reappears in their proposal queue as a new proposal linked to the item it came from (and,
    once accepted, to the item it becomes)."""
    if entry.returned_proposal_id:
        return entry.returned_proposal
    item = entry.agenda_item
    origin = getattr(item, "proposal", None) if item is not None else None
    person = getattr(user, "person", None) if user is not None else None
    proposer = origin.proposer if origin else person
    organisation = (
        (origin.organisation if origin else None)
        or (item.proposing_organisation if item else None)
        or (proposer.organisation if proposer else None)
    )
    if proposer is None or organisation is None:
        raise ValidationError(
            _("Ärendet kan inte återremitteras utan en förslagsställare och organisation."),
            code="no_proposer",
        )
    if not entry.has_rus_link:
        raise ValidationError(
            {"outcome": _("Ärendet saknar koppling till RUS och kan inte återremitteras (R12).")}
        )
    meeting = entry.protocol.meeting
    proposal = ItemProposal(
        organisation=organisation,
        proposer=proposer,
        title=entry.title,
        kind=entry.kind,
        focus_area=entry.focus_area,
        target_area=entry.target_area,
        influence_issue=entry.influence_issue,
        background=entry.background or entry.outcome_text,
        questions=(
            f"Ingen konsensus vid {meeting} (§ {entry.number}): {entry.outcome_text}\n\n"
            f"{entry.questions}"
        ).strip(),
        returned_from=item,
    )
    proposal.full_clean()
    proposal.save()
    entry.returned_proposal = proposal
    entry.save(update_fields=["returned_proposal"])
    notify_rus_group(proposal=proposal)
    return proposal


def _take_back_from_rus_group(entry):
    """The outcome was changed from no consensus: the returned proposal goes, unless the RUS
    group has already acted on it."""
    proposal = entry.returned_proposal
    if proposal is None:
        return
    if proposal.status != ItemProposal.Status.SUBMITTED:
        raise ValidationError(
            _(
                "RUS-gruppen har redan behandlat det återremitterade ärendet; "
                "utfallet kan inte ändras."
            ),
            code="returned",
        )
    entry.returned_proposal = None
    entry.save(update_fields=["returned_proposal"])
    proposal.delete()


@transaction.atomic
def elect_adjusters(*, entry, user, attendances):
    """Val av justerare: one or two present members (they and the chair adjust the protocol)."""
    entry = _lock_entry(entry)
    if entry.kind != ProtocolEntry.Kind.PROCEDURAL:
        raise ValidationError(_("Justerare väljs under en formaliapunkt."))
    chosen = list(attendances)
    if not 1 <= len(chosen) <= 2:
        raise ValidationError({"adjusters": _("Välj en eller två justerare.")})
    for attendance in chosen:
        if attendance.protocol_id != entry.protocol_id or not (
            attendance.takes_part_in_positions and attendance.present_at(entry.number)
        ):
            raise ValidationError(
                {"adjusters": _("%(name)s är inte närvarande ledamot.") % {"name": attendance}}
            )
    protocol = entry.protocol
    protocol.attendance.filter(is_adjuster=True).exclude(pk__in=[a.pk for a in chosen]).update(
        is_adjuster=False
    )
    protocol.attendance.filter(pk__in=[a.pk for a in chosen]).update(is_adjuster=True)
    names = " och ".join(a.name for a in chosen)
    entry.outcome = ProtocolEntry.Outcome.ADJUSTERS_ELECTED
    entry.outcome_text = f"Att jämte ordföranden justera protokollet väljs {names}."
    _recorded_by(entry, user).save()
    return entry


# --- Attendance -------------------------------------------------------------------------------


def _check_numbers(protocol, from_number, to_number):
    first, last = paragraph_range(protocol)
    for value in (from_number, to_number):
        if value is not None and not (first <= value <= last):
            raise ValidationError(
                _("Ange en paragraf mellan § %(first)s och § %(last)s.")
                % {"first": first, "last": last}
            )
    if from_number is not None and to_number is not None and to_number < from_number:
        raise ValidationError(_("Avgången kan inte vara före ankomsten."))


def paragraph_range(protocol):
    numbers = list(protocol.entries.values_list("number", flat=True))
    return (min(numbers), max(numbers)) if numbers else (None, None)


@transaction.atomic
def update_attendance(*, attendance, user, present, capacity, from_number=None, to_number=None):
    """Correct one row at the meeting: present or not, capacity, arrival and departure by §."""
    attendance = (
        Attendance.objects.select_for_update(of=("self",))
        .select_related("protocol")
        .get(pk=attendance.pk)
    )
    refuse_unless_draft(attendance.protocol)
    if capacity not in Attendance.Capacity.values:
        raise ValidationError({"capacity": _("Okänd egenskap.")})
    _check_numbers(attendance.protocol, from_number, to_number)
    attendance.present = present
    attendance.capacity = capacity
    attendance.from_number = from_number if present else None
    attendance.to_number = to_number if present else None
    if not present or capacity not in Attendance.DISSENT_CAPACITIES:
        attendance.is_adjuster = False
    _recorded_by(attendance, user).save()
    return attendance


@transaction.atomic
def add_attendee(
    *,
    protocol,
    user,
    capacity,
    person=None,
    name="",
    organisation=None,
    side=Membership.Side.NOT_APPLICABLE,
    from_number=None,
):
    """Someone who came unannounced: from the registers (their seat in the council, if any,
    gives organisation and side) or by name."""
    refuse_unless_draft(protocol)
    _check_numbers(protocol, from_number, None)
    if person is not None:
        if protocol.attendance.filter(person=person).exists():
            raise ValidationError(_("%(name)s finns redan i närvarolistan.") % {"name": person})
        on = timezone.localtime(protocol.meeting.starts_at).date()
        membership = (
            Membership.objects.current(on=on)
            .filter(person=person, council=protocol.council)
            .select_related("person", "organisation")
            .first()
        )
        if membership is not None:
            row = _snapshot(protocol, membership, capacity=capacity)
        else:
            organisation = organisation or person.organisation
            row = Attendance(
                protocol=protocol,
                person=person,
                name=person.full_name,
                organisation=organisation,
                organisation_name=organisation.name if organisation else "",
                organisation_has_elected_seats=bool(
                    organisation and organisation.has_elected_seats
                ),
                capacity=capacity,
                side=side,
            )
    else:
        name = name.strip()
        if not name:
            raise ValidationError({"name": _("Välj en person i registret eller skriv ett namn.")})
        row = Attendance(
            protocol=protocol,
            name=name,
            organisation=organisation,
            organisation_name=organisation.name if organisation else "",
            organisation_has_elected_seats=bool(organisation and organisation.has_elected_seats),
            capacity=capacity,
            side=side,
        )
    row.unannounced = True
    row.present = True
    row.from_number = from_number
    _recorded_by(row, user).save()
    return row


# --- Dissent (R11) ----------------------------------------------------------------------------


def _refuse_unless_position(entry):
    if entry.kind != ProtocolEntry.Kind.POSITION:
        raise ValidationError(_("Avvikande synpunkter antecknas bara vid ställningstaganden."))


@transaction.atomic
def record_dissent(*, entry, user, attendance, text, review=None):
    """A present ledamot or tjänstgörande ersättare asks for a dissent to be minuted (R11);
    `review` when it was expected before the meeting."""
    entry = _lock_entry(entry)
    _refuse_unless_position(entry)
    if attendance.protocol_id != entry.protocol_id or not (
        attendance.takes_part_in_positions and attendance.present_at(entry.number)
    ):
        raise ValidationError(
            {
                "attendance": _(
                    "Bara en närvarande ledamot eller tjänstgörande ersättare kan anmäla "
                    "avvikande synpunkt."
                )
            }
        )
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Skriv den avvikande synpunkten.")})
    if entry.dissents.filter(attendance=attendance).exists():
        raise ValidationError(
            {
                "attendance": _("%(name)s har redan en avvikande synpunkt här.")
                % {"name": attendance}
            }
        )
    if review is not None:
        _refuse_handled(entry, review)
    dissent = Dissent(
        entry=entry,
        attendance=attendance,
        person=attendance.person,
        member_name=attendance.name,
        organisation_name=attendance.organisation_name,
        text=text,
        review=review,
        from_expected=review is not None,
    )
    _recorded_by(dissent, user).save()
    return dissent


def _refuse_handled(entry, review):
    if review.item_id != entry.agenda_item_id or not review.expects_dissent:
        raise ValidationError(_("Det förhandsbeskedet hör inte till den här punkten."))
    if (
        entry.dissents.filter(review=review).exists()
        or entry.withdrawn_dissents.filter(review=review).exists()
    ):
        raise ValidationError(_("Den förväntade avvikande synpunkten är redan hanterad."))


@transaction.atomic
def withdraw_expected_dissent(*, entry, user, review):
    """An expected dissent that was not raised at the meeting (framfördes inte); kept (R11)."""
    entry = _lock_entry(entry)
    _refuse_unless_position(entry)
    _refuse_handled(entry, review)
    return WithdrawnDissent.objects.create(
        entry=entry,
        review=review,
        organisation_name=review.organisation.name,
        expected_text=review.comment,
    )


@transaction.atomic
def edit_dissent(*, dissent, user, text):
    """The member (or the secretariat) edits the text until the protocol is sent for
    justering."""
    dissent = (
        Dissent.objects.select_for_update(of=("self",))
        .select_related("entry__protocol")
        .get(pk=dissent.pk)
    )
    refuse_unless_draft(dissent.entry.protocol)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Skriv den avvikande synpunkten.")})
    dissent.text = text
    _recorded_by(dissent, user).save()
    return dissent


@transaction.atomic
def remove_dissent(*, dissent, user):
    dissent = (
        Dissent.objects.select_for_update(of=("self",))
        .select_related("entry__protocol")
        .get(pk=dissent.pk)
    )
    refuse_unless_draft(dissent.entry.protocol)
    _recorded_by(dissent, user).delete()


def expected_dissents(entry):
    """The expected dissents from the review before the meeting (R11) on the entry's item."""
    if entry.agenda_item_id is None:
        return ItemReview.objects.none()
    return ItemReview.objects.filter(item_id=entry.agenda_item_id, expects_dissent=True)
