"""Data helpers for the protocol tests (no tests here): a Regionala samverkansrådet meeting
that has begun, with seats for majority and opposition, an information item and a position
item, and the people around it."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from councils.models import Council, Membership, Organisation
from meetings.models import AgendaItem, ItemReview, Meeting
from tests.factories import (
    make_council,
    make_membership,
    make_organisation,
    make_person,
    make_secretariat_user,
    make_user,
)
from tests.meetings.factories import STOCKHOLM, make_item, make_meeting
from tests.meetings.review_support import make_target_area


def started_meeting(council, *, starts_at=None, status=Meeting.Status.INVITATIONS_SENT, **kw):
    """A meeting of `council` that began an hour ago (or at `starts_at`)."""
    if starts_at is None:
        starts_at = timezone.now() - datetime.timedelta(hours=1)
    return make_meeting(council, starts_at=starts_at, status=status, **kw)


def at(year, month, day, hour=9):
    return datetime.datetime(year, month, day, hour, tzinfo=STOCKHOLM)


def seat(council, organisation, *, role=Membership.Role.MEMBER, side, username=None, **extra):
    user = make_user(username) if username else None
    person = make_person(
        given_name=(username or "Ledamot").title(), user=user, organisation=organisation
    )
    membership = make_membership(
        person=person, council=council, organisation=organisation, role=role, side=side, **extra
    )
    return membership


@dataclass
class Setting:
    council: Council
    meeting: Meeting
    info: AgendaItem
    position: AgendaItem
    sundsvall: Organisation
    region: Organisation
    chair: Membership
    member: Membership
    opposition: Membership
    region_member: Membership
    substitute: Membership
    secretariat: object


def setting(*, chair_may_edit=False):
    council = make_council(
        name="Regionala samverkansrådet",
        slug="regionala",
        kind=Council.Kind.REGIONAL,
        chair_may_edit_minutes=chair_may_edit,
    )
    sundsvall = make_organisation("Sundsvalls kommun")
    region = make_organisation("Region Västernorrland", kind=Organisation.Kind.REGION)
    majority, opposition = Membership.Side.MAJORITY, Membership.Side.OPPOSITION
    chair = seat(council, region, role=Membership.Role.CHAIR, side=majority, username="ordf")
    member = seat(council, sundsvall, side=majority, username="ledamot")
    opposition_member = seat(council, sundsvall, side=opposition, username="oppo")
    region_member = seat(council, region, side=opposition, username="regionledamot")
    substitute = seat(
        council,
        sundsvall,
        role=Membership.Role.SUBSTITUTE,
        side=majority,
        username="ersattare",
        substitute_for=member,
    )
    secretariat = make_secretariat_user(username="kansliet")
    meeting = started_meeting(council, title="Månadsmöte")
    info = make_item(meeting, title="Läget i länet", kind=AgendaItem.Kind.INFORMATION)
    position = make_item(
        meeting,
        title="Gemensam hållning om EU:s sammanhållningspolitik",
        kind=AgendaItem.Kind.POSITION,
        target_area=make_target_area(),
        background="Bakgrund.",
        proposing_organisation=sundsvall,
    )
    return Setting(
        council=council,
        meeting=meeting,
        info=info,
        position=position,
        sundsvall=sundsvall,
        region=region,
        chair=chair,
        member=member,
        opposition=opposition_member,
        region_member=region_member,
        substitute=substitute,
        secretariat=secretariat,
    )


def expect_dissent(item, organisation, comment="Vi delar inte skrivningen om medfinansiering."):
    return ItemReview.objects.create(
        item=item,
        organisation=organisation,
        anchored=ItemReview.Anchored.YES,
        expects_dissent=True,
        comment=comment,
    )


def ready_draft(world, *, adjusters=("member",), meeting=None):
    """The world's meeting (or `meeting` of its council) minuted and complete: the position
    reached consensus, adjusters elected (world.member by default). Returns the draft."""
    from protocols import services
    from protocols.models import ProtocolEntry

    user = world.secretariat
    protocol = services.open_protocol(meeting=meeting or world.meeting, user=user)
    position = protocol.entries.get(kind=AgendaItem.Kind.POSITION)
    services.save_entry(
        entry=position,
        user=user,
        version=position.version,
        minutes="Rådet diskuterade.",
        outcome=ProtocolEntry.Outcome.CONSENSUS,
        outcome_text="Rådet står bakom en stark sammanhållningspolitik.",
    )
    adjuster_entry = protocol.entries.get(standing_key=AgendaItem.Standing.ADJUSTER)
    rows = [protocol.attendance.get(membership=getattr(world, name)) for name in adjusters]
    services.elect_adjusters(entry=adjuster_entry, user=user, attendances=rows)
    protocol.refresh_from_db()
    return protocol


def sent_protocol(world, **kwargs):
    from protocols import services

    protocol = ready_draft(world, **kwargs)
    services.send_for_adjustment(protocol=protocol, user=world.secretariat)
    protocol.refresh_from_db()
    return protocol


def adjusted_protocol(world):
    from protocols import canonical, services

    protocol = sent_protocol(world)
    for membership in (world.member, world.chair):
        services.approve(
            protocol=protocol, user=membership.person.user, checksum=canonical.checksum(protocol)
        )
    protocol.refresh_from_db()
    return protocol


def add_paper_adjuster(world):
    """A member of the world's council without an account (world.paper): elected adjuster, they
    sign on paper (R8), and get no mail even with an address in the register. Call before the
    protocol is opened."""
    world.paper = seat(world.council, world.region, side=Membership.Side.MAJORITY)
    world.paper.person.email = "papper@example.org"
    world.paper.person.save(update_fields=["email"])
    return world.paper


def paper_protocol(world):
    """Sent for justering to the chair and world.paper, who signs on paper."""
    add_paper_adjuster(world)
    return sent_protocol(world, adjusters=("paper",))
