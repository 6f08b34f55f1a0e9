"""Who is coming, by organisation (R2, R7): replies by organisation and side, both sides of
every municipality and the region checked, substitutes against whom they replace, and the
list of attendees as XLSX and PDF."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from councils.models import Council, Membership, Organisation
from meetings import attendee_list
from meetings.models import Invitation
from meetings.selectors.replies import Cover, reply_overview
from meetings.services.invitations import replies, sending
from rus.documents import rendering
from rus.documents.models import RenderedDocument
from tests.factories import (
    make_council,
    make_member_user,
    make_membership,
    make_organisation,
    make_person,
    make_user,
)
from tests.meetings.factories import make_approved_meeting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf")]

MAJORITY, OPPOSITION = Membership.Side.MAJORITY, Membership.Side.OPPOSITION


@pytest.fixture
def invited(django_capture_on_commit_callbacks):
    """Regionala samverkansrådet: the region and two municipalities, each with a majority and
    an opposition member, invited, and some answers in."""
    council = make_council(name="Regionala samverkansrådet", kind=Council.Kind.REGIONAL)
    region = make_organisation("Region Västernorrland", kind=Organisation.Kind.REGION)
    sundsvall = make_organisation("Sundsvalls kommun")
    timra = make_organisation("Timrå kommun")
    chair_user = make_user("ordf")
    chair = make_person(
        "Ingrid", "Ordförande", user=chair_user, organisation=region, email="ingrid@example.org"
    )
    make_membership(
        person=chair,
        council=council,
        role=Membership.Role.CHAIR,
        organisation=region,
        side=MAJORITY,
    )
    people = {}
    for organisation, side, given in (
        (region, OPPOSITION, "Rut"),
        (sundsvall, MAJORITY, "Sara"),
        (sundsvall, OPPOSITION, "Olle"),
        (timra, MAJORITY, "Tore"),
        (timra, OPPOSITION, "Tilda"),
    ):
        person = make_person(
            given, "Ledamot", organisation=organisation, email=f"{given.lower()}@example.org"
        )
        people[given] = make_membership(
            person=person, council=council, organisation=organisation, side=side
        )
    karin = make_membership(
        person=make_person("Karin", "Ersättare", organisation=sundsvall),
        council=council,
        organisation=sundsvall,
        side=OPPOSITION,
        role=Membership.Role.SUBSTITUTE,
        substitute_for=people["Olle"],
    )
    meeting = make_approved_meeting(council)
    with django_capture_on_commit_callbacks(execute=True):
        sending.send_invitations(meeting=meeting, user=chair_user)

    def answer(given, reply, **extra):
        invitation = Invitation.objects.get(meeting=meeting, person=people[given].person)
        replies.record_reply(
            invitation=invitation, reply=reply, channel=Invitation.Channel.LINK, **extra
        )

    invitation = Invitation.objects.get(meeting=meeting, person=chair)
    replies.record_reply(invitation=invitation, reply="attending", channel="link")
    answer("Rut", "attending")
    answer("Sara", "attending")
    answer("Olle", "substitute", substitute_membership=karin)
    answer("Tore", "not_attending")
    return meeting, chair_user


def test_both_sides_are_checked_per_municipality_and_the_region(invited):
    meeting, _chair = invited
    overview = reply_overview(meeting)
    by_name = {str(group.organisation): group for group in overview.elected}

    assert by_name["Region Västernorrland"].both_sides
    sundsvall = by_name["Sundsvalls kommun"]
    assert (sundsvall.majority, sundsvall.opposition) == (Cover.COVERED, Cover.COVERED)
    timra = by_name["Timrå kommun"]
    assert (timra.majority, timra.opposition) == (Cover.MISSING, Cover.PENDING)
    assert "Timrå kommun: ingen från majoriteten kommer." in overview.warnings
    assert "Timrå kommun: oppositionen har inte bekräftat." in overview.warnings
    assert not any("Sundsvall" in line for line in overview.warnings)


def test_the_page_groups_by_organisation_and_lists_substitutes(client, invited):
    meeting, chair_user = invited
    client.force_login(chair_user)

    page = client.get(reverse("meetings:reply_overview", args=[meeting.pk])).content.decode()

    assert "Svar per organisation" in page
    assert (
        "<strong>Karin Ersättare</strong> ersätter Olle Ledamot (Sundsvalls kommun, opposition)"
        in page
    )
    table = page[page.index('class="sides-table"') :]
    assert (
        table.index("Region Västernorrland")
        < table.index("Sundsvalls kommun")
        < table.index("Timrå kommun")
    )
    assert "Timrå kommun: ingen från majoriteten kommer." in page


def test_the_query_count_does_not_grow_with_the_invited(
    client, invited, django_assert_max_num_queries
):
    meeting, chair_user = invited
    client.force_login(chair_user)
    url = reverse("meetings:reply_overview", args=[meeting.pk])
    # Nine for the page, three for the printable list of this reply state (its key, its row,
    # asked for the first time: created in a savepoint).
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_attendees_as_xlsx_name_the_substitute_and_whom_they_replace(client, invited):
    meeting, chair_user = invited
    client.force_login(chair_user)

    response = client.get(reverse("meetings:attendees_xlsx", args=[meeting.pk]))

    assert response["Content-Disposition"].startswith('attachment; filename="deltagare-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Namn", "Organisation", "Sida", "I egenskap av", "Ersätter"]
    assert ["Karin Ersättare", "Sundsvalls kommun", "Opposition", "Ledamot", "Olle Ledamot"] in rows
    names = [row[0] for row in rows[1:]]
    assert "Tore Ledamot" not in names and "Tilda Ledamot" not in names
    assert sorted(names) == ["Ingrid Ordförande", "Karin Ersättare", "Rut Ledamot", "Sara Ledamot"]


def test_attendees_as_a_printable_pdf_rendered_by_celery(
    client, invited, django_capture_on_commit_callbacks
):
    """Not in the request: the overview asks for the list of this reply
    state and shows it being made; the render task stores it; the stable address redirects to
    the stored file."""
    meeting, chair_user = invited
    client.force_login(chair_user)
    pdf_url = reverse("meetings:attendees_pdf", args=[meeting.pk])
    overview_url = reverse("meetings:reply_overview", args=[meeting.pk])

    with django_capture_on_commit_callbacks(execute=False):  # the task not run yet
        page = client.get(overview_url).text
        assert "deltagarlistan (PDF) skapas…" in page
        response = client.get(pdf_url)
    assert response.status_code == 302
    assert response["Location"] == overview_url + "#deltagarlista"
    document = RenderedDocument.objects.get(kind=attendee_list.KIND)
    assert rendering.render(document.pk).status == "done"

    response = client.get(pdf_url)
    assert response["Location"] == reverse("document_download", args=[document.pk])
    download = client.get(response["Location"])
    assert download["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Karin Ersättare" in text and "Olle Ledamot" in text
    assert "4 anmälda deltagare" in text
    assert "Ladda ner deltagarlistan (PDF)" in client.get(overview_url).text


def test_a_new_reply_asks_for_a_new_list(client, invited, django_capture_on_commit_callbacks):
    meeting, chair_user = invited
    client.force_login(chair_user)
    overview_url = reverse("meetings:reply_overview", args=[meeting.pk])
    client.get(overview_url)
    client.get(overview_url)
    assert RenderedDocument.objects.filter(kind=attendee_list.KIND).count() == 1
    invitation = Invitation.objects.filter(meeting=meeting, reply="").first()
    replies.record_reply(invitation=invitation, reply="attending", channel="link")
    client.get(overview_url)
    assert RenderedDocument.objects.filter(kind=attendee_list.KIND).count() == 2


def test_a_member_may_not_see_the_overview_or_the_lists(client, invited):
    meeting, _chair = invited
    client.force_login(make_member_user(meeting.council, username="bob"))
    for name in ("reply_overview", "attendees_xlsx", "attendees_pdf"):
        assert client.get(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == 403
