"""The follow-up pages: the matrix with filters and export, a position's row, recording a
decision with a document, access for a role that may and one that may not (R10)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from followups import services
from followups.models import FollowUp
from tests.factories import make_council, make_member_user, make_rus_group_user, make_user
from tests.followups.support import adjusted_meeting
from tests.meetings.factories import PDF_BYTES

pytestmark = pytest.mark.django_db
User = get_user_model()
MATRIX = reverse("followups:matrix")
EXPORT = reverse("followups:matrix_export")


def user(name):
    return User.objects.get(username=name)


def row(entry, organisation):
    return FollowUp.objects.get(entry=entry, organisation=organisation)


def edit_url(followup):
    return reverse("followups:followup_edit", args=[followup.pk])


def form_data(followup, **fields):
    return {
        "version": followup.version,
        "expected": followup.expected,
        "state": followup.state,
        "deciding_body": followup.deciding_body,
        "decision_date": followup.decision_date.isoformat() if followup.decision_date else "",
        "reference": followup.reference,
        "link": followup.link,
        "comment": followup.comment,
        **fields,
    }


def decided(world, position):
    followup = row(position, world.sundsvall)
    services.update_followup(
        followup=followup,
        user=None,
        version=followup.version,
        state="decided",
        deciding_body="Kommunstyrelsen",
        decision_date=timezone.localdate(),
        reference="KS 2026/77",
        document=SimpleUploadedFile("beslut.pdf", PDF_BYTES),
    )
    return followup


# --- The matrix ----------------------------------------------------------------------------------


def test_the_secretariat_sees_the_matrix_with_states_dates_and_totals(client, world, position):
    decided(world, position)
    client.force_login(world.secretariat)
    page = client.get(MATRIX)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sundsvalls kommun" in html and "Region Västernorrland" in html
    assert "state-decided" in html and "state-pending" in html
    assert "KS 2026/77" in html
    assert "1 av 2 beslutade, 1 väntar" in html
    assert reverse("followups:position", args=[position.pk]) in html


def test_a_member_sees_the_matrix_of_their_council_and_edit_links_for_their_own_rows(
    client, world, position
):
    client.force_login(user("ledamot"))
    html = client.get(MATRIX).content.decode()
    assert edit_url(row(position, world.sundsvall)) in html
    assert edit_url(row(position, world.region)) not in html


def test_a_member_of_another_council_sees_no_rows(client, world, position):
    client.force_login(make_member_user(make_council(name="Stora samverkansrådet")))
    html = client.get(MATRIX).content.decode()
    assert "Sundsvalls kommun" not in html


def test_a_user_without_a_seat_is_refused_the_matrix_and_anonymous_must_log_in(
    client, world, position
):
    client.force_login(make_user("utan-uppdrag"))
    assert client.get(MATRIX).status_code == 403
    assert client.get(EXPORT).status_code == 403
    client.logout()
    assert client.get(MATRIX).status_code == 302


def test_the_rus_group_sees_every_council(client, world, position):
    client.force_login(make_rus_group_user("rus"))
    assert "Sundsvalls kommun" in client.get(MATRIX).content.decode()


def test_filters_only_pending_year_and_council(client, world, position):
    decided(world, position)
    client.force_login(world.secretariat)
    pending = client.get(MATRIX, {"vantande": "1"}).content.decode()
    assert "state-pending" in pending and "state-decided" not in pending
    assert "Region Västernorrland" in pending and "Sundsvalls kommun" not in pending
    this_year = client.get(MATRIX, {"ar": position.year}).content.decode()
    assert "state-decided" in this_year and "Ett filter kunde inte" not in this_year
    council = client.get(MATRIX, {"rad": world.council.slug}).content.decode()
    assert "state-decided" in council


def test_a_bad_filter_is_explained_and_ignored(client, world, position):
    client.force_login(world.secretariat)
    page = client.get(MATRIX, {"ar": "nittonhundra"})
    assert page.status_code == 200
    assert "Ett filter kunde inte läsas" in page.content.decode()


def test_htmx_filters_swap_the_table_only(client, world, position):
    client.force_login(world.secretariat)
    page = client.get(MATRIX, {"vantande": "1"}, HTTP_HX_REQUEST="true")
    html = page.content.decode()
    assert html.lstrip().startswith('<div id="matrix">')
    assert "<html" not in html


def test_the_matrix_costs_the_same_queries_for_more_positions(
    client, world, position, django_assert_max_num_queries
):
    client.force_login(world.secretariat)
    client.get(MATRIX)  # warm the session
    with CaptureQueriesContext(connection) as one:
        assert client.get(MATRIX).status_code == 200
    adjusted_meeting(world, positions=3)
    with django_assert_max_num_queries(len(one)):
        html = client.get(MATRIX).content.decode()
    assert html.count("/uppfoljning/stallningstagande/") == 4


def test_export_is_an_xlsx_with_the_same_filters(client, world, position):
    decided(world, position)
    client.force_login(world.secretariat)
    response = client.get(EXPORT, {"vantande": "1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert "Region Västernorrland" in header and "Sundsvalls kommun" not in header
    assert sheet.cell(row=2, column=4).value == position.title
    full = load_workbook(io.BytesIO(client.get(EXPORT).content)).active
    assert "Sundsvalls kommun" in [cell.value for cell in full[1]]


def test_export_as_csv(client, world, position):
    client.force_login(world.secretariat)
    response = client.get(EXPORT, {"format": "csv"})
    assert response["Content-Type"] == "text/csv"
    assert "Sundsvalls kommun" in response.content.decode("utf-8-sig")


# --- A position's row --------------------------------------------------------------------------


def test_the_position_page_shows_every_organisations_decision_and_document(client, world, position):
    followup = decided(world, position)
    client.force_login(user("oppo"))
    html = client.get(reverse("followups:position", args=[position.pk])).content.decode()
    assert position.outcome_text in html
    assert "Kommunstyrelsen" in html and "KS 2026/77" in html
    assert reverse("followups:followup_document", args=[followup.pk]) in html


def test_the_position_page_is_hidden_from_another_council(client, world, position):
    client.force_login(make_member_user(make_council(name="Stora samverkansrådet")))
    assert client.get(reverse("followups:position", args=[position.pk])).status_code == 404


def test_a_draft_position_has_no_followup_page(client, world):
    from protocols import services as protocol_services
    from tests.followups.support import take_position

    protocol = protocol_services.open_protocol(meeting=world.meeting, user=world.secretariat)
    entry = take_position(protocol.entries.get(agenda_item=world.position))
    client.force_login(world.secretariat)
    assert client.get(reverse("followups:position", args=[entry.pk])).status_code == 404


# --- Recording a decision ----------------------------------------------------------------------


def test_a_member_records_a_decision_with_reference_and_document(client, world, position):
    followup = row(position, world.sundsvall)
    client.force_login(user("ledamot"))
    assert client.get(edit_url(followup)).status_code == 200
    data = form_data(
        followup,
        state="decided",
        deciding_body="Kommunfullmäktige",
        decision_date=timezone.localdate().isoformat(),
        reference="KF 2026/5",
        new_document=SimpleUploadedFile("protokollsutdrag.pdf", PDF_BYTES),
    )
    response = client.post(edit_url(followup), data)
    assert response.status_code == 302
    followup.refresh_from_db()
    assert (followup.state, followup.reference) == ("decided", "KF 2026/5")
    assert followup.document_name == "protokollsutdrag.pdf"
    page = client.get(edit_url(followup)).content.decode()
    assert "Historik" in page and "KF 2026/5" in page


def test_a_bad_document_is_refused_with_a_swedish_message_and_the_input_kept(
    client, world, position
):
    followup = row(position, world.sundsvall)
    client.force_login(user("ledamot"))
    data = form_data(
        followup,
        reference="KS 1/2026",
        new_document=SimpleUploadedFile("beslut.pdf", b"inte en pdf"),
    )
    response = client.post(edit_url(followup), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Filens innehåll stämmer inte" in html
    assert 'value="KS 1/2026"' in html
    followup.refresh_from_db()
    assert followup.reference == ""


def test_decided_without_a_date_is_explained(client, world, position):
    followup = row(position, world.sundsvall)
    client.force_login(user("ledamot"))
    response = client.post(edit_url(followup), form_data(followup, state="decided"))
    assert response.status_code == 400
    assert "Ange beslutsdatum" in response.content.decode()


def test_a_stale_save_is_refused_with_both_values_shown(client, world, position):
    followup = row(position, world.sundsvall)
    client.force_login(world.secretariat)
    client.post(edit_url(followup), form_data(followup, reference="Kansliets"))
    client.force_login(user("ledamot"))
    response = client.post(edit_url(followup), form_data(followup, reference="Ledamotens"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Kansliets" in html and 'value="Ledamotens"' in html
    followup.refresh_from_db()
    assert followup.reference == "Kansliets"


def test_a_member_may_not_edit_another_organisations_row(client, world, position):
    client.force_login(user("ledamot"))
    followup = row(position, world.region)
    assert client.get(edit_url(followup)).status_code == 403
    assert client.post(edit_url(followup), form_data(followup, reference="x")).status_code == 403


def test_a_member_of_another_council_gets_404(client, world, position):
    client.force_login(make_member_user(make_council(name="Stora samverkansrådet")))
    assert client.get(edit_url(row(position, world.sundsvall))).status_code == 404


def test_the_document_is_served_with_a_sandbox_to_those_who_see_the_row(client, world, position):
    followup = decided(world, position)
    url = reverse("followups:followup_document", args=[followup.pk])
    client.force_login(user("regionledamot"))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    client.force_login(make_member_user(make_council(name="Stora samverkansrådet")))
    assert client.get(url).status_code == 404
