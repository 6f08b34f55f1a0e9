"""Invitations (kallelser): who is invited, sending, updates, cancellation, replies (R5, R7).

Every workflow takes keyword arguments only and runs in one transaction. Rows are written in
the same transaction as the action; delivery tasks are published when it commits. When the
broker is down at that moment the action still succeeds: the rows stay queued and the periodic
sweep publishes them later. Delivery itself (`deliver`) locks its row and skips it once sent, so
each person gets each message exactly once however often a task runs.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats, timezone, translation

from councils.access import roles_for
from councils.models import Membership, Person
from meetings import access
from meetings.access import Action
from meetings.models import (
    AgendaItem,
    Invitation,
    InvitationMessage,
    Mailing,
    Meeting,
)
from meetings.models.invitations import DeliveryStatus
from meetings.tokens import make_reply_token

logger = logging.getLogger(__name__)

Capacity = Invitation.Capacity

# A person with several memberships in the council is invited once, in their weightiest capacity.
CAPACITY_BY_ROLE = {
    Membership.Role.CHAIR: Capacity.CHAIR,
    Membership.Role.VICE_CHAIR: Capacity.VICE_CHAIR,
    Membership.Role.MEMBER: Capacity.MEMBER,
    Membership.Role.ADJUNCT: Capacity.ADJUNCT,
    Membership.Role.SPEAKING_RIGHT: Capacity.SPEAKING_RIGHT,
    Membership.Role.PREPARATION: Capacity.PREPARATION,
    Membership.Role.SECRETARY: Capacity.SECRETARIAT,
    Membership.Role.SUBSTITUTE: Capacity.SUBSTITUTE,
}
CAPACITY_ORDER = list(CAPACITY_BY_ROLE.values()) + [Capacity.PRESENTER]

# R5, stated in every invitation.
COST_RULE = (
    "Varje organisation står för sina egna kostnader för resor och logistik. "
    "Region Västernorrland står för kostnaderna för själva mötet."
)


class InvitationError(ValidationError):
    """A send, update or reply that the meeting's state does not allow (message in Swedish)."""


# --- The agenda as sent --------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduledItem:
    item: AgendaItem
    number: int
    starts_at: datetime.datetime

    @property
    def title(self):
        return self.item.title

    @property
    def kind_display(self):
        return self.item.get_kind_display()

    @property
    def presenter(self):
        return self.item.presenter_display

    @property
    def minutes(self):
        return self.item.estimated_minutes


def agenda_schedule(meeting, items=None):
    """The agenda in order, each item with its estimated start (from the estimated minutes)."""
    if items is None:
        items = meeting.items.select_related("presenter").order_by("position", "id")
    schedule = []
    moment = meeting.starts_at
    for number, item in enumerate(items, start=1):
        schedule.append(ScheduledItem(item=item, number=number, starts_at=moment))
        moment += datetime.timedelta(minutes=item.estimated_minutes or 0)
    return schedule


def snapshot(meeting, schedule=None):
    """Time, place and agenda as they stand; stored with each mailing to detect later changes."""
    schedule = agenda_schedule(meeting) if schedule is None else schedule
    return {
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat(),
        "place": meeting.place,
        "video_link": meeting.video_link,
        "items": [
            {
                "id": entry.item.pk,
                "number": entry.number,
                "title": entry.item.title,
                "kind": entry.item.kind,
                "presenter": entry.item.presenter_display,
            }
            for entry in schedule
        ],
    }


def format_time_span(starts_at, ends_at):
    """'torsdag 11 februari 2027 kl. 09.00–12.00' (Swedish, local time)."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    with translation.override("sv"):
        day = formats.date_format(start, "l j F Y")
        if start.date() == end.date():
            return f"{day} kl. {start:%H.%M}–{end:%H.%M}"
        last_day = formats.date_format(end, "l j F Y")
        return f"{day} kl. {start:%H.%M} – {last_day} kl. {end:%H.%M}"


def describe_changes(before, after):
    """What changed between two snapshots, as Swedish sentences for the top of an update."""
    changes = []
    if before.get("starts_at") != after["starts_at"] or before.get("ends_at") != after["ends_at"]:
        new = format_time_span(
            datetime.datetime.fromisoformat(after["starts_at"]),
            datetime.datetime.fromisoformat(after["ends_at"]),
        )
        old = format_time_span(
            datetime.datetime.fromisoformat(before["starts_at"]),
            datetime.datetime.fromisoformat(before["ends_at"]),
        )
        changes.append(f"Ny tid: {new} (tidigare {old}).")
    if before.get("place", "") != after["place"]:
        if after["place"]:
            was = f" (tidigare {before['place']})" if before.get("place") else ""
            changes.append(f"Ny plats: {after['place']}{was}.")
        else:
            changes.append("Mötet har inte längre någon fysisk plats.")
    if before.get("video_link", "") != after["video_link"]:
        if after["video_link"]:
            changes.append(f"Ny länk till det digitala mötet: {after['video_link']}")
        else:
            changes.append("Mötet har inte längre någon länk för digitalt deltagande.")
    old_items = {item["id"]: item for item in before.get("items", [])}
    new_items = {item["id"]: item for item in after["items"]}
    for item in after["items"]:
        old = old_items.get(item["id"])
        if old is None:
            changes.append(f"Ny punkt på dagordningen: {item['number']}. {item['title']}.")
            continue
        what = []
        if old["title"] != item["title"]:
            what.append(f"ny rubrik (tidigare ”{old['title']}”)")
        if old["kind"] != item["kind"]:
            with translation.override("sv"):  # mailed as part of the update
                label = AgendaItem.Kind(item["kind"]).label.lower()
            what.append(f"nu {label}")
        if old["presenter"] != item["presenter"]:
            what.append(f"föredragande {item['presenter'] or 'ingen'}")
        if what:
            changes.append(f"Punkt {item['number']}. {item['title']}: {', '.join(what)}.")
    for item in before.get("items", []):
        if item["id"] not in new_items:
            changes.append(f"Punkten ”{item['title']}” har utgått från dagordningen.")
    kept_before = [item["id"] for item in before.get("items", []) if item["id"] in new_items]
    kept_after = [item["id"] for item in after["items"] if item["id"] in old_items]
    if kept_before != kept_after:
        changes.append("Dagordningens ordning har ändrats.")
    return changes


def last_content_mailing(meeting):
    """The latest invitation or update: what recipients' calendars and inboxes now hold."""
    return (
        meeting.mailings.filter(kind__in=[Mailing.Kind.INVITATION, Mailing.Kind.UPDATE])
        .order_by("-created_at", "-id")
        .first()
    )


def pending_changes(meeting):
    """What changed in time, place or agenda since the last invitation or update was sent."""
    if meeting.status != Meeting.Status.INVITATIONS_SENT:
        return []
    last = last_content_mailing(meeting)
    if last is None:
        return []
    return describe_changes(last.snapshot, snapshot(meeting))


# --- Recipients ------------------------------------------------------------------------------


@dataclass
class Recipient:
    name: str
    email: str
    capacity: str
    person: Person | None = None
    membership: Membership | None = None
    items: list = field(default_factory=list)

    @property
    def capacity_display(self):
        return Capacity(self.capacity).label

    @property
    def key(self):
        return ("person", self.person.pk) if self.person else ("email", self.email.lower())


@dataclass
class RecipientList:
    recipients: list
    # People who would be invited but have no e-mail address: shown in the preview.
    without_email: list

    def __len__(self):
        return len(self.recipients)

    def __iter__(self):
        return iter(self.recipients)


def recipients(meeting, schedule=None):
    """Everyone the invitation goes to, once per person (R7).

    Every current membership of the council (members, adjunct, speaking right, secretariat;
    substitutes for information) and each presenter of the agenda for their own items.
    """
    schedule = agenda_schedule(meeting) if schedule is None else schedule
    on = timezone.localtime(meeting.starts_at).date()
    memberships = (
        Membership.objects.current(on=on)
        .filter(council_id=meeting.council_id, person__active=True)
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "pk")
    )
    by_key = {}
    without_email = []
    for membership in memberships:
        person = membership.person
        capacity = CAPACITY_BY_ROLE.get(membership.role, Capacity.MEMBER)
        current = by_key.get(("person", person.pk))
        if current is not None:
            if CAPACITY_ORDER.index(capacity) < CAPACITY_ORDER.index(current.capacity):
                current.capacity, current.membership = capacity, membership
            continue
        by_key[("person", person.pk)] = Recipient(
            name=person.full_name,
            email=person.email,
            capacity=capacity,
            person=person,
            membership=membership,
        )
    for entry in schedule:
        item = entry.item
        if item.presenter_id:
            person = item.presenter
            key = ("person", person.pk)
            recipient = by_key.get(key)
            if recipient is None:
                recipient = by_key[key] = Recipient(
                    name=person.full_name,
                    email=person.email,
                    capacity=Capacity.PRESENTER,
                    person=person,
                )
        elif item.presenter_email:
            key = ("email", item.presenter_email.lower())
            recipient = by_key.get(key)
            if recipient is None:
                recipient = by_key[key] = Recipient(
                    name=item.presenter_name or item.presenter_email,
                    email=item.presenter_email,
                    capacity=Capacity.PRESENTER,
                )
        elif item.presenter_name:
            without_email.append(
                Recipient(name=item.presenter_name, email="", capacity=Capacity.PRESENTER)
            )
            continue
        else:
            continue
        recipient.items.append(entry)
    # The same address twice (a registered person also named as an external presenter) is one
    # recipient.
    result, seen_addresses = [], set()
    for recipient in by_key.values():
        if not recipient.email:
            without_email.append(recipient)
            continue
        address = recipient.email.lower()
        if address in seen_addresses:
            continue
        seen_addresses.add(address)
        result.append(recipient)
    result.sort(key=lambda r: (CAPACITY_ORDER.index(r.capacity), r.name))
    return RecipientList(recipients=result, without_email=without_email)


def current_chair(meeting):
    """The council's chair (or, lacking one, vice chair) on the meeting date."""
    on = timezone.localtime(meeting.starts_at).date()
    memberships = (
        Membership.objects.current(on=on)
        .filter(
            council_id=meeting.council_id,
            role__in=[Membership.Role.CHAIR, Membership.Role.VICE_CHAIR],
        )
        .select_related("person")
    )
    chairs = sorted(memberships, key=lambda m: m.role != Membership.Role.CHAIR)
    return chairs[0].person if chairs else None


def inviting_chair(meeting, user):
    """Who the mail names as inviting: the sending chair, else the council's chair (R7)."""
    roles = roles_for(user)
    if roles.person is not None and roles.chairs(meeting.council):
        return roles.person
    return current_chair(meeting)


# --- Sending -------------------------------------------------------------------------------


def _create_invitation(*, meeting, mailing, recipient):
    return Invitation.objects.create(
        meeting=meeting,
        mailing=mailing,
        person=recipient.person,
        membership=recipient.membership,
        name=recipient.name,
        email=recipient.email,
        capacity=recipient.capacity,
    )


def _mark_enqueued(deliveries, moment):
    """Bookkeeping for the sweep; a failure here must not fail the action (logged only)."""
    try:
        for model in (Invitation, InvitationMessage):
            ids = [row_id for _, _, row_model, row_id in deliveries if row_model is model]
            for start in range(0, len(ids), 500):
                model.objects.filter(
                    pk__in=ids[start : start + 500], status=DeliveryStatus.QUEUED
                ).update(enqueued_at=moment)
    except DatabaseError:
        logger.warning("Could not record enqueued_at for invitation deliveries", exc_info=True)


def _enqueue_on_commit(deliveries):
    """Publish a delivery task per (invitation_id, mailing_id, model, row_id) after commit.

    The rows are marked as published first (before any worker can touch them). A broker that
    is down must not fail the action: the rows left unpublished get `enqueued_at` cleared and
    wait, queued, for the periodic sweep to publish them when the broker is back.
    """
    deliveries = list(deliveries)
    if not deliveries:
        return

    def publish():
        from meetings.tasks import deliver_invitation

        _mark_enqueued(deliveries, timezone.now())
        for index, (invitation_id, mailing_id, _, _) in enumerate(deliveries):
            try:
                deliver_invitation.delay(invitation_id, mailing_id)
            except Exception:  # kombu raises OperationalError, or the socket error itself
                unpublished = deliveries[index:]
                logger.warning(
                    "Broker unavailable: %d invitation deliveries wait for the sweep",
                    len(unpublished),
                    exc_info=True,
                )
                _mark_enqueued(unpublished, None)
                return

    transaction.on_commit(publish)


def _lock_meeting(meeting):
    return Meeting.objects.select_for_update().select_related("council").get(pk=meeting.pk)


@transaction.atomic
def send_invitations(*, meeting, user, personal_note=""):
    """The chair sends the invitations (R7): one row per person, delivered after commit."""
    access.check(user, Action.SEND_INVITATIONS, meeting)
    meeting = _lock_meeting(meeting)
    if meeting.status == Meeting.Status.INVITATIONS_SENT:
        raise InvitationError("Kallelsen är redan skickad. Skicka en uppdatering i stället.")
    if meeting.status != Meeting.Status.AGENDA_APPROVED:
        raise InvitationError("Kallelsen kan skickas först när dagordningen är godkänd.")
    schedule = agenda_schedule(meeting)
    recipient_list = recipients(meeting, schedule)
    if not recipient_list.recipients:
        raise InvitationError("Det finns ingen mottagare med e-postadress.")
    mailing = Mailing.objects.create(
        meeting=meeting,
        kind=Mailing.Kind.INVITATION,
        sequence=meeting.calendar_sequence,
        personal_note=personal_note.strip(),
        snapshot=snapshot(meeting, schedule),
        inviting_chair=inviting_chair(meeting, user),
        sent_by=user,
    )
    # A meeting cancelled and reinstated is invited to again: the rows are reused (one per
    # person, always) and start over.
    earlier = {}
    for invitation in meeting.invitations.select_for_update():
        if invitation.person_id:
            earlier[("person", invitation.person_id)] = invitation
        earlier[("email", invitation.email.lower())] = invitation
    invitations = []
    for recipient in recipient_list:
        existing = earlier.get(recipient.key) or earlier.get(("email", recipient.email.lower()))
        if existing is None:
            invitations.append(
                _create_invitation(meeting=meeting, mailing=mailing, recipient=recipient)
            )
        else:
            existing.restart(mailing=mailing, capacity=recipient.capacity)
            invitations.append(existing)
    meeting.mark_invitations_sent()
    _enqueue_on_commit((i.pk, mailing.pk, Invitation, i.pk) for i in invitations)
    return mailing


@transaction.atomic
def send_update(*, meeting, user, personal_note=""):
    """After a change of time, place or agenda: same UID, higher SEQUENCE, changes on top.

    People invited since (a new presenter) get the full invitation instead.
    """
    access.check(user, Action.SEND_INVITATIONS, meeting)
    meeting = _lock_meeting(meeting)
    last = last_content_mailing(meeting)
    if meeting.status != Meeting.Status.INVITATIONS_SENT or last is None:
        raise InvitationError("Det finns ingen skickad kallelse att uppdatera.")
    schedule = agenda_schedule(meeting)
    current = snapshot(meeting, schedule)
    changes = describe_changes(last.snapshot, current)
    if not changes:
        raise InvitationError("Inget har ändrats sedan kallelsen skickades.")
    sequence = max(meeting.calendar_sequence, last.sequence + 1)
    if sequence != meeting.calendar_sequence:
        Meeting.objects.filter(pk=meeting.pk).update(calendar_sequence=sequence)
        meeting.calendar_sequence = sequence
    mailing = Mailing.objects.create(
        meeting=meeting,
        kind=Mailing.Kind.UPDATE,
        sequence=sequence,
        personal_note=personal_note.strip(),
        changes="\n".join(changes),
        snapshot=current,
        inviting_chair=inviting_chair(meeting, user),
        sent_by=user,
    )
    deliveries = []
    invited = {}
    for invitation in meeting.invitations.exclude(status=DeliveryStatus.WITHDRAWN):
        if invitation.person_id:
            invited[("person", invitation.person_id)] = invitation
        invited[("email", invitation.email.lower())] = invitation
        # Those whose invitation has not gone out yet will get the current state with it.
        if invitation.status == DeliveryStatus.SENT:
            message = InvitationMessage.objects.create(invitation=invitation, mailing=mailing)
            deliveries.append((invitation.pk, mailing.pk, InvitationMessage, message.pk))
    for recipient in recipients(meeting, schedule):
        keys = [("email", recipient.email.lower())]
        if recipient.person:
            keys.append(("person", recipient.person.pk))
        if any(key in invited for key in keys):
            continue
        invitation = _create_invitation(meeting=meeting, mailing=mailing, recipient=recipient)
        deliveries.append((invitation.pk, mailing.pk, Invitation, invitation.pk))
    _enqueue_on_commit(deliveries)
    return mailing


@transaction.atomic
def cancel_meeting(*, meeting, user, personal_note=""):
    """Cancel the meeting; everyone who received the invitation gets METHOD:CANCEL.

    Also sends the cancellation for a meeting already cancelled elsewhere (the meeting form),
    once. Invitations and follow-ups not yet delivered are withdrawn.
    """
    access.check(user, Action.CANCEL_MEETING, meeting)
    meeting = _lock_meeting(meeting)
    if meeting.status != Meeting.Status.CANCELLED:
        if not meeting.can_move_to(Meeting.Status.CANCELLED):
            raise InvitationError("Ett genomfört sammanträde kan inte ställas in.")
        meeting.cancel()
    if _cancellation_sent(meeting):
        raise InvitationError("Avbokningen är redan skickad.")
    meeting.invitations.filter(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.FAILED]).update(
        status=DeliveryStatus.WITHDRAWN
    )
    InvitationMessage.objects.filter(
        invitation__meeting=meeting, status__in=[DeliveryStatus.QUEUED, DeliveryStatus.FAILED]
    ).update(status=DeliveryStatus.WITHDRAWN)
    received = list(meeting.invitations.filter(status=DeliveryStatus.SENT))
    if not received:
        return None
    mailing = Mailing.objects.create(
        meeting=meeting,
        kind=Mailing.Kind.CANCELLATION,
        sequence=meeting.calendar_sequence,
        personal_note=personal_note.strip(),
        inviting_chair=inviting_chair(meeting, user),
        sent_by=user,
    )
    messages = InvitationMessage.objects.bulk_create(
        [InvitationMessage(invitation=invitation, mailing=mailing) for invitation in received]
    )
    _enqueue_on_commit((m.invitation_id, mailing.pk, InvitationMessage, m.pk) for m in messages)
    return mailing


def cancellation_pending(meeting):
    """A meeting cancelled after invitations went out, whose cancellation was not yet sent."""
    return (
        meeting.status == Meeting.Status.CANCELLED
        and meeting.invitations.filter(status=DeliveryStatus.SENT).exists()
        and not _cancellation_sent(meeting)
    )


def _cancellation_sent(meeting):
    """A cancellation went out after the latest invitation or update."""
    cancellation = (
        meeting.mailings.filter(kind=Mailing.Kind.CANCELLATION).order_by("-created_at").first()
    )
    if cancellation is None:
        return False
    last = last_content_mailing(meeting)
    return last is None or cancellation.created_at >= last.created_at


@transaction.atomic
def resend_failed(*, meeting, user, invitation=None):
    """Queue failed deliveries again (all of the meeting's, or one person's); returns how many."""
    access.check(user, Action.FOLLOW_INVITATIONS, meeting)
    invitations = meeting.invitations.filter(status=DeliveryStatus.FAILED)
    messages = InvitationMessage.objects.filter(
        invitation__meeting=meeting, status=DeliveryStatus.FAILED
    )
    if invitation is not None:
        invitations = invitations.filter(pk=invitation.pk)
        messages = messages.filter(invitation=invitation)
    deliveries = [
        (row.pk, row.mailing_id, Invitation, row.pk) for row in invitations.select_for_update()
    ]
    deliveries += [
        (row.invitation_id, row.mailing_id, InvitationMessage, row.pk)
        for row in messages.select_for_update()
    ]
    for model in (Invitation, InvitationMessage):
        ids = [row_id for _, _, row_model, row_id in deliveries if row_model is model]
        model.objects.filter(pk__in=ids).update(status=DeliveryStatus.QUEUED, enqueued_at=None)
    _enqueue_on_commit(deliveries)
    return len(deliveries)


# --- The periodic sweep and reminders -------------------------------------------------------


def sweep_queued(*, now=None):
    """Publish every delivery still waiting: never published (broker down) or lost (stale).

    Runs from Celery beat; a row published twice is still sent once (`deliver` skips it).
    """
    now = now or timezone.now()
    waiting_since = now - datetime.timedelta(seconds=settings.INVITATION_SWEEP_AFTER_SECONDS)
    stale_since = now - datetime.timedelta(seconds=settings.INVITATION_SWEEP_STALE_SECONDS)
    waiting = Q(status=DeliveryStatus.QUEUED) & (
        Q(enqueued_at__isnull=True, created_at__lte=waiting_since) | Q(enqueued_at__lte=stale_since)
    )
    deliveries = [
        (pk, mailing_id, Invitation, pk)
        for pk, mailing_id in Invitation.objects.filter(waiting).values_list("pk", "mailing_id")
    ]
    deliveries += [
        (invitation_id, mailing_id, InvitationMessage, pk)
        for pk, invitation_id, mailing_id in InvitationMessage.objects.filter(waiting).values_list(
            "pk", "invitation_id", "mailing_id"
        )
    ]
    with transaction.atomic():
        _enqueue_on_commit(deliveries)
    return len(deliveries)


def reminder_days():
    return sorted({int(days) for days in settings.INVITATION_REMINDER_DAYS if int(days) > 0})


def queue_reminders(*, now=None):
    """Remind those who have not answered, N days before the meeting (default 7 and 1).

    Only the nearest due reminder is sent (a beat that was down does not send two at once), and
    not to someone invited after that reminder's day. Each reminder reaches a person once: one
    mailing per meeting and day count, one message per invitation and mailing.
    """
    now = now or timezone.now()
    days = reminder_days()
    if not days:
        return 0
    queued = 0
    meetings = Meeting.objects.filter(
        status=Meeting.Status.INVITATIONS_SENT,
        starts_at__gt=now,
        starts_at__lte=now + datetime.timedelta(days=max(days)),
    )
    for meeting in meetings:
        due = [d for d in days if meeting.starts_at - datetime.timedelta(days=d) <= now]
        if due:
            queued += _queue_reminder(meeting=meeting, days=min(due))
    return queued


@transaction.atomic
def _queue_reminder(*, meeting, days):
    meeting = _lock_meeting(meeting)
    reminder_day = meeting.starts_at - datetime.timedelta(days=days)
    mailing = meeting.mailings.filter(kind=Mailing.Kind.REMINDER, reminder_days=days).first()
    unanswered = meeting.invitations.filter(
        status=DeliveryStatus.SENT, reply="", created_at__lte=reminder_day
    )
    if mailing is None:
        if not unanswered.exists():
            return 0
        invitation_mailing = meeting.mailings.filter(kind=Mailing.Kind.INVITATION).first()
        mailing = Mailing.objects.create(
            meeting=meeting,
            kind=Mailing.Kind.REMINDER,
            sequence=meeting.calendar_sequence,
            reminder_days=days,
            inviting_chair=invitation_mailing.inviting_chair if invitation_mailing else None,
        )
    new = list(unanswered.exclude(messages__mailing=mailing))
    try:
        with transaction.atomic():
            messages = InvitationMessage.objects.bulk_create(
                [InvitationMessage(invitation=invitation, mailing=mailing) for invitation in new]
            )
    except IntegrityError:  # another beat run got there first: each reminder goes out once
        return 0
    _enqueue_on_commit((m.invitation_id, mailing.pk, InvitationMessage, m.pk) for m in messages)
    return len(messages)


# --- Replies -------------------------------------------------------------------------------


def substitutes_for(invitation):
    """The member's current substitutes in the council, for a 'substitute attends' answer."""
    if invitation.membership_id is None:
        return Membership.objects.none()
    on = timezone.localtime(invitation.meeting.starts_at).date()
    return (
        Membership.objects.current(on=on)
        .filter(
            substitute_for_id=invitation.membership_id, council_id=invitation.meeting.council_id
        )
        .select_related("person")
        .order_by("person__family_name", "person__given_name")
    )


@transaction.atomic
def record_reply(
    *,
    invitation,
    reply,
    channel,
    user=None,
    substitute_membership=None,
    substitute_name="",
    now=None,
):
    """Record an answer: by link (no login), in the app, or by the secretariat for a phone call."""
    invitation = (
        Invitation.objects.select_for_update().select_related("meeting").get(pk=invitation.pk)
    )
    if not invitation.takes_replies(now=now):
        raise InvitationError("Det går inte längre att svara på kallelsen.")
    if reply not in Invitation.Reply.values:
        raise InvitationError("Välj ett svar.")
    if reply == Invitation.Reply.SUBSTITUTE:
        substitute_name = substitute_name.strip()
        if substitute_membership is not None:
            if not substitutes_for(invitation).filter(pk=substitute_membership.pk).exists():
                raise InvitationError("Ersättaren är inte ersättare för den här ledamoten.")
            substitute_name = ""
        elif not substitute_name:
            raise InvitationError("Välj en ersättare eller skriv namnet på den som deltar.")
    else:
        substitute_membership, substitute_name = None, ""
    invitation.reply = reply
    invitation.substitute_membership = substitute_membership
    invitation.substitute_name = substitute_name
    invitation.replied_at = now or timezone.now()
    invitation.reply_channel = channel
    invitation.reply_recorded_by = user if user is not None and user.is_authenticated else None
    invitation.save(
        update_fields=[
            "reply",
            "substitute_membership",
            "substitute_name",
            "replied_at",
            "reply_channel",
            "reply_recorded_by",
        ]
    )
    return invitation


# --- Progress --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    queued: int
    failed: int
    withdrawn: int
    attending: int
    not_attending: int
    substitute: int
    unanswered: int
    # Updates, reminders and cancellations that could not be delivered (per message).
    failed_messages: int = 0


def progress(meeting):
    """Counts for the progress view and the meeting page (two queries)."""
    rows = meeting.invitations.values("status", "reply").annotate(n=Count("pk"))
    counts = {}
    for row in rows:
        counts[("status", row["status"])] = counts.get(("status", row["status"]), 0) + row["n"]
        # A withdrawn invitation awaits no answer (as the "Har inte svarat" filter says).
        if row["reply"] or row["status"] != DeliveryStatus.WITHDRAWN:
            counts[("reply", row["reply"])] = counts.get(("reply", row["reply"]), 0) + row["n"]
    total = sum(counts.get(("status", s), 0) for s in DeliveryStatus.values)
    return Progress(
        total=total,
        sent=counts.get(("status", DeliveryStatus.SENT), 0),
        queued=counts.get(("status", DeliveryStatus.QUEUED), 0),
        failed=counts.get(("status", DeliveryStatus.FAILED), 0),
        withdrawn=counts.get(("status", DeliveryStatus.WITHDRAWN), 0),
        attending=counts.get(("reply", Invitation.Reply.ATTENDING), 0),
        not_attending=counts.get(("reply", Invitation.Reply.NOT_ATTENDING), 0),
        substitute=counts.get(("reply", Invitation.Reply.SUBSTITUTE), 0),
        unanswered=counts.get(("reply", ""), 0),
        failed_messages=InvitationMessage.objects.filter(
            invitation__meeting=meeting, status=DeliveryStatus.FAILED
        ).count(),
    )


# --- Links used in mail and pages -------------------------------------------------------------


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def meeting_url(meeting):
    """The agenda online: the meeting page."""
    return absolute(reverse("meetings:meeting_detail", args=[meeting.pk]))


def reply_url(invitation, answer=""):
    path = reverse("meetings:invitation_reply", args=[make_reply_token(invitation)])
    return absolute(f"{path}?svar={answer}" if answer else path)
