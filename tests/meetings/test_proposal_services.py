"""Item proposal workflows (R9): submit, accept into an agenda, defer, decline (R6)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meetings.models import AgendaItem, ItemProposal, Meeting
from meetings.services import proposals as services
from tests.factories import make_council, make_member_user, make_rus_group_user
from tests.meetings.factories import make_meeting, pdf_upload
from tests.meetings.review_support import make_proposal, make_target_area

pytestmark = pytest.mark.django_db


def test_submit_stores_proposal_with_attachments(alice):
    organisation = alice.person.memberships.first().organisation
    proposal = services.submit_proposal(
        proposer=alice.person,
        organisation=organisation,
        files=[pdf_upload("Bakgrund å ä ö.pdf")],
        title="Kompetensförsörjning",
        kind=ItemProposal.Kind.POSITION,
        target_area=make_target_area(),
        background="Bakgrund",
    )
    assert proposal.status == ItemProposal.Status.SUBMITTED
    attachment = proposal.attachments.get()
    assert attachment.original_name == "Bakgrund å ä ö.pdf"
    assert attachment.file.read().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("background", "questions", "accepted"),
    [("Bakgrund", "", True), ("", "Ska rådet ställa sig bakom?", True), (" ", "", False)],
)
def test_submit_needs_background_or_questions_r12c(alice, background, questions, accepted):
    organisation = alice.person.memberships.first().organisation
    fields = {
        "proposer": alice.person,
        "organisation": organisation,
        "title": "X",
        "target_area": make_target_area(),
        "background": background,
        "questions": questions,
    }
    if accepted:
        services.submit_proposal(**fields)
    else:
        with pytest.raises(ValidationError) as refused:
            services.submit_proposal(**fields)
        assert "bakgrund eller frågeställningar" in str(refused.value)
    assert ItemProposal.objects.exists() == accepted


def test_submit_without_rus_link_is_refused(alice):
    organisation = alice.person.memberships.first().organisation
    with pytest.raises(ValidationError):
        services.submit_proposal(
            proposer=alice.person, organisation=organisation, title="X", background="B"
        )
    assert not ItemProposal.objects.exists()


def test_database_requires_a_rus_link_r12b(alice):
    organisation = alice.person.memberships.first().organisation
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemProposal.objects.create(
            proposer=alice.person, organisation=organisation, title="X", background="B"
        )


def test_accept_appends_item_with_proposal_fields_and_copies_files(council, alice, rus_user):
    organisation = alice.person.memberships.first().organisation
    proposal = services.submit_proposal(
        proposer=alice.person,
        organisation=organisation,
        files=[pdf_upload("underlag.pdf")],
        title="Gemensam påverkan",
        kind=ItemProposal.Kind.POSITION,
        target_area=make_target_area(),
        background="Bakgrund",
        questions="Ska rådet ställa sig bakom?",
    )
    meeting = make_meeting(council)
    item = services.accept_proposal(proposal=proposal, meeting=meeting, user=rus_user)

    proposal.refresh_from_db()
    assert proposal.status == ItemProposal.Status.ACCEPTED
    assert proposal.agenda_item == item
    assert proposal.decided_by == rus_user and proposal.decided_at is not None
    assert item.meeting == meeting
    assert item.kind == AgendaItem.Kind.POSITION
    assert item.proposing_organisation == organisation
    assert item.target_area == proposal.target_area
    assert item.questions == "Ska rådet ställa sig bakom?"
    # Appended before the closing standing item.
    numbers = list(meeting.items.values_list("title", flat=True))
    assert numbers[-2] == "Gemensam påverkan"
    copied = item.attachments.get()
    assert copied.current_version.file.read().startswith(b"%PDF")


def test_accept_on_approved_agenda_marks_item_changed(council, alice, rus_user):
    proposal = make_proposal(alice)
    meeting = make_meeting(council, status=Meeting.Status.AGENDA_APPROVED)
    item = services.accept_proposal(proposal=proposal, meeting=meeting, user=rus_user)
    assert item.changed_after_approval


def test_defer_mail_is_queued_on_commit(
    council, alice, rus_user, django_capture_on_commit_callbacks
):
    proposal = make_proposal(alice, title="Bredband")
    later = make_meeting(council, title="Möte i maj", days_ahead=60)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.defer_proposal(proposal=proposal, meeting=later, user=rus_user)
    assert len(without_search_index(callbacks)) == 1
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "uppskjutet till Möte i maj" in mail.outbox[0].body


def test_no_mail_when_nothing_is_decided(alice, rus_user, django_capture_on_commit_callbacks):
    proposal = make_proposal(alice)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError),
    ):
        services.decline_proposal(proposal=proposal, user=rus_user, reason="")
    assert callbacks == [] and mail.outbox == []


def test_decline_mail_reaches_proposer_with_reason(django_capture_on_commit_callbacks):
    council = make_council()
    member = make_member_user(council, username="bertil")
    rus_user = make_rus_group_user(username="rus2")
    proposal = make_proposal(member, title="Bredband")
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_proposal(proposal=proposal, user=rus_user, reason="Hör till Stora rådet.")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bertil@example.org"]
    assert "avslagits" in message.subject and "Bredband" in message.subject
    assert "Hör till Stora rådet." in message.body
    assert f"/forslag/{proposal.pk}/" in message.body
    html = message.alternatives[0][0]
    assert "Hör till Stora rådet." in html


def test_accept_mail_names_the_meeting(django_capture_on_commit_callbacks):
    council = make_council(name="Regionala samverkansrådet")
    member = make_member_user(council, username="cecilia")
    proposal = make_proposal(member, title="Matchning")
    meeting = make_meeting(council, title="Månadsmöte mars")
    rus_user = make_rus_group_user()
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_proposal(proposal=proposal, meeting=meeting, user=rus_user)
    assert len(mail.outbox) == 1
    assert "antagits" in mail.outbox[0].subject
    assert "Månadsmöte mars" in mail.outbox[0].body


def test_decline_requires_reason(alice, rus_user):
    proposal = make_proposal(alice)
    with pytest.raises(ValidationError):
        services.decline_proposal(proposal=proposal, user=rus_user, reason="  ")
    proposal.refresh_from_db()
    assert proposal.status == ItemProposal.Status.SUBMITTED


def test_database_requires_reason_for_declined(alice):
    proposal = make_proposal(alice)
    proposal.status = ItemProposal.Status.DECLINED
    proposal.decision_reason = ""
    with pytest.raises(IntegrityError), transaction.atomic():
        proposal.save()


def test_defer_keeps_proposal_open_for_the_later_meeting(council, alice, rus_user):
    proposal = make_proposal(alice)
    later = make_meeting(council, days_ahead=40)
    services.defer_proposal(proposal=proposal, meeting=later, user=rus_user, reason="Tidsbrist")
    proposal.refresh_from_db()
    assert proposal.status == ItemProposal.Status.DEFERRED
    assert proposal.deferred_to == later
    assert proposal.decision_reason == "Tidsbrist"
    assert proposal in ItemProposal.objects.open()
    # A deferred proposal can later be accepted into that meeting.
    item = services.accept_proposal(proposal=proposal, meeting=later, user=rus_user)
    proposal.refresh_from_db()
    assert proposal.agenda_item == item and proposal.deferred_to is None


def test_decided_proposal_cannot_be_decided_again(council, alice, rus_user):
    proposal = make_proposal(alice)
    services.decline_proposal(proposal=proposal, user=rus_user, reason="Nej")
    with pytest.raises(ValidationError, match="redan behandlat"):
        services.accept_proposal(proposal=proposal, meeting=make_meeting(council), user=rus_user)
    assert not AgendaItem.objects.filter(title=proposal.title).exists()


def test_rus_group_is_told_of_a_new_proposal(alice, rus_user, django_capture_on_commit_callbacks):
    organisation = alice.person.memberships.first().organisation
    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.submit_proposal(
            proposer=alice.person,
            organisation=organisation,
            title="Nytt förslag",
            target_area=make_target_area(),
            background="Bakgrund",
        )
    assert [m.to for m in mail.outbox] == [[rus_user.email]]
    assert "Nytt förslag" in mail.outbox[0].subject
    assert f"#forslag-{proposal.pk}" in mail.outbox[0].body


def test_items_and_proposals_share_the_r12_fields_and_one_kind(alice):
    """R12: one definition of kind, RUS link and background for items and proposals."""
    assert AgendaItem.Kind is ItemProposal.Kind
    for name in ItemProposal.R12_FIELDS:
        assert AgendaItem._meta.get_field(name).name == ItemProposal._meta.get_field(name).name
    proposal = make_proposal(alice)
    proposal.kind = ItemProposal.Kind.PROCEDURAL  # formalities are the agenda's own items
    with pytest.raises(ValidationError):
        proposal.full_clean()


def without_search_index(callbacks):
    """The on-commit callbacks other than the search index's refreshes (search/indexing.py)."""
    return [
        callback
        for callback in callbacks
        if not callback.__module__.startswith("search.")
        and not callback.__module__.endswith(".searchable")
    ]
