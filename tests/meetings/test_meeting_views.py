"""Meeting pages: list, detail, create, edit, series, status (R4, R8)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from councils.models import Membership
from meetings.calendar_days import day_remark
from meetings.models import AgendaItem, Meeting
from tests.factories import make_admin_user, make_council, make_member_user
from tests.meetings.factories import make_item, make_meeting
from tests.support.forms import form_data

pytestmark = pytest.mark.django_db


def detail_url(meeting):
    return reverse("meetings:meeting_detail", args=[meeting.pk])


# --- Detail -------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, meeting):
    response = client.get(detail_url(meeting))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_member_sees_meeting_of_own_council(client, cast, meeting):
    make_item(meeting, title="Matchning på arbetsmarknaden")
    client.force_login(cast.member)
    response = client.get(detail_url(meeting))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Matchning på arbetsmarknaden" in content
    assert "Öppnande" in content
    assert "Lägg till punkt" not in content


@pytest.mark.parametrize("status", [Meeting.Status.PLANNED, Meeting.Status.AGENDA_IN_PREPARATION])
def test_member_sees_a_meeting_before_approval_as_a_draft(client, cast, meeting, status):
    meeting.status = status
    meeting.save()
    make_item(meeting, title="Matchning på arbetsmarknaden", is_prepared=False)
    make_item(meeting, title="Kompetensförsörjning", is_prepared=True)
    client.force_login(cast.member)

    content = client.get(detail_url(meeting)).content.decode()

    assert content.count("Utkast – under beredning") == 2  # at the time and on the agenda
    unprepared = content.split("Matchning på arbetsmarknaden", 1)[1].split("</li>", 1)[0]
    assert "Ej beredd" in unprepared
    prepared = content.split("Kompetensförsörjning", 1)[1].split("</li>", 1)[0]
    assert "Ej beredd" not in prepared


@pytest.mark.parametrize(
    "status", [Meeting.Status.AGENDA_APPROVED, Meeting.Status.INVITATIONS_SENT]
)
def test_approved_agenda_is_not_marked_as_a_draft(client, cast, meeting, status):
    meeting.status = status
    meeting.save()
    client.force_login(cast.member)

    content = client.get(detail_url(meeting)).content.decode()

    assert "Utkast – under beredning" not in content


def test_demo_member_sees_the_meeting_in_preparation_as_a_draft(client, demo):
    member = demo["ledamot"]
    meeting = Meeting.objects.filter(
        status=Meeting.Status.AGENDA_IN_PREPARATION,
        council__memberships__person__user=member,
    ).first()
    client.force_login(member)

    content = client.get(detail_url(meeting)).content.decode()

    assert "Utkast – under beredning" in content
    assert "Ej beredd" in content


def test_member_of_other_council_gets_404(client, cast, meeting):
    client.force_login(cast.other_council_member)
    assert client.get(detail_url(meeting)).status_code == 404


def test_rus_group_and_secretariat_see_every_meeting(client, cast, meeting):
    for user in (cast.rus_group, cast.secretariat):
        client.force_login(user)
        response = client.get(detail_url(meeting))
        assert response.status_code == 200
        assert "Lägg till punkt" in response.content.decode()


def test_presenter_sees_only_the_items_they_present(client, cast, meeting):
    make_item(meeting, title="Hemlig punkt")
    make_item(meeting, title="Min punkt", presenter=cast.presenter_person)
    client.force_login(cast.presenter)
    response = client.get(detail_url(meeting))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Min punkt" in content
    assert "Hemlig punkt" not in content
    assert "Öppnande" not in content


def test_user_without_roles_gets_404(client, meeting):
    from tests.factories import make_user

    client.force_login(make_user("nobody"))
    assert client.get(detail_url(meeting)).status_code == 404


# Session, user, person, memberships, meeting, the agenda's state (the fragments' cache key),
# items, goals, dimensions, attachments, versions, plus the review and invitation panels.
# Pinned: it must not grow with the number of items (warm cache: test_meeting_page_cache.py).
DETAIL_QUERIES = None


def count_detail_queries(client, meeting):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(detail_url(meeting)).status_code == 200
    return len(queries)


def test_detail_query_count_does_not_grow_with_items(client, cast, meeting):
    """The meeting page costs the same queries with 3 and with 30 items."""
    client.force_login(cast.secretariat)
    for i in range(3):
        make_item(meeting, title=f"Punkt {i}", presenter=cast.presenter_person)
    small = count_detail_queries(client, meeting)
    for i in range(27):
        make_item(meeting, title=f"Fler {i}", presenter_name="Extern", presenter_email="e@x.se")
    large = count_detail_queries(client, meeting)
    assert large == small
    assert small == 18  # a cold cache: the fragments are rendered


# --- List ---------------------------------------------------------------------------------------


def test_list_shows_upcoming_meetings_of_own_councils(client, cast, meeting):
    other = make_meeting(make_council(), title="Annat råds möte")
    past = make_meeting(meeting.council, days_ahead=-30, title="Förra månadens möte")
    client.force_login(cast.member)
    content = client.get(reverse("meetings:meeting_list")).content.decode()
    assert meeting.title in content
    assert other.title not in content
    assert past.title not in content
    content = client.get(reverse("meetings:meeting_list") + "?nar=tidigare").content.decode()
    assert past.title in content and meeting.title not in content


def test_list_counts_for_a_presenter_only_the_items_they_present(client, cast, meeting):
    """The list must not tell a presenter how long an agenda is that they may not read (R7)."""
    make_item(meeting, title="Hemlig punkt")
    make_item(meeting, title="Min punkt", presenter=cast.presenter_person)
    client.force_login(cast.presenter)
    response = client.get(reverse("meetings:meeting_list"))
    [listed] = response.context["meetings"]
    assert listed.item_count == 1
    client.force_login(cast.member)
    [listed] = client.get(reverse("meetings:meeting_list")).context["meetings"]
    assert listed.item_count == 6  # four standing items and the two above


def test_list_filters_by_council(client, cast, meeting):
    other = make_meeting(make_council(slug="stora"), title="Stora rådets möte")
    client.force_login(cast.secretariat)
    content = client.get(reverse("meetings:meeting_list") + "?rad=stora").content.decode()
    assert other.title in content and meeting.title not in content


def test_list_query_count_is_fixed(client, cast, meeting, django_assert_max_num_queries):
    for _ in range(10):
        make_meeting(meeting.council)
    client.force_login(cast.secretariat)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("meetings:meeting_list")).status_code == 200


def test_list_requires_login(client):
    assert client.get(reverse("meetings:meeting_list")).status_code == 302


# --- Create and edit ----------------------------------------------------------------------------


def working_day(days_ahead=20):
    """A weekday that is no Swedish public holiday, about `days_ahead` days from now."""
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    while day_remark(day) is not None:
        day += datetime.timedelta(days=1)
    return day


def meeting_data(council, **overrides):
    day = working_day()
    data = {
        "council": council.pk,
        "kind": Meeting.Kind.MONTHLY_DIGITAL,
        "title": "Månadsmöte",
        "starts_at": f"{day}T09:00",
        "ends_at": f"{day}T11:00",
        "place": "",
        "video_link": "https://teams.example.org/m/1",
    }
    data.update(overrides)
    return data


def test_secretariat_creates_meeting_with_standing_items(client, cast, meeting):
    client.force_login(cast.secretariat)
    response = client.post(reverse("meetings:meeting_create"), meeting_data(meeting.council))
    assert response.status_code == 302
    created = Meeting.objects.latest("pk")
    assert response.url == detail_url(created)
    assert list(created.items.values_list("standing_key", flat=True)) == [
        "opening",
        "adjuster",
        "agenda",
        "closing",
    ]
    assert timezone.localtime(created.starts_at).hour == 9


def test_create_refuses_end_before_start_and_keeps_input(client, cast, meeting):
    client.force_login(cast.secretariat)
    day = working_day()
    data = meeting_data(meeting.council, ends_at=f"{day}T08:00", title="Behåll mig")
    response = client.post(reverse("meetings:meeting_create"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Mötet måste sluta efter att det börjat." in content
    assert "Behåll mig" in content
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize("role", ["member", "chair", "rus_group"])
def test_others_may_not_create_meetings(client, cast, meeting, role):
    client.force_login(getattr(cast, role))
    assert client.get(reverse("meetings:meeting_create")).status_code == 403
    response = client.post(reverse("meetings:meeting_create"), meeting_data(meeting.council))
    assert response.status_code == 403


def test_secretariat_edits_meeting_and_calendar_sequence_rises(client, cast, meeting):
    client.force_login(cast.secretariat)
    day = timezone.localtime(meeting.starts_at).date()
    data = meeting_data(
        meeting.council, starts_at=f"{day}T10:00", ends_at=f"{day}T12:00", title=meeting.title
    )
    data["version"] = meeting.version  # the version the edit form was built from
    response = client.post(reverse("meetings:meeting_edit", args=[meeting.pk]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at).hour == 10
    assert meeting.calendar_sequence == 1


def test_member_may_not_edit_meeting(client, cast, meeting):
    client.force_login(cast.member)
    assert client.get(reverse("meetings:meeting_edit", args=[meeting.pk])).status_code == 403


def test_other_council_member_gets_404_on_edit(client, cast, meeting):
    client.force_login(cast.other_council_member)
    assert client.get(reverse("meetings:meeting_edit", args=[meeting.pk])).status_code == 404


# --- Weekends and public holidays -----------------------------------------------------------


def midsummer_eve():
    year = timezone.localdate().year + 1
    return next(
        d
        for d in (datetime.date(year, 6, 19) + datetime.timedelta(days=n) for n in range(7))
        if d.weekday() == 4
    )


def test_a_meeting_on_midsummer_eve_is_questioned_and_saved_once_confirmed(client, cast, meeting):
    client.force_login(cast.secretariat)
    day = midsummer_eve()
    data = meeting_data(meeting.council, starts_at=f"{day}T09:00", ends_at=f"{day}T11:00")

    response = client.post(reverse("meetings:meeting_create"), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert f"fredag {day.day} juni {day.year} är midsommarafton." in page
    assert 'name="confirm_day"' in page
    assert Meeting.objects.count() == 1

    response = client.post(reverse("meetings:meeting_create"), {**data, "confirm_day": "on"})
    assert response.status_code == 302
    assert Meeting.objects.count() == 2


def test_a_weekend_meeting_is_questioned_and_an_ordinary_day_is_not(client, cast, meeting):
    client.force_login(cast.secretariat)
    saturday = working_day() + datetime.timedelta(days=7)
    saturday += datetime.timedelta(days=(5 - saturday.weekday()) % 7)
    data = meeting_data(meeting.council, starts_at=f"{saturday}T09:00", ends_at=f"{saturday}T11:00")

    page = client.post(reverse("meetings:meeting_create"), data).content.decode()
    assert "infaller på en helg." in page

    ordinary = client.get(reverse("meetings:meeting_create")).content.decode()
    assert 'name="confirm_day"' not in ordinary


def test_a_strategic_meeting_over_new_years_day_names_the_holiday(client, cast, meeting):
    client.force_login(cast.secretariat)
    year = timezone.localdate().year + 1
    data = meeting_data(
        meeting.council, starts_at=f"{year - 1}-12-31T12:00", ends_at=f"{year}-01-01T12:00"
    )
    page = client.post(reverse("meetings:meeting_create"), data).content.decode()
    assert "är nyårsafton." in page
    assert "är nyårsdagen." in page


def test_editing_a_holiday_meeting_without_moving_it_asks_nothing(client, cast, meeting):
    day = midsummer_eve()
    start = datetime.datetime.combine(day, datetime.time(9), tzinfo=timezone.get_current_timezone())
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    client.force_login(cast.secretariat)
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    data = form_data(client.get(url))
    data["place"] = "Sundsvall"

    assert client.post(url, data).status_code == 302


def test_series_preview_marks_weekends_and_holidays_and_leaves_them_unticked(client, cast, meeting):
    client.force_login(cast.secretariat)
    year = timezone.localdate().year + 1
    first = datetime.date(year, 1, 1)  # New Year's Day, then the 1st of every month
    data = series_data(meeting.council, first, count="12")

    response = client.post(reverse("meetings:meeting_series"), {**data, "preview": "1"})

    form = response.context["form"]
    labels = dict(form.fields["dates"].choices)
    assert labels[first.isoformat()].endswith("– nyårsdagen")
    assert labels[f"{year}-05-01"].endswith("– första maj")
    ticked = set(form["dates"].value())
    for day in form.proposed_dates:
        questioned = day.weekday() >= 5 or day in (first, datetime.date(year, 5, 1))
        assert (day.isoformat() in ticked) is not questioned
        assert (
            labels[day.isoformat()].endswith(("– helg", "– nyårsdagen", "– första maj"))
            is questioned
        )
    page = response.content.decode()
    assert "infaller på en helg eller helgdag" in page


# --- Series (R4) --------------------------------------------------------------------------------


def series_data(council, first_date, **overrides):
    data = {
        "council": council.pk,
        "kind": Meeting.Kind.MONTHLY_DIGITAL,
        "title": "Månadsmöte",
        "first_date": first_date.isoformat(),
        "start_time": "09:00",
        "end_time": "11:00",
        "pattern": "date",
        "interval_months": "1",
        "count": "6",
        "until": "",
        "place": "",
        "video_link": "",
    }
    data.update(overrides)
    return data


def test_series_preview_lists_dates_then_creates_the_chosen_ones(client, cast, meeting):
    client.force_login(cast.secretariat)
    first = datetime.date(timezone.localdate().year + 1, 1, 15)
    url = reverse("meetings:meeting_series")
    response = client.post(url, {**series_data(meeting.council, first), "preview": "1"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "15 januari" in content and "15 juni" in content
    chosen = [
        datetime.date(first.year, month, 15).isoformat() for month in (1, 2, 4, 5, 6)
    ]  # March skipped
    data = {**series_data(meeting.council, first), "create": "1", "dates": chosen}
    response = client.post(url, data)
    assert response.status_code == 302
    created = Meeting.objects.exclude(pk=meeting.pk).order_by("starts_at")
    assert [m.starts_at.date().month for m in created] == [1, 2, 4, 5, 6]
    assert len({m.series for m in created}) == 1
    assert all(m.items.count() == 4 for m in created)


def test_series_with_end_date(client, cast, meeting):
    client.force_login(cast.secretariat)
    first = datetime.date(timezone.localdate().year + 1, 1, 31)
    data = series_data(meeting.council, first, count="", until=f"{first.year}-04-30")
    response = client.post(reverse("meetings:meeting_series"), {**data, "preview": "1"})
    content = response.content.decode()
    # 31 February does not exist: the last day of the month instead.
    assert "28 februari" in content or "29 februari" in content
    assert "30 april" in content


def test_series_on_the_same_weekday_of_the_month(client, cast, meeting):
    """R4: "the second Thursday of every month" rather than a fixed date."""
    client.force_login(cast.secretariat)
    year = timezone.localdate().year + 1
    first = datetime.date(year, 1, 1)
    first += datetime.timedelta(days=(3 - first.weekday()) % 7 + 7)  # second Thursday
    data = series_data(meeting.council, first, pattern="weekday", count="4")
    client.post(reverse("meetings:meeting_series"), {**data, "create": "1", "dates": []})
    response = client.post(reverse("meetings:meeting_series"), {**data, "preview": "1"})
    labels = [str(label) for _, label in response.context["form"].fields["dates"].choices]
    assert len(labels) == 4 and all(label.startswith("torsdag") for label in labels)
    days = [d.day for d in response.context["form"].proposed_dates]
    assert all(8 <= day <= 14 for day in days)


def test_series_needs_at_least_one_date(client, cast, meeting):
    client.force_login(cast.secretariat)
    first = datetime.date(timezone.localdate().year + 1, 1, 15)
    data = {**series_data(meeting.council, first), "create": "1"}
    response = client.post(reverse("meetings:meeting_series"), data)
    assert "Välj minst ett datum." in response.content.decode()
    assert Meeting.objects.count() == 1


def test_series_refuses_without_count_or_end(client, cast, meeting):
    client.force_login(cast.secretariat)
    first = datetime.date(timezone.localdate().year + 1, 1, 15)
    data = series_data(meeting.council, first, count="", until="")
    response = client.post(reverse("meetings:meeting_series"), {**data, "preview": "1"})
    assert "Ange antal möten eller ett slutdatum." in response.content.decode()


def test_member_may_not_plan_series(client, cast):
    client.force_login(cast.member)
    assert client.get(reverse("meetings:meeting_series")).status_code == 403


# --- Status life cycle --------------------------------------------------------------------------


def test_status_transitions_follow_the_life_cycle(meeting):
    meeting.start_agenda_preparation()
    assert meeting.status == Meeting.Status.AGENDA_IN_PREPARATION
    meeting.approve_agenda(None)
    assert meeting.agenda_is_locked and meeting.agenda_approved_at
    meeting.mark_invitations_sent()
    meeting.mark_held(now=meeting.starts_at)
    from meetings.models.meeting import InvalidTransition

    with pytest.raises(InvalidTransition):
        meeting.cancel()


def test_secretariat_cancels_and_reinstates(client, cast, meeting):
    client.force_login(cast.secretariat)
    url = reverse("meetings:meeting_status", args=[meeting.pk])
    assert client.post(url, {"action": "cancel"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    client.post(url, {"action": "reinstate"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_member_may_not_change_status(client, cast, meeting):
    client.force_login(cast.member)
    url = reverse("meetings:meeting_status", args=[meeting.pk])
    assert client.post(url, {"action": "cancel"}).status_code == 403


def test_invalid_transition_is_explained(client, cast, meeting):
    client.force_login(cast.secretariat)
    url = reverse("meetings:meeting_status", args=[meeting.pk])
    response = client.post(url, {"action": "held"}, follow=True)
    assert "kan inte gå från" in response.content.decode()


# --- Start page ---------------------------------------------------------------------------------


def test_start_page_lists_upcoming_meetings_for_the_user(client, cast, meeting):
    hidden = make_meeting(make_council(), title="Inte mitt möte")
    client.force_login(cast.member)
    content = client.get(reverse("home")).content.decode()
    assert meeting.title in content
    assert hidden.title not in content


def test_chair_of_own_council_is_member_too(cast, meeting):
    assert Membership.objects.filter(council=meeting.council, role="chair").exists()
    assert AgendaItem.objects.filter(meeting=meeting).count() == 4


def test_start_page_for_user_with_role_in_other_council(client, meeting):
    user = make_member_user(make_council())
    client.force_login(user)
    assert meeting.title not in client.get(reverse("home")).content.decode()


def test_htmx_get_returns_only_the_agenda(client, cast, meeting):
    client.force_login(cast.member)
    response = client.get(detail_url(meeting), headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="agenda"')
    assert "<html" not in content


@pytest.mark.parametrize(
    "url_name", ["admin:meetings_meeting_changelist", "admin:meetings_agendaitem_changelist"]
)
def test_admin_lists_open_for_superuser(client, meeting, url_name):

    make_item(meeting)
    admin = make_admin_user("root")
    client.force_login(admin)
    assert client.get(reverse(url_name)).status_code == 200
    change = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    assert client.get(change).status_code == 200


def test_meeting_added_in_admin_gets_standing_items(client, meeting):

    admin = make_admin_user("root2")
    client.force_login(admin)
    day = timezone.localdate() + datetime.timedelta(days=30)
    data = {
        "council": meeting.council.pk,
        "kind": Meeting.Kind.MONTHLY_DIGITAL,
        "title": "Från admin",
        "starts_at_0": day.isoformat(),
        "starts_at_1": "09:00",
        "ends_at_0": day.isoformat(),
        "ends_at_1": "10:00",
        "place": "",
        "video_link": "",
        "status": Meeting.Status.PLANNED,
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:meetings_meeting_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Meeting.objects.get(title="Från admin").items.count() == 4
