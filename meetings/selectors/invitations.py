"""Reads about invitations (R7): who is invited, what changed since the last mailing, how
delivery and answers stand, and the panel on the meeting page."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from councils.access import roles_for
from councils.models import Membership, Person
from meetings import access
from meetings.access import Action
from meetings.models import Invitation, InvitationMessage, Mailing, Meeting
from meetings.models.invitations import DeliveryStatus
from meetings.schedule import agenda_schedule, describe_changes, snapshot

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
        .select_related("person__user")
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
            email=person.contact_email,
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
                    email=person.contact_email,
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
        .select_related("person__user")
    )
    chairs = sorted(memberships, key=lambda m: m.role != Membership.Role.CHAIR)
    return chairs[0].person if chairs else None


def inviting_chair(meeting, user):
    """Who the mail names as inviting: the sending chair, else the council's chair (R7)."""
    roles = roles_for(user)
    if roles.person is not None and roles.chairs(meeting.council):
        return roles.person
    return current_chair(meeting)


# --- Changes since the last mailing ------------------------------------------------------


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


def cancellation_pending(meeting):
    """A meeting cancelled after invitations went out, whose cancellation was not yet sent."""
    return (
        meeting.status == Meeting.Status.CANCELLED
        and meeting.invitations.filter(status=DeliveryStatus.SENT).exists()
        and not cancellation_sent(meeting)
    )


def cancellation_sent(meeting):
    """A cancellation went out after the latest invitation or update."""
    cancellation = (
        meeting.mailings.filter(kind=Mailing.Kind.CANCELLATION).order_by("-created_at").first()
    )
    if cancellation is None:
        return False
    last = last_content_mailing(meeting)
    return last is None or cancellation.created_at >= last.created_at


# --- Replies ------------------------------------------------------------------------------


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


# --- Progress -----------------------------------------------------------------------------


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
        queued=counts.get(("status", DeliveryStatus.QUEUED), 0)
        + counts.get(("status", DeliveryStatus.SENDING), 0),
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


def sent_count(meeting):
    """How many have received the invitation (and would get an update or a cancellation)."""
    return meeting.invitations.filter(status=DeliveryStatus.SENT).count()


# The progress view's filters: ?visa=<key> (Swedish in the URL, like the paths).
PROGRESS_FILTERS = {
    "vantar": (
        gettext_lazy("Väntar"),
        Q(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]),
    ),
    "misslyckade": (
        gettext_lazy("Misslyckade"),
        Q(status=DeliveryStatus.FAILED) | Q(failed_messages__gt=0),
    ),
    "ej-svarat": (
        gettext_lazy("Har inte svarat"),
        Q(reply="") & ~Q(status=DeliveryStatus.WITHDRAWN),
    ),
    "deltar": (gettext_lazy("Deltar"), Q(reply=Invitation.Reply.ATTENDING)),
    "deltar-inte": (gettext_lazy("Deltar inte"), Q(reply=Invitation.Reply.NOT_ATTENDING)),
    "ersattare": (gettext_lazy("Ersättare deltar"), Q(reply=Invitation.Reply.SUBSTITUTE)),
}


def progress_page(user, meeting, shown=""):
    """The progress page: every invitation (filtered by `shown`), the follow-up mailings, the
    failed messages and the counts."""
    invitations = (
        meeting.invitations.select_related("substitute_membership__person")
        .annotate(
            failed_messages=Count("messages", filter=Q(messages__status=DeliveryStatus.FAILED))
        )
        .order_by("name", "pk")
    )
    if shown in PROGRESS_FILTERS:
        invitations = invitations.filter(PROGRESS_FILTERS[shown][1])
    else:
        shown = ""
    follow_ups = (
        meeting.mailings.exclude(kind=Mailing.Kind.INVITATION)
        .annotate(
            sent=Count("messages", filter=Q(messages__status=DeliveryStatus.SENT)),
            queued=Count(
                "messages",
                filter=Q(messages__status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]),
            ),
            failed=Count("messages", filter=Q(messages__status=DeliveryStatus.FAILED)),
        )
        .order_by("created_at", "pk")
    )
    failed_messages = (
        InvitationMessage.objects.filter(invitation__meeting=meeting, status=DeliveryStatus.FAILED)
        .select_related("invitation", "mailing")
        .order_by("invitation__name", "pk")
    )
    invitations = list(invitations)
    # Each row's labels from one lookup table per field, made once for the page (Django's
    # get_FOO_display builds the field's table anew for every call).
    for name in ("capacity", "status", "reply", "reply_channel"):
        choices = Invitation._meta.get_field(name).flatchoices
        labels = {value: str(label) for value, label in choices}
        for invitation in invitations:
            setattr(invitation, f"{name}_label", labels.get(getattr(invitation, name), ""))
    return {
        "meeting": meeting,
        "may": access.rights(user, meeting),
        "invitations": invitations,
        "progress": progress(meeting),
        "follow_ups": follow_ups,
        "failed_messages": failed_messages,
        "statuses": DeliveryStatus,
        "now": timezone.now(),
        "shown": shown,
        "filters": [(key, label) for key, (label, _) in PROGRESS_FILTERS.items()],
        "pending_changes": pending_changes(meeting),
    }


# --- The panel on the meeting page -------------------------------------------------------------


def invitation_panel(user, meeting):
    """Send, follow, update, cancel; and the signed-in recipient's own answer.

    A fixed number of queries whatever the number of invitations.
    """
    may = access.rights(user, meeting)
    can_send, can_follow = may[Action.SEND_INVITATIONS], may[Action.FOLLOW_INVITATIONS]
    sent = meeting.status == Meeting.Status.INVITATIONS_SENT
    panel = {
        "meeting": meeting,
        "may": may,
        "ready_to_send": meeting.status == Meeting.Status.AGENDA_APPROVED,
        "sent": sent,
        "progress": progress(meeting) if can_follow else None,
        "pending_changes": pending_changes(meeting) if can_send and sent else [],
        "cancellation_pending": (
            cancellation_pending(meeting)
            if meeting.status == Meeting.Status.CANCELLED and may[Action.CANCEL_MEETING]
            else False
        ),
        "my_invitation": None,
        "reply_open": False,
    }
    person = roles_for(user).person
    if person is not None:
        invitation = (
            Invitation.objects.select_related("membership", "substitute_membership__person")
            .filter(meeting=meeting, person=person)
            .order_by()  # one row at most (one invitation per meeting and person)
            .first()
        )
        if invitation is not None:
            invitation.meeting = meeting  # the page's own row, not a second copy joined in
            panel["my_invitation"] = invitation
            panel["reply_open"] = invitation.takes_replies()
    panel["visible"] = can_send or can_follow or panel["my_invitation"] is not None
    return panel


# --- The calendar feed -------------------------------------------------------------------------


def feed_meetings(person, *, days):
    """A person's calendar feed: the meetings of their councils and those they are invited to,
    from `days` ago on."""
    council_ids = (
        Membership.objects.current(on=timezone.localdate())
        .filter(person=person)
        .values("council_id")
    )
    since = timezone.now() - datetime.timedelta(days=days)
    return (
        Meeting.objects.filter(Q(council_id__in=council_ids) | Q(invitations__person=person))
        .filter(ends_at__gte=since)
        .select_related("council")
        .distinct()
        .order_by("starts_at")
    )
