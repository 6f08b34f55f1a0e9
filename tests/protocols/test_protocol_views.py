"""The protocol's pages: the panel on the meeting page, minute-taking with and without htmx,
conflicts, attendance, dissents handed in by members, the draft (R8, R10, R11)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from meetings.models import AgendaItem, Meeting
from protocols import services
from protocols.models import Dissent, ProtocolEntry
from tests.factories import make_council, make_member_user, make_rus_group_user
from tests.meetings.review_support import make_target_area
from tests.protocols.support import expect_dissent

pytestmark = pytest.mark.django_db
User = get_user_model()
HTMX = {"HTTP_HX_REQUEST": "true"}


def user(name):
    return User.objects.get(username=name)


@pytest.fixture
def protocol(world):
    return services.open_protocol(meeting=world.meeting, user=world.secretariat)


def minutes_url(world):
    return reverse("protocols:minutes", args=[world.meeting.pk])


def save_url(world, entry):
    return reverse("protocols:entry_save", args=[world.meeting.pk, entry.pk])


def entry_data(entry, **fields):
    data = {
        "version": entry.version,
        "minutes": entry.minutes,
        "outcome": entry.outcome,
        "outcome_text": entry.outcome_text,
        **fields,
    }
    return {f"entry-{entry.pk}-{name}": value for name, value in data.items()}


# --- The meeting page and opening ---------------------------------------------------------------


def test_secretariat_sees_protokollfor_once_the_meeting_has_begun(client, world):
    client.force_login(world.secretariat)
    page = client.get(reverse("meetings:meeting_detail", args=[world.meeting.pk]))
    assert reverse("protocols:open", args=[world.meeting.pk]) in page.content.decode()


def test_no_protocol_panel_before_the_meeting(client, world):
    world.meeting.starts_at = world.meeting.starts_at.replace(year=world.meeting.starts_at.year + 1)
    world.meeting.ends_at = world.meeting.ends_at.replace(year=world.meeting.ends_at.year + 1)
    world.meeting.save()
    client.force_login(world.secretariat)
    page = client.get(reverse("meetings:meeting_detail", args=[world.meeting.pk]))
    assert "protocol-panel" not in page.content.decode()


def test_opening_moves_the_meeting_to_held_and_shows_the_minute_page(client, world):
    client.force_login(world.secretariat)
    response = client.post(reverse("protocols:open", args=[world.meeting.pk]))
    assert response.status_code == 302
    assert response.url == minutes_url(world)
    world.meeting.refresh_from_db()
    assert world.meeting.status == Meeting.Status.HELD
    page = client.get(response.url)
    assert "Gemensam hållning om EU:s sammanhållningspolitik" in page.content.decode()


def test_a_member_cannot_open_the_minutes(client, world):
    client.force_login(user("ledamot"))
    assert client.post(reverse("protocols:open", args=[world.meeting.pk])).status_code == 403


def test_members_see_the_link_to_the_draft(client, world, protocol):
    client.force_login(user("ledamot"))
    page = client.get(reverse("meetings:meeting_detail", args=[world.meeting.pk])).content.decode()
    assert reverse("protocols:draft", args=[world.meeting.pk]) in page
    assert minutes_url(world) not in page


# --- Who takes the minutes ----------------------------------------------------------------------


def test_the_chair_edits_only_where_the_council_allows_it(client, world, protocol):
    client.force_login(user("ordf"))
    assert client.get(minutes_url(world)).status_code == 403
    world.council.chair_may_edit_minutes = True
    world.council.save()
    assert client.get(minutes_url(world)).status_code == 200


def test_draft_is_for_the_councils_members_only(client, world, protocol):
    url = reverse("protocols:draft", args=[world.meeting.pk])
    client.force_login(make_member_user(make_council()))
    assert client.get(url).status_code == 404
    client.force_login(make_rus_group_user())
    assert client.get(url).status_code == 403
    client.force_login(user("ledamot"))
    assert client.get(url).status_code == 200


# --- Saving an entry ----------------------------------------------------------------------------


def test_plain_post_saves_and_returns_to_the_paragraph(client, world, protocol):
    entry = protocol.entries.get(agenda_item=world.info)
    client.force_login(world.secretariat)
    response = client.post(save_url(world, entry), entry_data(entry, minutes="Anna berättade."))
    assert response.status_code == 302
    assert response.url.endswith(f"#paragraf-{entry.pk}")
    entry.refresh_from_db()
    assert entry.minutes == "Anna berättade." and entry.version == 2


def test_htmx_save_says_when_and_hands_back_the_new_version(client, world, protocol):
    entry = protocol.entries.get(agenda_item=world.info)
    client.force_login(world.secretariat)
    response = client.post(save_url(world, entry), entry_data(entry, minutes="Text."), **HTMX)
    body = response.content.decode()
    assert re.search(r"Sparat kl\. \d\d\.\d\d", body)
    assert 'hx-swap-oob="true"' in body and 'value="2"' in body


def test_a_stale_save_shows_both_texts_and_keeps_what_was_typed(client, world, protocol):
    entry = protocol.entries.get(agenda_item=world.info)
    stale = entry_data(entry, minutes="Min text från mötet.")
    services.save_entry(
        entry=entry,
        user=None,
        version=1,
        minutes="Den andra sekreterarens text.",
        outcome="noted",
        outcome_text="Informationen noteras.",
    )
    client.force_login(world.secretariat)
    response = client.post(save_url(world, entry), stale)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Den andra sekreterarens text." in body
    assert "Min text från mötet." in body
    # The form now carries the saved version: saving the merge is not a conflict again.
    assert f'name="entry-{entry.pk}-version" value="2"' in body
    entry.refresh_from_db()
    assert entry.minutes == "Den andra sekreterarens text."


def test_htmx_conflict_replaces_the_paragraph(client, world, protocol):
    entry = protocol.entries.get(agenda_item=world.info)
    stale = entry_data(entry, minutes="Min text.")
    services.save_entry(
        entry=entry, user=None, version=1, minutes="Deras.", outcome="noted", outcome_text="N."
    )
    client.force_login(world.secretariat)
    response = client.post(save_url(world, entry), stale, **HTMX)
    assert response["HX-Retarget"] == f"#paragraf-{entry.pk}"
    assert "Deras." in response.content.decode() and "Min text." in response.content.decode()


def test_consensus_without_position_text_keeps_the_minutes_typed(client, world, protocol):
    entry = protocol.entries.get(agenda_item=world.position)
    client.force_login(world.secretariat)
    response = client.post(
        save_url(world, entry),
        entry_data(entry, minutes="Lång diskussion.", outcome="consensus", outcome_text=""),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Skriv ställningstagandet ordagrant" in body
    assert "Lång diskussion." in body


def test_an_item_raised_at_the_meeting(client, world, protocol):
    client.force_login(world.secretariat)
    response = client.post(
        reverse("protocols:entry_add", args=[world.meeting.pk]),
        {"title": "Tågtrafiken", "kind": "position", "background": ""},
    )
    assert response.status_code == 200
    assert "koppling till RUS" in response.content.decode()
    response = client.post(
        reverse("protocols:entry_add", args=[world.meeting.pk]),
        {"title": "Tågtrafiken", "kind": "information"},
    )
    assert response.status_code == 302
    assert protocol.entries.filter(title="Tågtrafiken", added_at_meeting=True).exists()


def test_formal_decisions_at_home_per_represented_organisation(client, world, protocol):
    entry = protocol.entries.get(agenda_item=world.position)
    services.save_entry(
        entry=entry, user=None, version=1, minutes="", outcome="consensus", outcome_text="Ja."
    )
    url = reverse("protocols:entry_home_decisions", args=[world.meeting.pk, entry.pk])
    client.force_login(world.secretariat)
    page = client.get(url).content.decode()
    assert "Sundsvalls kommun" in page and "Region Västernorrland" in page
    sundsvall = entry.home_decisions.get(organisation=world.sundsvall)
    client.post(url, {f"home-{sundsvall.pk}": "yes"})
    sundsvall.refresh_from_db()
    assert sundsvall.expected == "yes"
    assert (
        "Formellt beslut hemma väntas hos 1 organisationer"
        in client.get(minutes_url(world)).content.decode()
    )


# --- Dissents -----------------------------------------------------------------------------------


def test_expected_dissent_recorded_in_one_action(client, world, protocol):
    review = expect_dissent(world.position, world.sundsvall)
    entry = protocol.entries.get(agenda_item=world.position)
    member = protocol.attendance.get(membership=world.member)
    client.force_login(world.secretariat)
    page = client.get(minutes_url(world)).content.decode()
    assert "Förväntad avvikande synpunkt från Sundsvalls kommun" in page
    client.post(
        reverse("protocols:expected_dissent", args=[world.meeting.pk, entry.pk, review.pk]),
        {"action": "record", "attendance": member.pk, "text": review.comment},
    )
    dissent = Dissent.objects.get(entry=entry)
    assert dissent.review == review and dissent.member_name == member.name
    page = client.get(minutes_url(world)).content.decode()
    assert "Förväntad avvikande synpunkt från Sundsvalls kommun" not in page


def test_a_dissent_on_request_is_recorded_from_its_own_form(client, world, protocol):
    entry = protocol.entries.get(agenda_item=world.position)
    member = protocol.attendance.get(membership=world.opposition)
    url = reverse("protocols:dissent_record", args=[world.meeting.pk, entry.pk])
    client.force_login(world.secretariat)
    assert member.name in client.get(url).content.decode()
    response = client.post(url, {"attendance": member.pk, "text": ""})
    assert response.status_code == 200  # the text is required; nothing is saved
    assert not Dissent.objects.exists()
    response = client.post(url, {"attendance": member.pk, "text": "Oppositionen avstår."})
    assert response.status_code == 302
    assert Dissent.objects.get(entry=entry).member_name == member.name


def test_a_member_hands_in_and_edits_their_own_dissent(client, world, protocol):
    entry = protocol.entries.get(agenda_item=world.position)
    client.force_login(user("ledamot"))
    response = client.post(
        reverse("protocols:dissent_hand_in", args=[world.meeting.pk, entry.pk]),
        {"text": "Sundsvall avstår."},
    )
    assert response.status_code == 302
    dissent = Dissent.objects.get(entry=entry)
    url = reverse("protocols:dissent_edit", args=[world.meeting.pk, dissent.pk])
    client.post(url, {"text": "Sundsvall avstår från skrivningen."})
    dissent.refresh_from_db()
    assert dissent.text == "Sundsvall avstår från skrivningen."
    client.force_login(user("oppo"))
    assert client.get(url).status_code == 403


# --- Attendance ---------------------------------------------------------------------------------


def test_attendance_change_updates_the_r2_check(client, world, protocol):
    row = protocol.attendance.get(membership=world.opposition)
    client.force_login(world.secretariat)
    response = client.post(
        reverse("protocols:attendance_save", args=[world.meeting.pk, row.pk]),
        {f"attendance-{row.pk}-capacity": row.capacity},  # present unticked
        **HTMX,
    )
    body = response.content.decode()
    assert 'id="representation-gaps"' in body
    assert "Sundsvalls kommun: opposition" in body


def test_a_refused_attendance_change_keeps_the_page(client, world, protocol):
    row = protocol.attendance.get(membership=world.opposition)
    client.force_login(world.secretariat)
    response = client.post(
        reverse("protocols:attendance_save", args=[world.meeting.pk, row.pk]),
        {
            f"attendance-{row.pk}-present": "on",
            f"attendance-{row.pk}-capacity": row.capacity,
            f"attendance-{row.pk}-from_number": "99",
        },
    )
    assert response.status_code == 200
    assert 'value="99"' in response.content.decode()


# --- The draft ----------------------------------------------------------------------------------


def test_the_draft_reads_like_a_swedish_protocol(client, world, protocol):
    entry = protocol.entries.get(agenda_item=world.position)
    services.save_entry(
        entry=entry,
        user=None,
        version=1,
        minutes="",
        outcome="consensus",
        outcome_text="Rådet står bakom positionen.",
    )
    member = protocol.attendance.get(membership=world.member)
    services.record_dissent(entry=entry, user=None, attendance=member, text="Vi avstår.")
    client.force_login(user("ledamot"))
    body = client.get(reverse("protocols:draft", args=[world.meeting.pk])).content.decode()
    assert "§§ 1–6" in body
    assert "Ställningstagande" in body and "Rådet står bakom positionen." in body
    assert f"Avvikande synpunkt: {member.name}, Sundsvalls kommun:" in body
    assert "Justeras senast" in body
    assert 'hx-trigger="every 15s"' in body


def test_members_follow_the_draft_by_polling_a_fragment(client, world, protocol):
    client.force_login(user("ledamot"))
    response = client.get(reverse("protocols:draft", args=[world.meeting.pk]), **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="document"')
    assert "<html" not in body


# --- Query counts -------------------------------------------------------------------------------


def _grow(world, protocol, count):
    for i in range(count):
        services.add_entry(
            protocol=protocol,
            user=None,
            title=f"Övrig {i}",
            kind=AgendaItem.Kind.POSITION,
            target_area=make_target_area(),
        )


# Session, user, roles (2), meeting, protocol, then the page's own reads; the same with 6 and
# with 11 entries.
# The draft: 13 since it lists the protocol's versions (a correction is a new version).
PINNED_QUERIES = {"protocols:minutes": 14, "protocols:draft": 13}


@pytest.mark.parametrize("name", sorted(PINNED_QUERIES))
def test_query_count_is_pinned_and_does_not_grow_with_entries(
    client, world, protocol, name, django_assert_num_queries
):
    client.force_login(world.secretariat)
    url = reverse(name, args=[world.meeting.pk])
    client.get(url)
    with django_assert_num_queries(PINNED_QUERIES[name]):
        client.get(url)
    _grow(world, protocol, 5)
    assert ProtocolEntry.objects.filter(protocol=protocol).count() == 11
    with django_assert_num_queries(PINNED_QUERIES[name]):
        client.get(url)
