"""Dissent (R11): recorded on request, expected dissents recorded or not raised, the
member's own text until justering."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from protocols.models import (
    Dissent,
    ProtocolEntry,
    WithdrawnDissent,
)

from .common import recorded_by, refuse_unless_editable, revises
from .entries import lock_entry


def _refuse_unless_position(entry):
    if entry.kind != ProtocolEntry.Kind.POSITION:
        raise ValidationError(_("Avvikande synpunkter antecknas bara vid ställningstaganden."))


@revises
@transaction.atomic
def record_dissent(*, entry, user, attendance, text, review=None):
    """A present ledamot or tjänstgörande ersättare asks for a dissent to be minuted (R11);
    `review` when it was expected before the meeting."""
    entry = lock_entry(entry)
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
    recorded_by(dissent, user).save()
    return dissent


def _refuse_handled(entry, review):
    if review.item_id != entry.agenda_item_id or not review.expects_dissent:
        raise ValidationError(_("Det förhandsbeskedet hör inte till den här punkten."))
    if (
        entry.dissents.filter(review=review).exists()
        or entry.withdrawn_dissents.filter(review=review).exists()
    ):
        raise ValidationError(_("Den förväntade avvikande synpunkten är redan hanterad."))


@revises
@transaction.atomic
def withdraw_expected_dissent(*, entry, user, review):
    """An expected dissent that was not raised at the meeting (framfördes inte); kept (R11)."""
    entry = lock_entry(entry)
    _refuse_unless_position(entry)
    _refuse_handled(entry, review)
    return WithdrawnDissent.objects.create(
        entry=entry,
        review=review,
        organisation_name=review.organisation.name,
        expected_text=review.comment,
    )


@revises
@transaction.atomic
def edit_dissent(*, dissent, user, text):
    """The member (or the secretariat) edits the text until the protocol is sent for
    justering."""
    dissent = (
        Dissent.objects.select_for_update(of=("self",))
        .select_related("entry__protocol")
        .get(pk=dissent.pk)
    )
    refuse_unless_editable(dissent.entry.protocol)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Skriv den avvikande synpunkten.")})
    dissent.text = text
    recorded_by(dissent, user).save()
    return dissent


@revises
@transaction.atomic
def remove_dissent(*, dissent, user):
    dissent = (
        Dissent.objects.select_for_update(of=("self",))
        .select_related("entry__protocol")
        .get(pk=dissent.pk)
    )
    refuse_unless_editable(dissent.entry.protocol)
    recorded_by(dissent, user).delete()
