"""The demo shows follow-ups in mixed states (`manage.py seed_demo`; the shared demo data).

Until justering is on main the demo protocol is a draft: the test adjusts it the way justering
will (the signal), and the demo step then fills in the states, as `seed_demo` does once the
justering demo has adjusted it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from followups import demo as followups_demo
from followups.models import FollowUp
from protocols import demo as protocols_demo
from protocols.models import Protocol
from tests.factories import make_user
from tests.followups.support import adjust

pytestmark = pytest.mark.django_db


@pytest.fixture
def adjusted_demo(demo):
    protocol = Protocol.objects.get(meeting__title=protocols_demo.HELD_TITLE)
    if protocol.status != Protocol.Status.ADJUSTED:
        # The demo's adjusters sign in to adjust (justering is electronic).
        for row in protocol.attendance.filter(is_adjuster=True, person__user__isnull=True):
            row.person.user = make_user(f"justerare{row.pk}")
            row.person.save()
        adjust(protocol)
    followups_demo.seed()
    return protocol


def test_the_adjusted_demo_protocol_has_followups_in_mixed_states(adjusted_demo):
    rows = FollowUp.objects.filter(entry__protocol=adjusted_demo)
    states = set(rows.values_list("state", flat=True))
    assert {"decided", "pending", "not_needed", "declined"} <= states
    decided = rows.filter(state="decided")
    assert all(row.reference and row.deciding_body and row.decision_date for row in decided)
    sundsvall = rows.get(organisation_name="Sundsvalls kommun")
    assert sundsvall.state == "pending"  # for the demo user `ledamot` to record by hand


def test_the_demo_matrix_shows_the_states_to_the_secretariat(client, adjusted_demo):
    client.login(username="kansli", password="samverkan-demo")
    html = client.get(reverse("followups:matrix")).content.decode()
    for state in ("state-decided", "state-pending", "state-not_needed", "state-declined"):
        assert state in html


def test_seeding_again_changes_nothing(adjusted_demo):
    before = list(FollowUp.objects.order_by("pk").values_list("pk", "version", "state"))
    call_command("seed_demo", force=True, stdout=StringIO())
    assert list(FollowUp.objects.order_by("pk").values_list("pk", "version", "state")) == before


def test_every_organisation_of_the_demo_protocol_has_its_aterrapport(adjusted_demo):
    from followups import documents
    from rus.documents.models import RenderedDocument

    organisations = documents.report_organisations(adjusted_demo)
    keys = {documents.report_key(adjusted_demo, o) for o in organisations}
    rows = RenderedDocument.objects.filter(kind__in=documents.REPORT_KINDS, object_key__in=keys)
    assert rows.count() == 2 * len(organisations) > 0
