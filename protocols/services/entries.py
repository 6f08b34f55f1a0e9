"""The entries (§): items added or struck, minutes and outcomes, adjusters, the return of a
matter without consensus to the RUS group (R10)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from councils.locking import check_version
from meetings.models import AgendaItem, ItemProposal
from meetings.services.proposals import notify_rus_group
from protocols import numbering
from protocols.models import (
    HomeDecision,
    Protocol,
    ProtocolEntry,
)

from .common import NOTED_TEXT, recorded_by, refuse_unless_editable, revises, rus_label


@revises
@transaction.atomic
def add_entry(*, protocol, user, title, kind, background="", presenter_name="", **links):
    """An item raised at the meeting (övrig fråga), with kind and RUS link like any item (R12),
    placed before the closing item."""
    numbering.lock_counter(council=protocol.council, year=protocol.year)
    protocol = Protocol.objects.select_for_update().get(pk=protocol.pk)
    refuse_unless_editable(protocol)
    if protocol.is_correction:
        # A correction repeats its original's § numbers; a new § would move every later one.
        raise ValidationError(
            _("En rättelse ändrar protokollets paragrafer men lägger inte till nya."),
            code="correction",
        )
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
    entry.rus_link_label = rus_label(entry)
    if kind == ProtocolEntry.Kind.INFORMATION:
        entry.outcome, entry.outcome_text = ProtocolEntry.Outcome.NOTED, NOTED_TEXT
    closing = protocol.entries.filter(standing_key=AgendaItem.Standing.CLOSING).first()
    recorded_by(entry, user)
    return numbering.insert_entry(protocol=protocol, entry=entry, before=closing)


def lock_entry(entry):
    locked = (
        ProtocolEntry.objects.select_for_update(of=("self",))
        .select_related("protocol")
        .get(pk=entry.pk)
    )
    refuse_unless_editable(locked.protocol)
    return locked


@revises
@transaction.atomic
def strike_entry(*, entry, user, reason):
    """The item is struck (utgår), with the reason; it keeps its § (numbers are gapless)."""
    entry = lock_entry(entry)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"struck_reason": _("Ange varför punkten utgår.")})
    if entry.standing_key:
        raise ValidationError(_("De stående punkterna kan inte utgå."), code="standing")
    entry.struck, entry.struck_reason = True, reason
    recorded_by(entry, user).save()
    return entry


@revises
@transaction.atomic
def restore_entry(*, entry, user):
    entry = lock_entry(entry)
    entry.struck, entry.struck_reason = False, ""
    recorded_by(entry, user).save()
    return entry


@revises
@transaction.atomic
def save_entry(*, entry, user, version, minutes, outcome, outcome_text):
    """Save what was said and the outcome (R10). `version` is the version the writer started
    from: if someone else saved since, StaleEdit (councils/locking.py) and nothing is written.

    Consensus needs the exact position text; no consensus needs the reason and sends the
    item back to the RUS group's proposal queue (`return_to_rus_group`).
    """
    locked = ProtocolEntry.objects.select_related("protocol").get(pk=entry.pk)
    check_version(locked, version)  # locks the row; StaleEdit on an older version
    refuse_unless_editable(locked.protocol)
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
    recorded_by(locked, user).save()
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


@revises
@transaction.atomic
def set_home_decisions(*, entry, expected_by_id):
    """Per organisation: formal decision at home expected yes / no / not determined (R10)."""
    entry = lock_entry(entry)
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


@revises
@transaction.atomic
def elect_adjusters(*, entry, user, attendances):
    """Val av justerare: one or two present members (they and the chair adjust the protocol)."""
    entry = lock_entry(entry)
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
    recorded_by(entry, user).save()
    return entry
