"""Demo data for protocols (R8, R10, R11).

- A held meeting of Regionala samverkansrådet earlier in the year with its full draft protocol:
  attendance from the invitation replies (a serving substitute, the adjunct landshövding), an
  information §, a consensus position with one recorded dissent and one expected dissent that
  was not raised, a no-consensus § sent back to the RUS group, adjusters elected.
  Its protocol then goes through justering by the real services (R8): sent to the chair and
  the adjusters, approved by each, adjusted — so `protocol_adjusted` fires as in production.
- A second held meeting whose protocol is out for justering: its adjuster has no account and
  signed on paper, recorded by the secretariat; the chair (`ordforande`) has not approved, and
  sees the task on the start page.
- A meeting that began a moment ago and is not minuted yet, so that the secretariat (`kansli`)
  can press "Protokollför" and take the minutes by hand.

Idempotent: a meeting is recognised by council and title. Without the councils demo it does
nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from councils.models import Council, Membership, Organisation
from meetings.models import AgendaItem, Invitation, ItemReview, Mailing, Meeting
from meetings.models.invitations import DeliveryStatus
from meetings.schedule import agenda_schedule, snapshot
from meetings.selectors.invitations import recipients
from meetings.services import agenda as agenda_services
from rus.models import FocusArea, TargetArea

from . import canonical, demo_archive, services
from .models import Attendance, Protocol, ProtocolEntry

COUNCIL_SLUG = "regionala-samverkansradet"
HELD_TITLE = "Månadsmöte: regional energiomställning"
ONGOING_TITLE = "Extra möte: regional kollektivtrafik"
WAITING_TITLE = "Månadsmöte: kompetensförsörjning i länet"


def seed(*, users):
    council = Council.objects.filter(slug=COUNCIL_SLUG).first()
    if council is None:
        return None
    secretariat = users.get("kansli") if users else None
    held = _held_meeting(council, secretariat=secretariat)
    _adjust(held, secretariat=secretariat, chair_approves=True)
    waiting = _waiting_meeting(council, secretariat=secretariat)
    _adjust(waiting, secretariat=secretariat, chair_approves=False, on_paper=True)
    demo_archive.seed()
    return {
        "held": held,
        "waiting": waiting,
        "ongoing": _ongoing_meeting(council, secretariat=secretariat),
    }


# --- Justering (R8) -----------------------------------------------------------------------------


def _account_for(person):
    """Elected adjusters approve in the app: a demo account for one who has none (no password:
    the demo approves for them through the service)."""
    if person.user_id:
        return person.user
    username = slugify(f"{person.given_name}.{person.family_name}")[:140] or f"person{person.pk}"
    user, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": person.email}
    )
    if _created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    person.user = user
    person.save()
    return user


def _adjust(meeting, *, secretariat, chair_approves, on_paper=False):
    """Send the meeting's draft for justering a day after the meeting, the adjusters approve
    over the next days, and the chair too when `chair_approves`: all through the services, as
    in production. With `on_paper`, an adjuster without an account keeps it that way, signs on
    paper and the secretariat records it. Does nothing for a protocol already past its draft."""
    protocol = Protocol.objects.filter(meeting=meeting, version=1).first()
    if protocol is None or not protocol.is_draft:
        return protocol
    on_paper = on_paper and secretariat is not None
    for row in protocol.attendance.filter(is_adjuster=True).select_related("person"):
        if row.person is not None and not on_paper:
            _account_for(row.person)
    if services.sending_problems(protocol):
        return protocol
    sent_at = meeting.ends_at + datetime.timedelta(days=1)
    services.send_for_adjustment(protocol=protocol, user=secretariat, now=sent_at)
    seen = canonical.checksum(protocol)
    signatories = list(protocol.signatories.select_related("person__user").order_by("role", "id"))
    at = sent_at
    for signatory in signatories:
        if signatory.role == signatory.Role.CHAIR and not chair_approves:
            continue
        at += datetime.timedelta(days=1, hours=2)
        if signatory.on_paper:
            when = min(at, timezone.now())
            services.record_paper_signature(
                signatory=signatory,
                user=secretariat,
                checksum=seen,
                signed_on=timezone.localtime(when).date(),
                now=when,
            )
            continue
        services.approve(
            protocol=protocol,
            user=signatory.person.user,
            checksum=seen,
            now=min(at, timezone.now()),
        )
    protocol.refresh_from_db()
    return protocol


def _waiting_meeting(council, *, secretariat):
    """Held six days ago, minuted; its protocol goes out for justering (see `_adjust`)."""
    existing = Meeting.objects.filter(council=council, title=WAITING_TITLE).first()
    if existing is not None:
        return existing
    links = _links()
    day = timezone.localdate() - datetime.timedelta(days=6)
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(13, 0)))
    meeting = agenda_services.create_meeting(
        user=secretariat,
        council=council,
        title=WAITING_TITLE,
        kind=Meeting.Kind.MONTHLY_DIGITAL,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        video_link="https://moten.example.org/regionala-samverkansradet",
    )
    region = _org("Region Västernorrland")
    information = agenda_services.add_item(
        meeting=meeting,
        user=secretariat,
        title="Lägesbild: kompetensförsörjningen i vården",
        kind=AgendaItem.Kind.INFORMATION,
        target_area=links["target"],
        background="Regionen redovisar bemanningsläget och utbildningsplatserna.",
        proposing_organisation=region,
        is_prepared=True,
    )
    position = agenda_services.add_item(
        meeting=meeting,
        user=secretariat,
        title="Gemensam position: fler utbildningsplatser inom vård och omsorg",
        kind=AgendaItem.Kind.POSITION,
        focus_area=links["focus"],
        target_area=links["target"],
        background="RUS-gruppen föreslår en gemensam position till Mittuniversitetet och staten.",
        proposing_organisation=region,
        is_prepared=True,
    )
    if meeting.approval_problems():
        return meeting
    agenda_services.approve_agenda(meeting=meeting, user=secretariat)
    _replies(meeting, secretariat=secretariat)
    protocol = services.open_protocol(meeting=meeting, user=secretariat, now=meeting.ends_at)
    members = [
        row
        for row in protocol.attendance.order_by("organisation_name", "name")
        if row.present and row.capacity == Attendance.Capacity.MEMBER
    ]
    adjusters = protocol.entries.filter(standing_key=AgendaItem.Standing.ADJUSTER).first()
    if adjusters is not None and members:
        services.elect_adjusters(entry=adjusters, user=secretariat, attendances=members[-1:])
    _save(
        _entry(protocol, information),
        secretariat,
        minutes="Regionens HR-direktör redovisade bemanningsläget i vården.",
        outcome=ProtocolEntry.Outcome.NOTED,
        outcome_text="Informationen noteras.",
    )
    _save(
        _entry(protocol, position),
        secretariat,
        minutes="Rådet diskuterade behovet av utbildningsplatser i hela länet.",
        outcome=ProtocolEntry.Outcome.CONSENSUS,
        outcome_text=(
            "Regionala samverkansrådet verkar gemensamt för fler utbildningsplatser inom vård "
            "och omsorg i Västernorrland, också på distans."
        ),
    )
    return meeting


def _links():
    return {
        "focus": FocusArea.objects.order_by("-plan__year", "position").first(),
        "target": TargetArea.objects.order_by("position").first(),
    }


def _org(name):
    return Organisation.objects.filter(name=name).first()


def _held_meeting(council, *, secretariat):
    existing = Meeting.objects.filter(council=council, title=HELD_TITLE).first()
    if existing is not None:
        return existing
    links = _links()
    day = timezone.localdate() - datetime.timedelta(days=45)
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
    meeting = agenda_services.create_meeting(
        user=secretariat,
        council=council,
        title=HELD_TITLE,
        kind=Meeting.Kind.MONTHLY_DIGITAL,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2, minutes=30),
        video_link="https://moten.example.org/regionala-samverkansradet",
    )
    region = _org("Region Västernorrland")
    information = agenda_services.add_item(
        meeting=meeting,
        user=secretariat,
        title="Lägesbild: elnät och effektbrist i länet",
        kind=AgendaItem.Kind.INFORMATION,
        target_area=links["target"],
        background="Svenska kraftnät och regionen redovisar läget för elnätsutbyggnaden.",
        presenter_name="Elin Nätsdotter",
        proposing_organisation=region,
        is_prepared=True,
    )
    consensus = agenda_services.add_item(
        meeting=meeting,
        user=secretariat,
        title="Gemensam position: regional plan för vätgas och fossilfria transporter",
        kind=AgendaItem.Kind.POSITION,
        focus_area=links["focus"],
        target_area=links["target"],
        background="RUS-gruppen föreslår en gemensam position inför regeringens infrastrukturplan.",
        proposing_organisation=region,
        is_prepared=True,
    )
    no_consensus = agenda_services.add_item(
        meeting=meeting,
        user=secretariat,
        title="Ställningstagande: gemensam modell för etableringsstöd",
        kind=AgendaItem.Kind.POSITION,
        focus_area=links["focus"],
        target_area=links["target"],
        background="Förslag om en gemensam modell för stöd till större etableringar.",
        proposing_organisation=region,
        is_prepared=True,
    )
    if meeting.approval_problems():
        return meeting
    agenda_services.approve_agenda(meeting=meeting, user=secretariat)
    _replies(meeting, secretariat=secretariat)
    # Expected dissents registered before the meeting (R11): one raised, one not.
    sundsvall, kramfors = _org("Sundsvalls kommun"), _org("Kramfors kommun")
    raised = not_raised = None
    if sundsvall is not None:
        raised = ItemReview.objects.create(
            item=consensus,
            organisation=sundsvall,
            anchored=ItemReview.Anchored.IN_PROGRESS,
            expects_dissent=True,
            comment="Sundsvall vill att vätgasen i första hand prioriteras för industrin.",
        )
    if kramfors is not None:
        not_raised = ItemReview.objects.create(
            item=consensus,
            organisation=kramfors,
            anchored=ItemReview.Anchored.YES,
            expects_dissent=True,
            comment="Kramfors kan komma att invända mot tidplanen.",
        )
    protocol = services.open_protocol(meeting=meeting, user=secretariat, now=meeting.ends_at)
    _minute(protocol, secretariat, information, consensus, no_consensus, raised, not_raised)
    return meeting


def _replies(meeting, *, secretariat):
    """The invitations as sent, answered: most attend, one declines, Sundsvall's majority
    member sends the substitute."""
    schedule = agenda_schedule(meeting)
    sent_at = meeting.starts_at - datetime.timedelta(days=14)
    mailing = Mailing.objects.create(
        meeting=meeting,
        kind=Mailing.Kind.INVITATION,
        sequence=meeting.calendar_sequence,
        snapshot=snapshot(meeting, schedule),
        sent_by=secretariat,
        created_at=sent_at,
    )
    replied_at = sent_at + datetime.timedelta(days=3)
    declined = False
    for recipient in recipients(meeting, schedule):
        if recipient.capacity == Invitation.Capacity.SUBSTITUTE:
            reply, substitute = "", None
        else:
            reply, substitute = Invitation.Reply.ATTENDING, None
        membership = recipient.membership
        if membership is not None and membership.substitutes.exists():
            reply, substitute = Invitation.Reply.SUBSTITUTE, membership.substitutes.first()
        elif (
            not declined
            and membership is not None
            and membership.role == Membership.Role.MEMBER
            and membership.side == Membership.Side.OPPOSITION
        ):
            reply, declined = Invitation.Reply.NOT_ATTENDING, True
        Invitation.objects.create(
            meeting=meeting,
            mailing=mailing,
            person=recipient.person,
            membership=membership,
            name=recipient.name,
            email=recipient.email,
            capacity=recipient.capacity,
            status=DeliveryStatus.SENT,
            attempts=1,
            enqueued_at=sent_at,
            sent_at=sent_at,
            sent_sequence=meeting.calendar_sequence,
            created_at=sent_at,
            reply=reply,
            substitute_membership=substitute,
            replied_at=replied_at if reply else None,
            reply_channel=Invitation.Channel.LINK if reply else "",
        )
    meeting.mark_invitations_sent()


def _entry(protocol, item):
    return protocol.entries.get(agenda_item=item)


def _save(entry, user, *, minutes, outcome, outcome_text):
    entry.refresh_from_db()
    return services.save_entry(
        entry=entry,
        user=user,
        version=entry.version,
        minutes=minutes,
        outcome=outcome,
        outcome_text=outcome_text,
    )


def _minute(protocol, user, information, consensus, no_consensus, raised, not_raised):
    members = [
        row
        for row in protocol.attendance.order_by("organisation_name", "name")
        if row.present and row.capacity == Attendance.Capacity.MEMBER
    ]
    adjusters = protocol.entries.filter(standing_key=AgendaItem.Standing.ADJUSTER).first()
    if adjusters is not None and members:
        services.elect_adjusters(entry=adjusters, user=user, attendances=members[:2])
    _save(
        _entry(protocol, information),
        user,
        minutes=(
            "Elin Nätsdotter redovisade läget för elnätsutbyggnaden och den väntade effektbristen "
            "i södra länet. Ledamöterna ställde frågor om tidplanen för nya stamnätsstationer."
        ),
        outcome=ProtocolEntry.Outcome.NOTED,
        outcome_text="Informationen noteras.",
    )
    position = _save(
        _entry(protocol, consensus),
        user,
        minutes=(
            "Regionens regionala utvecklingsdirektör föredrog förslaget. Rådet diskuterade "
            "finansieringen av vätgasinfrastrukturen genom EU:s regionalfond."
        ),
        outcome=ProtocolEntry.Outcome.CONSENSUS,
        outcome_text=(
            "Regionala samverkansrådet står bakom en gemensam regional plan för vätgas och "
            "fossilfria transporter och uppmanar regeringen att prioritera laddinfrastruktur "
            "längs E4 och Mittstråket."
        ),
    )
    for decision in position.home_decisions.all():
        decision.expected = "yes" if "kommun" in decision.organisation_name else "no"
        decision.save(update_fields=["expected"])
    if raised is not None:
        speaker = next(
            (row for row in members if row.organisation_id == raised.organisation_id), None
        ) or next(
            (
                row
                for row in protocol.attendance.all()
                if row.organisation_id == raised.organisation_id and row.takes_part_in_positions
            ),
            None,
        )
        if speaker is not None:
            services.record_dissent(
                entry=position, user=user, attendance=speaker, text=raised.comment, review=raised
            )
    if not_raised is not None:
        services.withdraw_expected_dissent(entry=position, user=user, review=not_raised)
    _save(
        _entry(protocol, no_consensus),
        user,
        minutes="Flera kommuner behöver förankra modellen i sina kommunstyrelser.",
        outcome=ProtocolEntry.Outcome.NO_CONSENSUS,
        outcome_text=(
            "Rådet når inte konsensus: kommunerna har inte hunnit förankra modellen och vill "
            "se en konsekvensanalys för de mindre kommunerna."
        ),
    )


def _ongoing_meeting(council, *, secretariat):
    """A meeting that began a quarter of an hour ago, its agenda approved, not yet minuted."""
    existing = Meeting.objects.filter(council=council, title=ONGOING_TITLE).first()
    if existing is not None:
        return existing
    links = _links()
    now = timezone.localtime().replace(second=0, microsecond=0)
    starts_at = now - datetime.timedelta(minutes=15)
    meeting = agenda_services.create_meeting(
        user=secretariat,
        council=council,
        title=ONGOING_TITLE,
        kind=Meeting.Kind.MONTHLY_DIGITAL,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        video_link="https://moten.example.org/regionala-samverkansradet",
    )
    agenda_services.add_item(
        meeting=meeting,
        user=secretariat,
        title="Information: ny trafikförsörjningsplan",
        kind=AgendaItem.Kind.INFORMATION,
        target_area=links["target"],
        background="Kollektivtrafikmyndigheten presenterar utkastet.",
        is_prepared=True,
    )
    position = agenda_services.add_item(
        meeting=meeting,
        user=secretariat,
        title="Gemensam position: tågtrafiken Sundsvall–Umeå",
        kind=AgendaItem.Kind.POSITION,
        focus_area=links["focus"],
        target_area=links["target"],
        background="Förslag om gemensamma krav på turtäthet och restider.",
        proposing_organisation=_org("Region Västernorrland"),
        is_prepared=True,
    )
    if meeting.approval_problems():
        return meeting
    agenda_services.approve_agenda(meeting=meeting, user=secretariat)
    harnosand = _org("Härnösands kommun")
    if harnosand is not None:
        ItemReview.objects.create(
            item=position,
            organisation=harnosand,
            anchored=ItemReview.Anchored.YES,
            expects_dissent=True,
            comment="Härnösand vill att stoppet i Härnösand skrivs in i positionen.",
        )
    return meeting
