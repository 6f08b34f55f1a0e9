"""The invitation demo data: a meeting with invitations sent and answers coming in (R7)."""

import pytest
from django.core import mail
from django.core.management import call_command

from meetings.demo_invitations import TITLE
from meetings.models import Invitation, Meeting

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_a_meeting_with_invitations_and_answers_once():
    call_command("seed_demo", "--force", verbosity=0)
    meeting = Meeting.objects.get(title=TITLE)
    count = meeting.invitations.count()

    call_command("seed_demo", "--force", verbosity=0)

    assert Meeting.objects.filter(title=TITLE).count() == 1
    assert meeting.invitations.count() == count > 0
    assert meeting.status == Meeting.Status.INVITATIONS_SENT
    assert meeting.invitations.exclude(reply="").count() == 4
    assert meeting.invitations.filter(reply_channel=Invitation.Channel.PHONE).exists()
    assert mail.outbox == []  # seeding sends nothing
