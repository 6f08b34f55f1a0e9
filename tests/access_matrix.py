"""The access matrix: for every URL name of the project, a role that may open it and one that
may not, with what each gets (tests/project/test_access_matrix.py runs it and walks the URL conf).

How to add a URL (every new view must be here, or the test fails):

1. Find the app's table below (`COUNCILS`, `MEETINGS`, `STRATEGY`, `PROJECT`) or add one for a
   new app and put it in `TABLES`.
2. Add `"<namespace>:<url name>": Case(...)`:
   - `args`: a function of the `World` returning the URL's arguments (the objects are built
     once per test in `World`; add what your app needs there).
   - `may`: the role that may (a `World` role name: "secretariat", "rus_group", "chair",
     "member", "other_member", "presenter", "nobody"); it gets 200, or a redirect that is not
     the login page (302).
   - `may_not`: the role that may not and its answer: `("member", 403)` for an action on a
     visible object, `("other_member", 404)` for an object the role may not see,
     `ANONYMOUS` (a redirect to the login page) where signing in is the only rule.
   - `method="POST"` for POST-only views; `data`/`headers` for what the allowed call sends.
   - A public page (a signed token is the key, or no login at all) is `Public(...)`: `may` is
     anonymous, and `may_not` the answer to a bad token when there is one.
3. A namespace that is not ours (the Django admin) goes in `EXEMPT_NAMESPACES` with the reason.
"""

import datetime
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from councils.models import Membership
from followups import services as followup_services
from followups.models import FollowUp
from meetings.models import (
    AgendaItem,
    CalendarFeed,
    Invitation,
    ItemProposal,
    ItemQuestion,
    ItemReview,
    Mailing,
    Meeting,
    ProposalAttachment,
)
from meetings.models.invitations import DeliveryStatus
from meetings.services import agenda as agenda_services
from meetings.tokens import make_reply_token
from protocols import canonical
from protocols import services as protocol_services
from rus.documents.models import RenderStatus
from rus.models import OutgoingMail, RenderedDocument, SubStrategy, TargetArea
from tests.factories import make_council, make_user
from tests.meetings.factories import Cast, make_item, make_meeting
from tests.rus.strategy_factories import make_focus_area, make_issue, make_plan, make_strategy

PDF_BYTES = b"%PDF-1.4\n%%EOF\n"
ANONYMOUS = ("anonymous", "login")


@dataclass(frozen=True)
class Case:
    args: object = None  # World -> list of URL arguments
    may: str = "member"
    may_not: tuple = ANONYMOUS
    method: str = "GET"
    data: object = None  # World -> POST data
    headers: dict = field(default_factory=dict)
    allowed_statuses: frozenset = frozenset({200, 302})
    public: bool = False


def Public(args=None, *, may_not=None, method="GET", allowed_statuses=frozenset({200, 302})):
    """A page for everyone: a signed token is the key, or it needs no login at all."""
    return Case(
        args=args,
        may="anonymous",
        may_not=may_not,
        method=method,
        allowed_statuses=allowed_statuses,
        public=True,
    )


class World:
    """Every role and one object of each kind, enough to open every page."""

    def __init__(self):
        self.council = make_council(name="Regionala samverkansrådet", slug="regionala")
        self.meeting = make_meeting(self.council)
        cast = Cast(self.meeting)
        self.users = {
            "secretariat": cast.secretariat,
            "rus_group": cast.rus_group,
            "chair": cast.chair,
            "member": cast.member,
            "other_member": cast.other_council_member,
            "presenter": cast.presenter,
            "nobody": make_user("ingen"),
        }
        member = cast.member.person
        self.membership = Membership.objects.get(person=member, council=self.council)
        self.organisation = self.membership.organisation
        self.person = member

        self.strategy = make_strategy()
        self.plan = make_plan(self.strategy, year=2027)
        self.focus_area = make_focus_area(self.plan)
        self.issue = make_issue(self.plan, focus_area=self.focus_area)
        self.target_area = TargetArea.objects.create(strategy=self.strategy, title="Målområde")
        self.sub_strategy = SubStrategy.objects.create(strategy=self.strategy, name="Program")
        self.outgoing_mail = OutgoingMail.objects.create(
            template="password_reset",
            to=["ledamot@example.org"],
            context={"reset_url": "https://example.org/x/", "username": "ledamot"},
            status=DeliveryStatus.FAILED,
        )

        self.item = make_item(self.meeting, title="Punkt", kind=AgendaItem.Kind.POSITION)
        make_item(self.meeting, title="Föredras", presenter=cast.presenter_person)
        self.attachment = agenda_services.add_attachment(
            item=self.item, uploaded_file=SimpleUploadedFile("a.pdf", PDF_BYTES), user=None
        )
        self.question = ItemQuestion.objects.create(
            item=self.item, organisation=self.organisation, asked_by=member, question="Varför?"
        )
        self.proposal = ItemProposal.objects.create(
            organisation=self.organisation,
            proposer=member,
            title="Förslag",
            target_area=self.target_area,
            background="Bakgrund",
        )
        self.proposal_attachment = ProposalAttachment.objects.create(
            proposal=self.proposal,
            file=SimpleUploadedFile("forslag.pdf", PDF_BYTES),
            original_name="forslag.pdf",
            size=len(PDF_BYTES),
        )
        mailing = Mailing.objects.create(
            meeting=self.meeting, kind=Mailing.Kind.INVITATION, sequence=0
        )
        self.invitation = Invitation.objects.create(
            meeting=self.meeting,
            mailing=mailing,
            person=member,
            membership=self.membership,
            name=member.full_name,
            email="ledamot@example.org",
            capacity=Invitation.Capacity.MEMBER,
            status=DeliveryStatus.SENT,
        )
        self.feed = CalendarFeed.objects.create(person=member)

        # A held meeting with its draft protocol, a dissent by the member and an expected
        # dissent; and a meeting that has begun, not yet minuted.
        self.held_meeting = make_meeting(
            self.council, days_ahead=-7, status=Meeting.Status.AGENDA_APPROVED
        )
        self.position = make_item(
            self.held_meeting,
            title="Ställningstagande",
            kind=AgendaItem.Kind.POSITION,
            target_area=self.target_area,
            background="Bakgrund",
        )
        self.review = ItemReview.objects.create(
            item=self.position,
            organisation=self.organisation,
            anchored=ItemReview.Anchored.YES,
            expects_dissent=True,
            comment="Vi tvekar.",
        )
        self.protocol = protocol_services.open_protocol(
            meeting=self.held_meeting, user=cast.secretariat
        )
        self.entry = self.protocol.entries.get(agenda_item=self.position)
        self.attendance = self.protocol.attendance.get(person=member)
        self.dissent = protocol_services.record_dissent(
            entry=self.entry, user=None, attendance=self.attendance, text="Nej."
        )
        # The protocol's PDF as a rendered document (rus.documents), made and stored.
        self.document = RenderedDocument.objects.create(
            kind="protocol_pdf",
            object_key=str(self.protocol.pk),
            version_key="matris",
            status=RenderStatus.DONE,
            file=ContentFile(PDF_BYTES, name="protokoll.pdf"),
            filename="protokoll.pdf",
            content_type="application/pdf",
            sha256="0" * 64,
        )
        # An adjusted protocol of a council that publishes, with its PDF: the public archive.
        self.council.publishes_protocols = True
        self.council.save()
        self.public_meeting = make_meeting(
            self.council, days_ahead=-14, status=Meeting.Status.AGENDA_APPROVED
        )
        self.public_protocol = protocol_services.open_protocol(
            meeting=self.public_meeting, user=cast.secretariat
        )
        self.public_protocol.status = "adjusted"
        self.public_protocol.save(update_fields=["status"])
        self.public_pdf = RenderedDocument.objects.create(
            kind="protocol_pdf",
            object_key=str(self.public_protocol.pk),
            version_key="matris",
            status=RenderStatus.DONE,
            file=ContentFile(PDF_BYTES, name="publikt.pdf"),
            filename="publikt.pdf",
            content_type="application/pdf",
            sha256="1" * 64,
        )
        self.begun_meeting = make_meeting(
            self.council,
            starts_at=timezone.now() - datetime.timedelta(minutes=30),
            status=Meeting.Status.INVITATIONS_SENT,
        )
        # Justering (R8): a protocol out for justering with the member as adjuster and their
        # comment on the position, and an adjusted one.
        self.sent_protocol = self._protocol_sent_for_justering(cast, days_ago=14)
        self.sent_entry = self.sent_protocol.entries.get(kind=AgendaItem.Kind.POSITION)
        self.sent_entry.protocol = self.sent_protocol
        self.comment = protocol_services.comment(
            entry=self.sent_entry, user=cast.member, text="Stavfel."
        )
        self.adjusted_protocol = self._protocol_sent_for_justering(cast, days_ago=21)
        seen = canonical.checksum(self.adjusted_protocol)
        for user in (cast.member, cast.chair):
            protocol_services.approve(protocol=self.adjusted_protocol, user=user, checksum=seen)
        # Its follow-ups (followups): what the protocol_adjusted receiver makes on commit; the
        # member's organisation's row with a decision document.
        followup_services.create_followups(protocol=self.adjusted_protocol)
        self.agreed_entry = self.adjusted_protocol.entries.get(kind=AgendaItem.Kind.POSITION)
        self.followup = followup_services.update_followup(
            followup=FollowUp.objects.get(entry=self.agreed_entry, organisation=self.organisation),
            user=None,
            version=None,
            document=SimpleUploadedFile("beslut.pdf", PDF_BYTES),
        )

    def _protocol_sent_for_justering(self, cast, *, days_ago):
        meeting = make_meeting(
            self.council, days_ahead=-days_ago, status=Meeting.Status.AGENDA_APPROVED
        )
        make_item(
            meeting,
            title="Ställningstagande",
            kind=AgendaItem.Kind.POSITION,
            target_area=self.target_area,
            background="Bakgrund",
        )
        protocol = protocol_services.open_protocol(meeting=meeting, user=cast.secretariat)
        entry = protocol.entries.get(kind=AgendaItem.Kind.POSITION)
        protocol_services.save_entry(
            entry=entry,
            user=cast.secretariat,
            version=entry.version,
            minutes="",
            outcome="consensus",
            outcome_text="Rådet står bakom.",
        )
        protocol_services.elect_adjusters(
            entry=protocol.entries.get(standing_key=AgendaItem.Standing.ADJUSTER),
            user=cast.secretariat,
            attendances=[protocol.attendance.get(person=cast.member.person)],
        )
        return protocol_services.send_for_adjustment(protocol=protocol, user=cast.secretariat)


def _meeting(w):
    return [w.meeting.pk]


def _item(w):
    return [w.meeting.pk, w.item.pk]


def _attachment(w):
    return [w.meeting.pk, w.attachment.pk]


def _slug(w):
    return [w.council.slug]


def _upload(w):
    return {"file": SimpleUploadedFile("b.pdf", PDF_BYTES), "title": "Bilaga"}


COUNCILS = {
    "councils:council_list": Case(),
    "councils:register_history": Case(may="secretariat", may_not=("member", 403)),
    "councils:council_create": Case(may="secretariat", may_not=("member", 403)),
    "councils:council_detail": Case(args=_slug),
    "councils:council_edit": Case(args=_slug, may="secretariat", may_not=("member", 403)),
    "councils:council_history": Case(args=_slug, may="secretariat", may_not=("member", 403)),
    "councils:council_export_csv": Case(args=_slug, may="secretariat", may_not=("member", 403)),
    "councils:council_export_xlsx": Case(args=_slug, may="secretariat", may_not=("member", 403)),
    "councils:membership_create": Case(
        args=_slug,
        method="POST",
        may="secretariat",
        may_not=("member", 403),
        headers={"HTTP_HX_REQUEST": "true"},
    ),
    "councils:import_upload": Case(args=_slug, may="secretariat", may_not=("member", 403)),
    "councils:import_confirm": Case(
        args=_slug, method="POST", may="secretariat", may_not=("member", 403)
    ),
    "councils:import_template": Case(args=_slug, may="secretariat", may_not=("member", 403)),
    "councils:membership_edit": Case(
        args=lambda w: [w.membership.pk], may="secretariat", may_not=("member", 403)
    ),
    "councils:membership_end": Case(
        args=lambda w: [w.membership.pk], may="secretariat", may_not=("member", 403)
    ),
    "councils:organisation_list": Case(),
    "councils:organisation_create": Case(may="secretariat", may_not=("member", 403)),
    "councils:organisation_detail": Case(args=lambda w: [w.organisation.pk]),
    "councils:organisation_edit": Case(
        args=lambda w: [w.organisation.pk], may="secretariat", may_not=("member", 403)
    ),
    "councils:organisation_history": Case(
        args=lambda w: [w.organisation.pk], may="secretariat", may_not=("member", 403)
    ),
    "councils:person_list": Case(),
    "councils:person_create": Case(may="secretariat", may_not=("member", 403)),
    "councils:person_detail": Case(args=lambda w: [w.person.pk]),
    "councils:person_edit": Case(
        args=lambda w: [w.person.pk], may="secretariat", may_not=("member", 403)
    ),
    "councils:person_history": Case(
        args=lambda w: [w.person.pk], may="secretariat", may_not=("member", 403)
    ),
}

MEETINGS = {
    # Meetings and agendas (R4, R6–R8, R12).
    "meetings:meeting_list": Case(),
    "meetings:meeting_create": Case(may="secretariat", may_not=("member", 403)),
    "meetings:meeting_series": Case(may="secretariat", may_not=("member", 403)),
    "meetings:meeting_detail": Case(args=_meeting, may_not=("other_member", 404)),
    "meetings:meeting_edit": Case(args=_meeting, may="secretariat", may_not=("member", 403)),
    "meetings:meeting_status": Case(
        args=_meeting, method="POST", may="secretariat", may_not=("member", 403)
    ),
    "meetings:agenda_preview": Case(args=_meeting, may_not=("presenter", 403)),
    "meetings:agenda_pdf": Case(args=_meeting, may_not=("presenter", 403)),
    # An approved agenda (the planned meeting's draft has none): the file, or the meeting page.
    "meetings:kallelse_med_handlingar": Case(
        args=lambda w: [w.held_meeting.pk], may_not=("other_member", 404)
    ),
    "meetings:agenda_approve": Case(
        args=_meeting, method="POST", may="chair", may_not=("member", 403)
    ),
    "meetings:agenda_hand_over": Case(
        args=_meeting, method="POST", may="rus_group", may_not=("member", 403)
    ),
    "meetings:agenda_reopen": Case(
        args=_meeting, method="POST", may="chair", may_not=("member", 403)
    ),
    "meetings:agenda_reorder": Case(
        args=_meeting, method="POST", may="rus_group", may_not=("member", 403)
    ),
    "meetings:item_create": Case(args=_meeting, may="rus_group", may_not=("member", 403)),
    "meetings:item_detail": Case(args=_item, may_not=("other_member", 404)),
    "meetings:item_edit": Case(args=_item, may="rus_group", may_not=("member", 403)),
    "meetings:item_delete": Case(args=_item, may="rus_group", may_not=("member", 403)),
    "meetings:item_move": Case(args=_item, method="POST", may="rus_group", may_not=("member", 403)),
    "meetings:item_prepared": Case(
        args=_item, method="POST", may="rus_group", may_not=("member", 403)
    ),
    "meetings:attachment_upload": Case(
        args=_item, method="POST", data=_upload, may="rus_group", may_not=("member", 403)
    ),
    "meetings:attachment_download": Case(args=_attachment, may_not=("other_member", 404)),
    "meetings:attachment_version": Case(
        args=lambda w: [w.meeting.pk, w.attachment.pk, 1], may_not=("presenter", 404)
    ),
    "meetings:attachment_replace": Case(args=_attachment, may="rus_group", may_not=("member", 403)),
    "meetings:attachment_delete": Case(args=_attachment, may="rus_group", may_not=("member", 403)),
    # Item proposals (R9) and the RUS group's queue (R6).
    "meetings:proposal_list": Case(),
    "meetings:proposal_create": Case(may_not=("nobody", 403)),
    "meetings:proposal_queue": Case(may="rus_group", may_not=("member", 403)),
    "meetings:proposal_detail": Case(args=lambda w: [w.proposal.pk], may_not=("other_member", 404)),
    "meetings:proposal_attachment": Case(
        args=lambda w: [w.proposal.pk, w.proposal_attachment.pk], may_not=("other_member", 404)
    ),
    "meetings:proposal_accept": Case(
        args=lambda w: [w.proposal.pk], method="POST", may="rus_group", may_not=("member", 403)
    ),
    "meetings:proposal_defer": Case(
        args=lambda w: [w.proposal.pk], method="POST", may="rus_group", may_not=("member", 403)
    ),
    "meetings:proposal_decline": Case(
        args=lambda w: [w.proposal.pk], method="POST", may="rus_group", may_not=("member", 403)
    ),
    # Review before the meeting (R11).
    "meetings:my_meetings": Case(),
    "meetings:my_meeting": Case(args=_meeting, may="member", may_not=("other_member", 404)),
    "meetings:review_record": Case(
        args=lambda w: [w.item.pk], method="POST", may_not=("other_member", 404)
    ),
    "meetings:question_ask": Case(
        args=lambda w: [w.item.pk], method="POST", may_not=("rus_group", 403)
    ),
    "meetings:review_matrix": Case(args=_meeting, may="chair", may_not=("member", 403)),
    "meetings:review_questions": Case(args=_meeting, may="chair", may_not=("member", 403)),
    "meetings:question_answer": Case(
        args=lambda w: [w.question.pk], method="POST", may="secretariat", may_not=("chair", 403)
    ),
    # Invitations (R7).
    "meetings:invitation_progress": Case(args=_meeting, may="chair", may_not=("member", 403)),
    "meetings:reply_overview": Case(args=_meeting, may="chair", may_not=("member", 403)),
    "meetings:attendees_xlsx": Case(args=_meeting, may="secretariat", may_not=("member", 403)),
    "meetings:attendees_pdf": Case(args=_meeting, may="chair", may_not=("other_member", 404)),
    "meetings:invitation_send": Case(args=_meeting, may="chair", may_not=("other_member", 404)),
    "meetings:invitation_update": Case(args=_meeting, may="chair", may_not=("member", 403)),
    "meetings:invitation_cancel": Case(args=_meeting, may="chair", may_not=("member", 403)),
    "meetings:invitation_resend": Case(
        args=_meeting, method="POST", may="chair", may_not=("member", 403)
    ),
    "meetings:invitation_resend_one": Case(
        args=lambda w: [w.meeting.pk, w.invitation.pk],
        method="POST",
        may="secretariat",
        may_not=("member", 403),
    ),
    "meetings:invitation_record_reply": Case(
        args=lambda w: [w.meeting.pk, w.invitation.pk],
        may="secretariat",
        may_not=("member", 403),
    ),
    "meetings:invitation_my_reply": Case(
        args=_meeting, method="POST", may_not=("other_member", 404)
    ),
    "meetings:invitation_reply": Public(
        lambda w: [make_reply_token(w.invitation)], may_not=(["inte-en-nyckel"], 403)
    ),
    "meetings:calendar_settings": Case(),
    "meetings:calendar_regenerate": Case(method="POST", may_not=("nobody", 404)),
    "meetings:calendar_revoke": Case(method="POST"),
    "meetings:calendar_feed": Public(lambda w: [w.feed.token], may_not=(["gissad-nyckel"], 404)),
}


def _held(w):
    return [w.held_meeting.pk]


def _entry(w):
    return [w.held_meeting.pk, w.entry.pk]


PROTOCOLS = {
    # The protocol of a held meeting (R8, R10, R11): the secretariat minutes, members read.
    "protocols:open": Case(
        args=lambda w: [w.begun_meeting.pk],
        method="POST",
        may="secretariat",
        may_not=("member", 403),
    ),
    "protocols:draft": Case(args=_held, may_not=("rus_group", 403)),
    "protocols:minutes": Case(args=_held, may="secretariat", may_not=("member", 403)),
    "protocols:entry_add": Case(args=_held, may="secretariat", may_not=("chair", 403)),
    "protocols:entry_save": Case(
        args=_entry, method="POST", may="secretariat", may_not=("member", 403)
    ),
    "protocols:entry_strike": Case(
        args=_entry,
        method="POST",
        data=lambda w: {"struck_reason": "Utgår."},
        may="secretariat",
        may_not=("member", 403),
    ),
    "protocols:entry_adjusters": Case(
        args=_entry, method="POST", may="secretariat", may_not=("member", 403)
    ),
    "protocols:entry_home_decisions": Case(
        args=_entry, method="POST", may="secretariat", may_not=("member", 403)
    ),
    "protocols:dissent_record": Case(
        args=_entry, method="POST", may="secretariat", may_not=("member", 403)
    ),
    "protocols:expected_dissent": Case(
        args=lambda w: [w.held_meeting.pk, w.entry.pk, w.review.pk],
        method="POST",
        data=lambda w: {"action": "withdraw"},
        may="secretariat",
        may_not=("member", 403),
    ),
    "protocols:dissent_hand_in": Case(args=_entry, may_not=("rus_group", 403)),
    "protocols:dissent_edit": Case(
        args=lambda w: [w.held_meeting.pk, w.dissent.pk], may_not=("chair", 403)
    ),
    "protocols:attendance": Case(args=_held, may="secretariat", may_not=("member", 403)),
    "protocols:attendance_add": Case(
        args=_held, method="POST", may="secretariat", may_not=("member", 403)
    ),
    "protocols:attendance_save": Case(
        args=lambda w: [w.held_meeting.pk, w.attendance.pk],
        method="POST",
        may="secretariat",
        may_not=("other_member", 404),
    ),
    # Justering (R8): the secretariat sends, answers, records a signature on paper and corrects;
    # the chair and the adjusters comment and approve; members read.
    "protocols:justering": Case(args=lambda w: [w.held_meeting.pk, 1], may_not=("rus_group", 403)),
    "protocols:log": Case(
        args=lambda w: [w.sent_protocol.meeting_id, 1], may_not=("rus_group", 403)
    ),
    "protocols:send": Case(
        args=lambda w: [w.held_meeting.pk, 1],
        method="POST",
        may="secretariat",
        may_not=("member", 403),
    ),
    "protocols:approve": Case(
        args=lambda w: [w.sent_protocol.meeting_id, 1],
        method="POST",
        may="member",
        may_not=("secretariat", 403),
    ),
    "protocols:paper_signature": Case(
        args=lambda w: [w.sent_protocol.meeting_id, 1, w.sent_protocol.signatories.first().pk],
        method="POST",
        may="secretariat",
        may_not=("member", 403),
    ),
    "protocols:comment": Case(
        args=lambda w: [w.sent_protocol.meeting_id, 1, w.sent_entry.pk],
        method="POST",
        data=lambda w: {"text": "En kommentar."},
        may="member",
        may_not=("secretariat", 403),
    ),
    "protocols:answer": Case(
        args=lambda w: [w.sent_protocol.meeting_id, 1, w.comment.pk],
        method="POST",
        data=lambda w: {"answer": "Rättat."},
        may="secretariat",
        may_not=("member", 403),
    ),
    "protocols:correct": Case(
        args=lambda w: [w.adjusted_protocol.meeting_id, 1],
        method="POST",
        data=lambda w: {"reason": "Fel namn."},
        may="secretariat",
        may_not=("chair", 403),
    ),
}

FOLLOWUPS = {
    "followups:matrix": Case(may="member", may_not=("nobody", 403)),
    "followups:matrix_export": Case(may="secretariat", may_not=("presenter", 403)),
    "followups:position": Case(
        args=lambda w: [w.agreed_entry.pk], may="chair", may_not=("other_member", 404)
    ),
    "followups:followup_edit": Case(
        args=lambda w: [w.followup.pk], may="member", may_not=("chair", 403)
    ),
    "followups:report": Case(may="presenter"),
    "followups:report_home": Case(
        args=lambda w: [w.adjusted_protocol.pk], may="member", may_not=("other_member", 404)
    ),
    "followups:year_review": Case(may="secretariat", may_not=("member", 403)),
    "followups:report_export": Case(may="nobody"),
    "followups:followup_document": Case(
        args=lambda w: [w.followup.pk], may="member", may_not=("other_member", 404)
    ),
}

STRATEGY = {
    "rus:strategy": Case(),
    "rus:strategy_edit": Case(may="secretariat", may_not=("member", 403)),
    "rus:history": Case(may="secretariat", may_not=("member", 403)),
    "rus:target_area_create": Case(may="secretariat", may_not=("member", 403)),
    "rus:target_area_edit": Case(
        args=lambda w: [w.target_area.pk], may="secretariat", may_not=("member", 403)
    ),
    "rus:target_area_delete": Case(
        args=lambda w: [w.target_area.pk], may="secretariat", may_not=("member", 403)
    ),
    "rus:sub_strategy_create": Case(may="secretariat", may_not=("member", 403)),
    "rus:sub_strategy_edit": Case(
        args=lambda w: [w.sub_strategy.pk], may="secretariat", may_not=("member", 403)
    ),
    "rus:sub_strategy_delete": Case(
        args=lambda w: [w.sub_strategy.pk], may="secretariat", may_not=("member", 403)
    ),
    "rus:plan_list": Case(),
    "rus:plan_create": Case(may="secretariat", may_not=("member", 403)),
    "rus:plan_compare": Case(),
    "rus:plan_detail": Case(args=lambda w: [w.plan.pk]),
    "rus:plan_edit": Case(args=lambda w: [w.plan.pk], may="secretariat", may_not=("member", 403)),
    "rus:plan_delete": Case(args=lambda w: [w.plan.pk], may="secretariat", may_not=("member", 403)),
    "rus:plan_adopt": Case(args=lambda w: [w.plan.pk], may="secretariat", may_not=("member", 403)),
    "rus:plan_start_next": Case(
        args=lambda w: [w.plan.pk], method="POST", may="secretariat", may_not=("member", 403)
    ),
    "rus:plan_history": Case(
        args=lambda w: [w.plan.pk], may="secretariat", may_not=("member", 403)
    ),
    "rus:focus_area_create": Case(
        args=lambda w: [w.plan.pk], may="secretariat", may_not=("member", 403)
    ),
    "rus:focus_area_edit": Case(
        args=lambda w: [w.focus_area.pk], may="secretariat", may_not=("member", 403)
    ),
    "rus:focus_area_delete": Case(
        args=lambda w: [w.focus_area.pk], may="secretariat", may_not=("member", 403)
    ),
    "rus:influence_issue_create": Case(
        args=lambda w: [w.plan.pk], may="secretariat", may_not=("member", 403)
    ),
    "rus:influence_issue_edit": Case(
        args=lambda w: [w.issue.pk], may="secretariat", may_not=("member", 403)
    ),
    "rus:influence_issue_delete": Case(
        args=lambda w: [w.issue.pk], may="secretariat", may_not=("member", 403)
    ),
}

PROJECT = {
    "home": Case(),
    # For load balancers: 503 names the part that is down (the broker, in a test without one).
    "healthz": Public(allowed_statuses=frozenset({200, 503})),
    "login": Public(),
    "logout": Public(),
    "outgoing_mail": Case(may="secretariat", may_not=("member", 403)),
    "outgoing_mail_resend": Case(
        args=lambda w: [w.outgoing_mail.pk],
        method="POST",
        may="secretariat",
        may_not=("member", 403),
    ),
    "password_change": Case(),
    "password_change_done": Case(),
    "password_reset": Public(),
    "password_reset_done": Public(),
    "password_reset_confirm": Public(lambda w: ["MQ", "ogiltig-nyckel"]),
    "password_reset_complete": Public(),
    "set_language": Public(method="POST"),
    "choose_language": Public(lambda w: ["en"], may_not=(["xx"], 404)),
}


def _document(w):
    return [w.document.pk]


# Rendered documents (rus.documents): the owning app's rule, here the protocol's readers.
DOCUMENTS = {
    "document_download": Case(args=_document, may_not=("other_member", 404)),
    "document_status": Case(args=_document, may_not=("other_member", 404)),
    "document_rerender": Case(
        args=_document, method="POST", may="secretariat", may_not=("member", 403)
    ),
}

# The public archive (R15): anyone; a protocol that is not public is a 404 for everyone.
ARCHIVE = {
    "archive:index": Public(),
    "archive:positions": Public(),
    "archive:feed": Public(),
    "archive:accessibility": Public(),
    "archive:council": Public(_slug, may_not=(["inget-sadant-rad"], 404)),
    "archive:protocol": Public(lambda w: [w.public_protocol.pk], may_not=([999999], 404)),
    "archive:protocol_pdf": Public(lambda w: [w.public_protocol.pk], may_not=([999999], 404)),
    "archive_report:report": Public(),
    "archive_report:export": Public(),
}

# Open data (OParl, R15): anyone; an object that is not public is a 404 for everyone.
OPARL = {
    "oparl:about": Public(),
    "oparl:system": Public(),
    "oparl:body_list": Public(),
    "oparl:body": Public(lambda w: ["rvn"], may_not=(["en-annan"], 404)),
    "oparl:list": Public(lambda w: ["rvn", "meeting"], may_not=(["rvn", "inget-sadant"], 404)),
    "oparl:object": Public(
        lambda w: ["meeting", w.public_meeting.pk], may_not=(["meeting", 999999], 404)
    ),
    "oparl:download": Public(lambda w: [w.public_pdf.pk], may_not=([999999], 404)),
}

# Search: the page is for everyone; what each role finds is each owning app's rule, tested
# role by role in tests/search/test_search_rights.py.
SEARCH = {
    "search:search": Public(),
}

TABLES = [
    COUNCILS,
    MEETINGS,
    PROTOCOLS,
    FOLLOWUPS,
    STRATEGY,
    PROJECT,
    DOCUMENTS,
    ARCHIVE,
    OPARL,
    SEARCH,
]

EXEMPT_NAMESPACES = {
    "admin": "Django's admin: staff users only, with Django's own model permissions.",
}


def matrix():
    merged = {}
    for table in TABLES:
        clash = merged.keys() & table.keys()
        assert not clash, f"URL names listed twice: {sorted(clash)}"
        merged.update(table)
    return merged
