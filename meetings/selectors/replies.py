"""Who is coming, by organisation (R2, R7): the replies grouped by organisation and side, whether
each municipality and the region has both its majority and its opposition at the meeting (the
R2 check of the registers page applied to the replies), the substitutes against the members
they replace, and the list of attendees for the exports."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from councils.models import Council, Membership, Organisation
from meetings.models import Invitation
from meetings.models.invitations import DeliveryStatus

Reply = Invitation.Reply
# Those whose side counts for R2: the seats of majority and opposition.
SEATED_CAPACITIES = frozenset(
    {Invitation.Capacity.CHAIR, Invitation.Capacity.VICE_CHAIR, Invitation.Capacity.MEMBER}
)


class Cover:
    """How one side of an organisation stands for the meeting."""

    COVERED = "covered"  # someone attends, or sends a substitute
    PENDING = "pending"  # nobody confirmed yet, someone has not answered
    MISSING = "missing"  # nobody invited, or everyone declined


@dataclass
class ReplyRow:
    invitation: Invitation
    organisation: Organisation | None
    side: str

    @property
    def attends(self):
        return self.invitation.reply in (Reply.ATTENDING, Reply.SUBSTITUTE)

    @property
    def attendee_name(self):
        """Who comes: the invited person, or the substitute in their place."""
        if self.invitation.reply == Reply.SUBSTITUTE:
            return self.invitation.substitute_display
        return self.invitation.name

    @property
    def side_label(self):
        if self.side in (Membership.Side.MAJORITY, Membership.Side.OPPOSITION):
            return Membership.Side(self.side).label
        return ""


@dataclass
class OrganisationReplies:
    organisation: Organisation | None
    rows: list = field(default_factory=list)
    elected: bool = False  # a municipality or the region: majority and opposition (R2)

    def _cover(self, side):
        seated = [
            row
            for row in self.rows
            if row.side == side and row.invitation.capacity in SEATED_CAPACITIES
        ]
        if any(row.attends for row in seated):
            return Cover.COVERED
        if any(not row.invitation.reply for row in seated):
            return Cover.PENDING
        return Cover.MISSING

    @property
    def majority(self):
        return self._cover(Membership.Side.MAJORITY)

    @property
    def opposition(self):
        return self._cover(Membership.Side.OPPOSITION)

    @property
    def both_sides(self):
        return self.majority == Cover.COVERED and self.opposition == Cover.COVERED


@dataclass
class ReplyOverview:
    meeting: object
    organisations: list
    substitutes: list
    attendees: list
    r2_applies: bool

    @property
    def elected(self):
        return [group for group in self.organisations if group.elected]

    @property
    def warnings(self):
        """Swedish sentences for every municipality or region side not (yet) at the meeting."""
        if not self.r2_applies:
            return []
        lines = []
        for group in self.elected:
            for side, cover in (
                (_("majoriteten"), group.majority),
                (_("oppositionen"), group.opposition),
            ):
                if cover == Cover.MISSING:
                    lines.append(
                        _("%(organisation)s: ingen från %(side)s kommer.")
                        % {"organisation": group.organisation, "side": side}
                    )
                elif cover == Cover.PENDING:
                    lines.append(
                        _("%(organisation)s: %(side)s har inte bekräftat.")
                        % {"organisation": group.organisation, "side": side}
                    )
        return lines


def _organisation_order(group):
    organisation = group.organisation
    if organisation is None:
        return (3, "")
    kind_order = {Organisation.Kind.REGION: 0, Organisation.Kind.MUNICIPALITY: 1}
    return (kind_order.get(organisation.kind, 2), organisation.name)


def reply_overview(meeting):
    """The replies by organisation with the R2 check (two queries whatever the size)."""
    invitations = (
        meeting.invitations.exclude(status=DeliveryStatus.WITHDRAWN)
        .select_related(
            "membership__organisation",
            "person__organisation",
            "substitute_membership__person",
        )
        .order_by("name", "pk")
    )
    r2_applies = meeting.council.kind == Council.Kind.REGIONAL
    groups = {}
    if r2_applies:  # every municipality and the region, invited or not
        for organisation in Organisation.objects.with_elected_seats():
            groups[organisation.pk] = OrganisationReplies(organisation=organisation, elected=True)
    for invitation in invitations:
        membership = invitation.membership
        organisation = (
            membership.organisation
            if membership is not None
            else (invitation.person.organisation if invitation.person_id else None)
        )
        side = membership.side if membership is not None else ""
        key = organisation.pk if organisation is not None else None
        if key not in groups:
            groups[key] = OrganisationReplies(
                organisation=organisation,
                elected=organisation is not None
                and organisation.kind in Organisation.ELECTED_SEAT_KINDS,
            )
        groups[key].rows.append(
            ReplyRow(invitation=invitation, organisation=organisation, side=side)
        )
    ordered = sorted(groups.values(), key=_organisation_order)
    rows = [row for group in ordered for row in group.rows]
    return ReplyOverview(
        meeting=meeting,
        organisations=ordered,
        substitutes=[row for row in rows if row.invitation.reply == Reply.SUBSTITUTE],
        attendees=[row for row in rows if row.attends],
        r2_applies=r2_applies,
    )


def attendee_table(overview):
    """Header and rows of the list of attendees (the XLSX and the PDF)."""
    header = [_("Namn"), _("Organisation"), _("Sida"), _("I egenskap av"), _("Ersätter")]
    rows = [
        [
            row.attendee_name,
            str(row.organisation or ""),
            str(row.side_label),
            str(row.invitation.get_capacity_display()),
            row.invitation.name if row.invitation.reply == Reply.SUBSTITUTE else "",
        ]
        for row in overview.attendees
    ]
    return header, rows
