"""Reminders of pending formal decisions (R10): due N days after the position (per council),
then every 30 days, at most three times; one mail per person and round, each sent once; the
secretariat's start page lists overdue rows."""

import datetime

import pytest
from django.urls import reverse

from followups import reminders, services
from followups.models import FollowUp, ReminderRecipient
from followups.tasks import send_followup_reminders
from rus.models import OutgoingMail

pytestmark = pytest.mark.django_db


def days_after(position, n):
    return FollowUp.objects.filter(entry=position).first().position_date + datetime.timedelta(
        days=n
    )


def reminder_mails():
    return OutgoingMail.objects.filter(template="followup_reminder")


def mails_to(address):
    return reminder_mails().filter(to__contains=[address])


def emails(world, *memberships):
    for n, membership in enumerate(memberships):
        person = membership.person
        person.email = f"person{n}@example.org"
        person.save()
    return [m.person.email for m in memberships]


def test_nothing_is_due_before_the_councils_days(world, position):
    assert reminders.queue_reminders(today=days_after(position, 29)) == 0
    assert not reminder_mails().exists()


def test_each_member_of_each_organisation_gets_one_mail_listing_the_pending_rows(world, position):
    member, opposition, region = emails(world, world.member, world.opposition, world.region_member)
    queued = reminders.queue_reminders(today=days_after(position, 30))
    # Sundsvall: the member, the opposition member and the substitute (no address: no mail);
    # the region: the chair and the region member.
    assert mails_to(member).count() == 1
    assert mails_to(opposition).count() == 1
    assert mails_to(region).count() == 1
    assert queued == reminder_mails().count()
    mail = mails_to(member).get()
    assert mail.template == "followup_reminder"
    assert mail.context["organisation"] == "Sundsvalls kommun"
    assert [row["title"] for row in mail.context["rows"]] == [position.title]
    assert "Sundsvalls kommun" in mail.subject
    assert ReminderRecipient.objects.filter(round__organisation=world.sundsvall).count() == 3


def test_a_second_run_the_same_day_sends_nothing(world, position):
    emails(world, world.member)
    today = days_after(position, 30)
    reminders.queue_reminders(today=today)
    count = reminder_mails().count()
    assert send_followup_reminders.apply().get() == 0  # the beat task, today: not due yet
    assert reminders.queue_reminders(today=today) == 0
    assert reminder_mails().count() == count


def test_then_every_30_days_at_most_three_times(world, position):
    (member,) = emails(world, world.member)
    sent_on = []
    for day in range(30, 200):
        if reminders.queue_reminders(today=days_after(position, day)):
            sent_on.append(day)
    assert sent_on == [30, 60, 90]
    assert mails_to(member).count() == 3
    assert set(FollowUp.objects.values_list("reminders_sent", flat=True)) == {3}


def test_the_days_are_configurable_per_council(world, position):
    world.council.followup_reminder_days = 10
    world.council.save()
    emails(world, world.member)
    assert reminders.queue_reminders(today=days_after(position, 10)) > 0


def test_a_decided_row_is_not_reminded_and_a_reminder_keeps_open_forms_valid(world, position):
    emails(world, world.member, world.region_member)
    sundsvall = FollowUp.objects.get(entry=position, organisation=world.sundsvall)
    services.update_followup(
        followup=sundsvall,
        user=None,
        version=1,
        state="decided",
        decision_date=days_after(position, 0),
    )
    reminders.queue_reminders(today=days_after(position, 30))
    assert not mails_to("person0@example.org").exists()
    region = FollowUp.objects.get(entry=position, organisation=world.region)
    assert (region.reminders_sent, region.version) == (1, 1)
    assert region.history.count() == 1


def test_the_secretariat_sees_overdue_rows_on_the_start_page(client, world, position):
    FollowUp.objects.update(position_date=days_after(position, -31))
    client.force_login(world.secretariat)
    html = client.get(reverse("home")).content.decode()
    assert "Formella beslut som dröjer" in html
    assert "Sundsvalls kommun: § " in html
    client.force_login(world.member.person.user)
    assert "Formella beslut som dröjer" not in client.get(reverse("home")).content.decode()
