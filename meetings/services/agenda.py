"""Workflows on meetings and agendas (R4, R6, R7, R12).

Every function takes keyword arguments only and runs in one transaction. Changes to a locked
(approved) agenda are allowed but recorded: the item is marked "ändrad efter godkännande", the
change is kept in the item's history with a reason, and the meeting's calendar sequence rises.
Once the meeting is held its items and their attachments are part of the record and every
change is refused (`Meeting.is_frozen`).
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from councils.locking import check_order, check_version
from meetings import access, documents
from meetings.access import Action
from meetings.models import AgendaItem, Attachment, AttachmentVersion, Meeting
from meetings.models.invitations import DeliveryStatus
from meetings.services.invitations import sending
from meetings.uploads import content_type_for, safe_filename, validate_upload

STOCKHOLM = ZoneInfo("Europe/Stockholm")

# Every new meeting starts with these standing items; the closing item always stays last.
STANDING_ITEMS_START = (
    AgendaItem.Standing.OPENING,
    AgendaItem.Standing.ADJUSTER,
    AgendaItem.Standing.AGENDA,
)
STANDING_ITEMS_END = (AgendaItem.Standing.CLOSING,)


class AgendaNotReady(ValidationError):
    """Raised by approve_agenda; `.problems` lists (item, reason) pairs for the page."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__(
            [
                _("Punkt %(number)s, %(title)s: %(reason)s")
                % {"number": p.item.number, "title": p.item.title, "reason": p.reason}
                for p in problems
            ]
        )


# --- Meetings ---------------------------------------------------------------------------------


def _recorded_by(instance, user):
    """Name `user` as the author of the history row the next save writes (the request's user
    is recorded anyway; this covers the admin's actions, tasks and the shell)."""
    if user is not None and user.is_authenticated:
        instance._history_user = user
    return instance


@transaction.atomic
def create_meeting(*, user, council, title, starts_at, ends_at, series=None, **fields):
    """A new meeting with the standing items in place."""
    meeting = Meeting(
        council=council, title=title, starts_at=starts_at, ends_at=ends_at, series=series, **fields
    )
    meeting.full_clean()
    _recorded_by(meeting, user).save()
    add_standing_items(meeting=meeting, user=user)
    return meeting


def add_standing_items(*, meeting, user=None):
    """The standing items a meeting lacks, each with its history row like any other item."""
    existing = set(meeting.items.exclude(standing_key="").values_list("standing_key", flat=True))
    keys = [*STANDING_ITEMS_START, *STANDING_ITEMS_END]
    with translation.override(settings.LANGUAGE_CODE):  # the site language, whoever creates it
        titles = {key: str(AgendaItem.Standing(key).label) for key in keys}
    items = [
        AgendaItem(
            meeting=meeting,
            title=titles[key],
            kind=AgendaItem.Kind.PROCEDURAL,
            is_standing=True,
            standing_key=key,
            estimated_minutes=5,
            is_prepared=True,
            position=0,
        )
        for key in keys
        if key not in existing
    ]
    if items:
        author = user if user is not None and user.is_authenticated else None
        bulk_create_with_history(items, AgendaItem, default_user=author)
    renumber(meeting=meeting)


@transaction.atomic
def update_meeting(*, meeting, user, version=None, **fields):
    """Change time, place or other details; calendars follow when time or place changed.
    `version` is the meeting's version the change was made on (the edit form's); StaleEdit when
    someone has saved the meeting since."""
    check_version(meeting, version)
    calendar_fields = {"starts_at", "ends_at", "place", "video_link", "title"}
    calendar_changed = any(
        getattr(meeting, name) != value for name, value in fields.items() if name in calendar_fields
    )
    for name, value in fields.items():
        setattr(meeting, name, value)
    if calendar_changed:
        meeting.calendar_sequence += 1
    meeting.full_clean()
    _recorded_by(meeting, user).save()
    return meeting


def series_dates(*, first_date, count=None, until=None, interval_months=1, by_weekday=False):
    """Dates for a series every `interval_months` months (R4: monthly), `count` of them and/or
    up to `until`.

    By default the same day of the month; a day that does not exist in a month (31 February)
    falls on that month's last day. With `by_weekday` the same weekday in the same week of the
    month ("the second Thursday"); a fifth weekday becomes the month's last such weekday.
    """
    if count is None and until is None:
        raise ValueError("count or until is required")
    week_of_month = (first_date.day - 1) // 7  # 0 = first, 4 = fifth
    dates = []
    index = 0
    while len(dates) < 240:  # twenty years of monthly meetings is plenty
        month_index = first_date.month - 1 + index * interval_months
        year, month = first_date.year + month_index // 12, month_index % 12 + 1
        if by_weekday:
            date = _nth_weekday(year, month, first_date.weekday(), week_of_month)
        else:
            date = datetime.date(year, month, min(first_date.day, _days_in_month(year, month)))
        if until is not None and date > until:
            break
        dates.append(date)
        index += 1
        if count is not None and len(dates) >= count:
            break
    return dates


def _nth_weekday(year, month, weekday, week_of_month):
    first = datetime.date(year, month, 1)
    day = first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * week_of_month)
    while day.month != month:  # no fifth such weekday this month: take the last one
        day -= datetime.timedelta(days=7)
    return day


def _days_in_month(year, month):
    next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
    return (next_month - datetime.timedelta(days=1)).day


@transaction.atomic
def plan_series(*, user, council, title, dates, start_time, end_time, **fields):
    """Create one meeting per date (the user has already dropped the dates to skip)."""
    series = Meeting.new_series_id()
    meetings = []
    for date in dates:
        starts_at = datetime.datetime.combine(date, start_time, tzinfo=STOCKHOLM)
        ends_at = datetime.datetime.combine(date, end_time, tzinfo=STOCKHOLM)
        meetings.append(
            create_meeting(
                user=user,
                council=council,
                title=title,
                starts_at=starts_at,
                ends_at=ends_at,
                series=series,
                **fields,
            )
        )
    return meetings


@transaction.atomic
def change_status(*, meeting, user, action, now=None):
    """A status change made by hand, on the meeting page or in the admin (the names of
    Meeting.MANUAL_TRANSITIONS), through the model's life cycle. Cancelling a meeting whose
    invitations went out tells those invited (`sending.cancel_meeting`)."""
    _, target = Meeting.MANUAL_TRANSITIONS[action]
    # Re-opening an approved agenda is its own action, with the approver's rights (R7).
    if not meeting.can_move_to(target) or (
        action == "prepare" and meeting.status != Meeting.Status.PLANNED
    ):
        raise meeting.refuse_move_to(target)
    _recorded_by(meeting, user)
    if action == "cancel" and meeting.invitations.exclude(status=DeliveryStatus.WITHDRAWN).exists():
        sending.cancel_meeting(meeting=meeting, user=user)
    elif action == "prepare":
        meeting.start_agenda_preparation()
    elif action == "cancel":
        meeting.cancel()
    elif action == "reinstate":
        meeting.reinstate()
    elif action == "held":
        meeting.mark_held(now=now)
    meeting.refresh_from_db()
    return meeting


# --- Agenda items -----------------------------------------------------------------------------


def refuse_if_frozen(meeting):
    """A held meeting's agenda is part of the record: its items and attachments stay as they
    were (and the protocol is minuted on them)."""
    if meeting.is_frozen:
        raise ValidationError(
            _(
                "Sammanträdet är genomfört: dagordningen och dess handlingar kan inte längre "
                "ändras."
            ),
            code="frozen",
        )


def renumber(*, meeting):
    """Positions 1..n: standing opening items first, the closing item last, others between."""
    items = list(meeting.items.order_by("position", "id"))
    start_order = {key: i for i, key in enumerate(STANDING_ITEMS_START)}

    def sort_key(item):
        if item.standing_key in start_order:
            return (0, start_order[item.standing_key], 0)
        if item.standing_key in STANDING_ITEMS_END:
            return (2, 0, 0)
        return (1, item.position, item.id)

    items.sort(key=sort_key)
    changed = []
    for number, item in enumerate(items, start=1):
        if item.position != number:
            item.position = number
            changed.append(item)
    if changed:
        AgendaItem.objects.bulk_update(changed, ["position"])
    return items


def _record_change(*, item, user, reason):
    """Mark a change to an approved agenda (R7) and keep who made it and why."""
    meeting = item.meeting
    item._change_reason = reason
    _recorded_by(item, user)
    if meeting.agenda_is_locked:
        item.changed_after_approval = True
        return True
    return False


def _after_locked_change(meeting):
    meeting.bump_calendar_sequence()


def _refuse_incomplete_position_on_locked_agenda(item):
    """An approved agenda met R12 when it was approved; a later change must not break that
    (R7), or the invitation would go out with a position item lacking its basis."""
    problem = item.basis_problem
    if problem and item.meeting.agenda_is_locked:
        raise ValidationError(
            _(
                "Dagordningen är godkänd, och ett ställningstagande måste ha koppling till RUS och "
                "bakgrund eller frågeställningar: %(reason)s"
            )
            % {"reason": problem}
        )


@transaction.atomic
def add_item(*, meeting, user, goals=(), dimensions=(), **fields):
    """Append an item to the agenda, before the closing item. After approval it is marked as
    changed after approval (R7)."""
    refuse_if_frozen(meeting)
    fields.pop("position", None)
    last = meeting.items.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem(meeting=meeting, position=last + 1, **fields)
    locked = _record_change(item=item, user=user, reason=gettext_noop("Punkten lades till"))
    item.full_clean(exclude=["meeting"])
    _refuse_incomplete_position_on_locked_agenda(item)
    item.save()
    if goals:
        item.goals.set(goals)
    if dimensions:
        item.dimensions.set(dimensions)
    renumber(meeting=meeting)
    item.refresh_from_db(fields=["position"])
    if locked:
        _after_locked_change(meeting)
    if not item.is_standing and not item.is_prepared:
        take_back_hand_over(meeting)
    return item


@transaction.atomic
def update_item(*, item, user, version=None, goals=None, dimensions=None, **fields):
    """Change an item's content. `version` is the item's version the change was made on (the
    edit form's); StaleEdit when someone has saved the item since."""
    check_version(item, version)
    refuse_if_frozen(item.meeting)
    for name, value in fields.items():
        setattr(item, name, value)
    locked = _record_change(item=item, user=user, reason=gettext_noop("Punkten ändrades"))
    if item.is_standing:
        item.kind = AgendaItem.Kind.PROCEDURAL
    item.full_clean(exclude=["meeting"])
    _refuse_incomplete_position_on_locked_agenda(item)
    item.save()
    if goals is not None:
        item.goals.set(goals)
    if dimensions is not None:
        item.dimensions.set(dimensions)
    if locked:
        _after_locked_change(item.meeting)
    return item


@transaction.atomic
def remove_item(*, item, user):
    """Remove a non-standing item. The history keeps the deleted row and who removed it."""
    refuse_if_frozen(item.meeting)
    if item.is_standing:
        raise ValidationError(_("Stående punkter kan inte tas bort."))
    meeting = item.meeting
    item._change_reason = (
        gettext_noop("Punkten togs bort efter godkännande")
        if meeting.agenda_is_locked
        else gettext_noop("Punkten togs bort")
    )
    _recorded_by(item, user)
    item.delete()
    renumber(meeting=meeting)
    if meeting.agenda_is_locked:
        _after_locked_change(meeting)


def _movable_items(meeting, shown_order=None):
    """The non-standing items in their order, locked until the transaction ends, so that two
    reorders run one after the other; StaleOrder when the page's order is not the saved one."""
    movable = list(
        meeting.items.filter(is_standing=False).select_for_update().order_by("position", "id")
    )
    check_order([item.pk for item in movable], shown_order)
    return movable


@transaction.atomic
def move_item(*, item, user, direction, shown_order=None):
    """Move an item one step up or down among the non-standing items (keyboard buttons).
    `shown_order` is the order the user saw (`locking.order_token`); StaleOrder if it changed."""
    refuse_if_frozen(item.meeting)
    if direction not in {"up", "down"}:
        raise ValueError(direction)
    if item.is_standing:
        raise ValidationError(_("Stående punkter ligger fast i dagordningen."))
    movable = _movable_items(item.meeting, shown_order)
    ids = [i.pk for i in movable]
    index = ids.index(item.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(ids):
        return False
    ids[index], ids[target] = ids[target], ids[index]
    _apply_order(meeting=item.meeting, user=user, ordered_ids=ids, movable=movable)
    return True


@transaction.atomic
def reorder_items(*, meeting, user, ordered_ids, shown_order=None):
    """Set the order of the non-standing items (drag and drop). Unknown ids are refused, and
    so is an order made on a page that no longer shows the saved one (`shown_order`,
    StaleOrder). Returns whether anything moved."""
    refuse_if_frozen(meeting)
    movable = _movable_items(meeting, shown_order)
    ordered_ids = [int(pk) for pk in ordered_ids]
    if sorted(ordered_ids) != sorted(i.pk for i in movable):
        raise ValidationError(
            _("Ordningen stämmer inte med dagordningens punkter. Ladda om sidan.")
        )
    return _apply_order(meeting=meeting, user=user, ordered_ids=ordered_ids, movable=movable)


def _apply_order(*, meeting, user, ordered_ids, movable):
    by_id = {i.pk: i for i in movable}
    first = min((i.position for i in movable), default=0)
    changed = []
    for offset, pk in enumerate(ordered_ids):
        item = by_id[pk]
        if item.position != first + offset:
            item.position = first + offset
            changed.append(item)
    if not changed:
        return False
    locked = meeting.agenda_is_locked
    for item in changed:
        item.meeting = meeting
        _record_change(item=item, user=user, reason=gettext_noop("Ordningen ändrades"))
        # save() (not bulk_update) so that the history records each move.
        item.save(update_fields=["position", "changed_after_approval"])
    renumber(meeting=meeting)
    if locked:
        _after_locked_change(meeting)
    return True


@transaction.atomic
def set_prepared(*, item, user, prepared=True):
    """The RUS group marks an item as prepared (beredd, R6)."""
    refuse_if_frozen(item.meeting)
    item.is_prepared = prepared
    item._change_reason = (
        gettext_noop("Markerad som beredd")
        if prepared
        else gettext_noop("Markering som beredd togs bort")
    )
    _recorded_by(item, user)
    item.save(update_fields=["is_prepared"])
    if not prepared and not item.is_standing:
        take_back_hand_over(item.meeting)
    return item


def take_back_hand_over(meeting):
    """An item of an agenda handed over to the chair is no longer prepared, or a new one came:
    the agenda is not "Beredd för ordföranden" any more (R6)."""
    if meeting.agenda_is_locked:
        return False
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    taken_back = locked.take_back_hand_over()
    meeting.agenda_prepared_at = meeting.agenda_prepared_by = None
    return taken_back


# --- Approval ---------------------------------------------------------------------------------


@transaction.atomic
def approve_agenda(*, meeting, user):
    """The chair (or the secretariat for the chair, where the council allows it) approves and
    thereby locks the agenda (R7).

    Raises PermissionDenied, AgendaNotReady (with `.problems`) or InvalidTransition; updates
    `meeting` in place. `user=None` is the shell or a task acting for the chair.
    """
    locked = (
        Meeting.objects.select_for_update(of=("self",)).select_related("council").get(pk=meeting.pk)
    )
    if user is not None:
        access.check(user, Action.APPROVE_AGENDA, locked)
    problems = locked.approval_problems()
    if problems:
        raise AgendaNotReady(problems)
    locked.approve_agenda(user)  # InvalidTransition (Swedish) when the status forbids it
    locked.items.update(changed_after_approval=False)
    # The agenda PDF of the approved version, rendered by the worker now (after commit): the
    # kallelse.pdf link and the invitations' attachment are ready before anyone sends.
    documents.request_agenda(locked)
    meeting.refresh_from_db()
    return meeting


@transaction.atomic
def reopen_agenda(*, meeting, user):
    """Take the agenda back into preparation (the approval is withdrawn)."""
    _recorded_by(meeting, user).start_agenda_preparation()
    return meeting


# --- Attachments ------------------------------------------------------------------------------


def _new_version(*, attachment, uploaded_file, user, number):
    name = safe_filename(uploaded_file.name)
    version = AttachmentVersion(
        attachment=attachment,
        number=number,
        original_name=name,
        content_type=content_type_for(name),
        size=uploaded_file.size,
        uploaded_by=user if user is not None and user.is_authenticated else None,
    )
    uploaded_file.seek(0)
    version.file.save(name, uploaded_file, save=False)
    version.save()
    return version


def _title_from(name):
    stem = safe_filename(name).rsplit(".", 1)[0]
    return stem.replace("_", " ").strip() or "Bilaga"


@transaction.atomic
def add_attachment(*, item, uploaded_file, user, title=""):
    """Attach a checked document to an item (R12 c). Raises ValidationError."""
    refuse_if_frozen(item.meeting)
    validate_upload(uploaded_file)
    attachment = Attachment.objects.create(
        item=item,
        title=(title or "").strip() or _title_from(uploaded_file.name),
        created_by=user if user is not None and user.is_authenticated else None,
    )
    attachment.version = _new_version(
        attachment=attachment, uploaded_file=uploaded_file, user=user, number=1
    )
    _mark_item_changed(item=item, user=user, reason=f"Bilagan ”{attachment.title}” lades till")
    return attachment


@transaction.atomic
def replace_attachment(*, attachment, uploaded_file, user):
    """Upload a new version; earlier versions stay and are listed."""
    refuse_if_frozen(attachment.item.meeting)
    validate_upload(uploaded_file)
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
    last = attachment.versions.aggregate(last=Max("number"))["last"] or 0
    version = _new_version(
        attachment=attachment, uploaded_file=uploaded_file, user=user, number=last + 1
    )
    _mark_item_changed(
        item=attachment.item, user=user, reason=f"Bilagan ”{attachment.title}” ersattes"
    )
    return version


@transaction.atomic
def remove_attachment(*, attachment, user):
    """Remove an attachment with all versions; the files are deleted from storage."""
    refuse_if_frozen(attachment.item.meeting)
    item = attachment.item
    files = [v.file.name for v in attachment.versions.all()]
    title = attachment.title
    attachment.delete()
    storage = AttachmentVersion._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in files])
    _mark_item_changed(item=item, user=user, reason=f"Bilagan ”{title}” togs bort")


def _mark_item_changed(*, item, user, reason):
    meeting = item.meeting
    if not meeting.agenda_is_locked:
        return
    item._change_reason = reason
    _recorded_by(item, user)
    item.changed_after_approval = True
    item.save(update_fields=["changed_after_approval"])
    _after_locked_change(meeting)
