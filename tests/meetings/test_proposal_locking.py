"""No silent lost update on proposal decisions: a decision made on a queue page from before
someone else's decision is refused, the typed reason is kept (councils/locking.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from meetings.models import AgendaItem, ItemProposal
from meetings.services import proposals as services
from tests.factories import make_rus_group_user
from tests.meetings.factories import make_meeting
from tests.meetings.review_support import make_proposal
from tests.support.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(alice):
    return make_proposal(alice, title="Kompetensförsörjning")


def test_decision_from_a_stale_queue_page_is_refused(council, proposal):
    """Two RUS group members have the queue open; the first defers the proposal, the second
    (stale page) declines it: the decline is refused, its reason kept, the deferral stands."""
    soon, later = make_meeting(council, days_ahead=10), make_meeting(council, days_ahead=40)
    queue = reverse("meetings:proposal_queue")
    defer_url = reverse("meetings:proposal_defer", args=[proposal.pk])
    decline_url = reverse("meetings:proposal_decline", args=[proposal.pk])
    first, second = Client(), Client()
    first.force_login(make_rus_group_user(username="rus1"))
    second.force_login(make_rus_group_user(username="rus2"))
    defer = form_data(first.get(queue), action=defer_url)
    decline = form_data(second.get(queue), action=decline_url)

    defer.update(meeting=later.pk, reason="Fullt program i december.")
    assert first.post(defer_url, defer).status_code == 302
    decline["reason"] = "Hör hemma i ett annat råd."
    response = second.post(decline_url, decline, headers={"HX-Request": "true"})

    assert response.status_code == 200  # htmx swaps in the row as it is now
    assert "Någon annan har behandlat förslaget" in response.text
    assert "Hör hemma i ett annat råd." in response.text  # the typed reason is kept
    proposal.refresh_from_db()
    assert proposal.status == ItemProposal.Status.DEFERRED
    assert proposal.deferred_to == later
    assert proposal.decision_reason == "Fullt program i december."
    # The row shown now carries the current version: deciding again from it goes through.
    again = form_data(response, action=decline_url)
    assert again["version"] == str(proposal.version)
    assert second.post(decline_url, again).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ItemProposal.Status.DECLINED
    assert proposal.decision_reason == "Hör hemma i ett annat råd."
    assert soon.items.filter(is_standing=False).count() == 0


def test_fresh_decision_is_accepted_and_raises_the_version(client, council, proposal):
    meeting = make_meeting(council)
    url = reverse("meetings:proposal_accept", args=[proposal.pk])
    client.force_login(make_rus_group_user(username="rus1"))
    data = form_data(client.get(reverse("meetings:proposal_queue")), action=url)
    data["meeting"] = meeting.pk
    assert client.post(url, data).status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.version) == (ItemProposal.Status.ACCEPTED, 2)


def test_accept_service_refuses_a_stale_version_and_adds_no_item(council, proposal):
    soon, later = make_meeting(council, days_ahead=10), make_meeting(council, days_ahead=40)
    services.defer_proposal(proposal=proposal, meeting=later, user=None, version=1)
    with pytest.raises(ValidationError) as refused:
        services.accept_proposal(proposal=proposal, meeting=soon, user=None, version=1)
    assert refused.value.code == "stale"
    assert not AgendaItem.objects.filter(title="Kompetensförsörjning").exists()
    proposal.refresh_from_db()
    assert (proposal.status, proposal.version) == (ItemProposal.Status.DEFERRED, 2)
