"""Demo data for proposals and review (R9, R11): one open proposal, some answers."""

import pytest

from councils import demo as councils_demo
from councils.models import Council
from meetings.demo_proposals import seed_demo_proposals
from meetings.models import ItemProposal, ItemReview, Meeting
from rus import demo as rus_demo
from tests.factories import make_user
from tests.meetings.factories import make_meeting
from tests.meetings.review_support import make_position_item

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_uses_ledamots_organisation():
    users = {name: make_user(name) for name in ("kansli", "ordforande", "ledamot", "rusgrupp")}
    strategy = rus_demo.seed()
    councils_demo.seed(users=users)
    regional = Council.objects.get(kind=Council.Kind.REGIONAL)
    meeting = make_meeting(regional, status=Meeting.Status.AGENDA_APPROVED)
    make_position_item(meeting)

    seed_demo_proposals(users=users, strategy=strategy)
    seed_demo_proposals(users=users, strategy=strategy)

    proposal = ItemProposal.objects.get()
    assert proposal.is_open
    assert proposal.proposer.user == users["ledamot"]
    assert proposal.rus_link is not None
    reviews = ItemReview.objects.all()
    assert reviews.count() == 2
    assert any(review.consensus_at_risk for review in reviews)
