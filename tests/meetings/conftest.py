"""Fixtures shared by the meeting tests: a council with a meeting and the people around it,
the proposal and review users, and the invitation setup.

Users are built with the role helpers in tests/factories.py; `alice` and `bob` are members of
`council`, each for their own municipality.
"""

import pytest

from rus.models import FocusArea, StrategicPlan, Strategy
from tests.factories import make_council, make_member_user, make_rus_group_user
from tests.meetings.factories import Cast, make_meeting
from tests.meetings.invitation_support import FAKE_PDF, clear_pdf_cache, make_invitation_setup
from tests.meetings.review_support import make_position_item


@pytest.fixture
def council(db):
    # Two councils first, so that council and meeting ids differ (they must not be confused).
    make_council()
    make_council()
    return make_council(name="Regionala samverkansrådet")


@pytest.fixture
def other_council(db):
    return make_council(name="Stora samverkansrådet")


@pytest.fixture
def meeting(council):
    """A planned meeting of `council` in two weeks, with the standing items."""
    return make_meeting(council)


@pytest.fixture
def cast(meeting):
    """The secretariat, the RUS group, the chair, a member and outsiders of `meeting`."""
    return Cast(meeting)


@pytest.fixture
def alice(council):
    """A member of `council`: proposes items and reviews the agenda."""
    return make_member_user(council, username="alice")


@pytest.fixture
def bob(council):
    """A member of the same council for another organisation."""
    return make_member_user(council, username="bob")


@pytest.fixture
def rus_user(db):
    """A member of the strategiska RUS-gruppen: prepares the agendas (R6)."""
    return make_rus_group_user(username="rus")


@pytest.fixture
def focus_area(db):
    strategy = Strategy.objects.create(name="Ett Västernorrland", start_year=2020, end_year=2030)
    plan = StrategicPlan.objects.create(strategy=strategy, year=2026)
    return FocusArea.objects.create(
        plan=plan, title="Strategisk finansiering", vision_2030="Mer EU-medel."
    )


@pytest.fixture
def position_item(meeting):
    return make_position_item(meeting, title="Gemensam påverkansagenda")


@pytest.fixture
def fake_pdf(monkeypatch):
    """The agenda PDF is a few fixed bytes (the PDF tests render the real one)."""
    clear_pdf_cache()
    monkeypatch.setattr("meetings.pdf.render_agenda_pdf", lambda meeting: FAKE_PDF)
    monkeypatch.setattr("meetings.pdf.render_agenda_pdf_with_pages", lambda meeting: (FAKE_PDF, 1))


@pytest.fixture
def setup(db):
    """A council with a chair and three members with addresses, and an approved meeting."""
    return make_invitation_setup(members=3)
