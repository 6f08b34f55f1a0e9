"""The strategiska RUS-gruppen hands a prepared agenda over to the chair (R6, R7).

The RUS group declares the agenda "Beredd för ordföranden" once every item is prepared; the
chair is told by mail (through the outbox, once) and finds the agenda waiting on the start page.
Approval stays with the chair, or the secretariat for the chair (`services.agenda`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from meetings import access
from meetings.access import Action
from meetings.models import Meeting
from meetings.selectors.invitations import current_chair
from rus.outbox.notices import queue_mail


class ItemsNotPrepared(ValidationError):
    """Raised by declare_prepared; `.items` are the agenda items still to prepare."""

    def __init__(self, items):
        self.items = items
        super().__init__(
            _("Alla punkter är inte beredda: %(items)s")
            % {"items": ", ".join(f"{item.number}. {item.title}" for item in items)}
        )


@transaction.atomic
def declare_prepared(*, meeting, user):
    """The RUS group declares the agenda prepared for the chair; the chair gets one mail.

    Refused unless the agenda is still a draft, has items, and every item is prepared.
    """
    access.check(user, Action.PREPARE_AGENDA, meeting)
    locked = Meeting.objects.select_for_update().select_related("council").get(pk=meeting.pk)
    if locked.status not in Meeting.DRAFT_STATUSES:
        raise ValidationError(_("Bara en dagordning under beredning kan lämnas till ordföranden."))
    if locked.agenda_prepared_at is not None:
        raise ValidationError(_("Dagordningen är redan beredd för ordföranden."))
    items = list(locked.items.filter(is_standing=False).order_by("position", "id"))
    if not items:
        raise ValidationError(_("Dagordningen har inga punkter att bereda än."))
    unprepared = [item for item in items if not item.is_prepared]
    if unprepared:
        raise ItemsNotPrepared(unprepared)
    locked.hand_over_to_chair(user)
    _tell_the_chair(locked)
    meeting.refresh_from_db()
    return meeting


def _tell_the_chair(meeting):
    chair = current_chair(meeting)
    email = chair.contact_email if chair is not None else ""
    if not email:
        return None
    starts_at = timezone.localtime(meeting.starts_at)
    with translation.override(settings.LANGUAGE_CODE):  # the day's name in the mail language
        day = formats.date_format(starts_at, "l j F Y")
    context = {
        "chair_name": chair.full_name,
        "council": meeting.council.name,
        "title": meeting.title,
        "day": day,
        "time": f"{starts_at:%H.%M}",
        "path": reverse("meetings:meeting_detail", args=[meeting.pk]) + "#approval",
    }
    return queue_mail(template="agenda_prepared", to=[email], context=context)
