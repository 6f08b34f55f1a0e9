"""An adjusted protocol is final (R8): every path that could change it is refused — the models,
the services, the views, the admin, a `QuerySet.update()` and raw SQL (the PostgreSQL trigger
of migration 0004). A correction is the only way on."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from protocols import canonical, services
from protocols.models import (
    Attendance,
    Dissent,
    HomeDecision,
    JusteringEvent,
    Protocol,
    ProtocolEntry,
    ProtocolLocked,
    Signatory,
    WithdrawnDissent,
)
from tests.factories import make_user
from tests.protocols.support import expect_dissent, ready_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def adjusted(world):
    """An adjusted protocol with a row of every kind: a dissent, an expected dissent not raised,
    formal decisions at home."""
    protocol = ready_draft(world)
    entry = protocol.entries.get(agenda_item=world.position)
    services.record_dissent(
        entry=entry,
        user=world.secretariat,
        attendance=protocol.attendance.get(membership=world.opposition),
        text="Vi delar inte skrivningen.",
    )
    services.withdraw_expected_dissent(
        entry=entry, user=world.secretariat, review=expect_dissent(world.position, world.region)
    )
    services.send_for_adjustment(protocol=protocol, user=world.secretariat)
    seen = canonical.checksum(protocol)
    for membership in (world.member, world.chair):
        services.approve(protocol=protocol, user=membership.person.user, checksum=seen)
    protocol.refresh_from_db()
    assert protocol.is_adjusted
    return protocol


def rows_of(protocol):
    """One row of every model that is part of the protocol."""
    return [
        protocol,
        protocol.entries.first(),
        protocol.attendance.first(),
        Dissent.objects.filter(entry__protocol=protocol).first(),
        WithdrawnDissent.objects.filter(entry__protocol=protocol).first(),
        HomeDecision.objects.filter(entry__protocol=protocol).first(),
        protocol.signatories.first(),
    ]


def test_every_row_refuses_save_and_delete_in_the_model(adjusted):
    for row in rows_of(adjusted):
        assert row is not None
        with pytest.raises(ProtocolLocked):
            row.save()
        with pytest.raises(ProtocolLocked):
            row.delete()


def test_the_log_is_append_only(adjusted):
    event = adjusted.justering_events.first()
    with pytest.raises(Exception, match="ändras inte"):
        event.save()
    with pytest.raises(ProtocolLocked):
        JusteringEvent.objects.create(protocol=adjusted, kind=JusteringEvent.Kind.CHANGED)


def test_queryset_update_and_delete_are_refused_by_the_model(adjusted):
    for model, lookup in [
        (ProtocolEntry, {"protocol": adjusted}),
        (Attendance, {"protocol": adjusted}),
        (Dissent, {"entry__protocol": adjusted}),
        (HomeDecision, {"entry__protocol": adjusted}),
        (Signatory, {"protocol": adjusted}),
    ]:
        with pytest.raises(ProtocolLocked):
            model.objects.filter(**lookup).update(pk=models_pk(model, lookup))
        with pytest.raises(ProtocolLocked):
            model.objects.filter(**lookup).delete()


def models_pk(model, lookup):
    return model.objects.filter(**lookup).values_list("pk", flat=True).first()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE protocols_protocol SET status = 'draft' WHERE id = %(protocol)s",
        "DELETE FROM protocols_protocol WHERE id = %(protocol)s",
        "UPDATE protocols_protocolentry SET minutes = 'x' WHERE protocol_id = %(protocol)s",
        "DELETE FROM protocols_protocolentry WHERE protocol_id = %(protocol)s",
        "UPDATE protocols_attendance SET present = NOT present WHERE protocol_id = %(protocol)s",
        "DELETE FROM protocols_attendance WHERE protocol_id = %(protocol)s",
        "UPDATE protocols_dissent SET text = 'x' WHERE entry_id IN "
        "(SELECT id FROM protocols_protocolentry WHERE protocol_id = %(protocol)s)",
        "DELETE FROM protocols_withdrawndissent WHERE entry_id IN "
        "(SELECT id FROM protocols_protocolentry WHERE protocol_id = %(protocol)s)",
        "UPDATE protocols_homedecision SET expected = 'yes' WHERE entry_id IN "
        "(SELECT id FROM protocols_protocolentry WHERE protocol_id = %(protocol)s)",
        "UPDATE protocols_signatory SET checksum = 'x' WHERE protocol_id = %(protocol)s",
        "DELETE FROM protocols_justeringevent WHERE protocol_id = %(protocol)s",
        "INSERT INTO protocols_attendance (protocol_id, name, organisation_name, "
        "organisation_has_elected_seats, capacity, side, function, substitute_for_name, present, "
        "unannounced, is_adjuster) VALUES (%(protocol)s, 'Ny', '', false, 'other', "
        "'not_applicable', '', '', true, false, false)",
    ],
)
def test_the_database_refuses_raw_writes(adjusted, sql):
    assert connection.vendor == "postgresql"
    with (
        pytest.raises(IntegrityError, match="justerat"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql % {"protocol": adjusted.pk})


def test_the_database_refuses_a_bulk_update_that_skips_the_model(adjusted):
    # The base manager skips the model's QuerySet refusal; the trigger still holds.
    with pytest.raises(IntegrityError), transaction.atomic():
        ProtocolEntry._base_manager.filter(protocol=adjusted).update(minutes="x")
    assert not ProtocolEntry.objects.filter(protocol=adjusted, minutes="x").exists()


def test_deleting_a_person_clears_the_link_and_keeps_the_name(adjusted, world):
    person = world.opposition.person
    name = adjusted.attendance.get(person=person).name
    world.opposition.delete()
    person.delete()
    assert adjusted.attendance.filter(name=name, person__isnull=True).exists()


def test_the_services_refuse(adjusted, world):
    entry = adjusted.entries.get(agenda_item=world.position)
    with pytest.raises(ProtocolLocked):
        services.save_entry(
            entry=entry,
            user=world.secretariat,
            version=entry.version,
            minutes="Ändrat.",
            outcome=entry.outcome,
            outcome_text=entry.outcome_text,
        )
    with pytest.raises(ProtocolLocked):
        services.strike_entry(entry=entry, user=world.secretariat, reason="Utgår.")
    row = adjusted.attendance.first()
    with pytest.raises(ProtocolLocked):
        services.update_attendance(
            attendance=row, user=world.secretariat, present=False, capacity=row.capacity
        )
    with pytest.raises(ProtocolLocked):
        services.add_entry(
            protocol=adjusted, user=world.secretariat, title="Ny", kind="information"
        )
    entry.refresh_from_db()
    assert entry.minutes == "Rådet diskuterade."


def test_the_forms_refuse(adjusted, world):
    from protocols.forms import EntryForm

    entry = adjusted.entries.get(agenda_item=world.position)
    prefix = f"entry-{entry.pk}"
    form = EntryForm(
        {
            f"{prefix}-version": entry.version,
            f"{prefix}-minutes": "Ändrat i formuläret.",
            f"{prefix}-outcome": entry.outcome,
            f"{prefix}-outcome_text": entry.outcome_text,
        },
        instance=entry,
    )
    assert form.is_valid()
    with pytest.raises(ProtocolLocked):
        form.save()
    entry.refresh_from_db()
    assert entry.minutes == "Rådet diskuterade."


def test_the_views_refuse(client, adjusted, world):
    client.force_login(world.secretariat)
    entry = adjusted.entries.get(agenda_item=world.position)
    pk = world.meeting.pk
    assert client.get(reverse("protocols:minutes", args=[pk])).status_code == 403
    response = client.post(
        reverse("protocols:entry_save", args=[pk, entry.pk]),
        {
            f"entry-{entry.pk}-version": entry.version,
            f"entry-{entry.pk}-minutes": "Ändrat.",
            f"entry-{entry.pk}-outcome": entry.outcome,
            f"entry-{entry.pk}-outcome_text": entry.outcome_text,
        },
    )
    assert response.status_code == 403
    assert client.get(reverse("protocols:attendance", args=[pk])).status_code == 403
    entry.refresh_from_db()
    assert entry.minutes == "Rådet diskuterade."


def test_the_admin_is_read_only(client, adjusted, world):
    admin = make_user("superadmin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    entry = adjusted.entries.get(agenda_item=world.position)
    change = reverse("admin:protocols_protocolentry_change", args=[entry.pk])
    page = client.get(change)
    assert page.status_code == 200 and b'type="submit"' not in page.content.split(b"<form")[-1]
    client.post(change, {"minutes": "Ändrat i admin."})
    delete = reverse("admin:protocols_protocol_delete", args=[adjusted.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.minutes == "Rådet diskuterade."
    assert Protocol.objects.filter(pk=adjusted.pk, status=Protocol.Status.ADJUSTED).exists()


def test_a_draft_is_still_written_freely(world):
    protocol = services.open_protocol(meeting=world.meeting, user=world.secretariat)
    assert ProtocolEntry.objects.filter(protocol=protocol).update(minutes="Utkast.") > 0
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE protocols_protocolentry SET minutes = 'SQL' WHERE protocol_id = %s",
            [protocol.pk],
        )
    assert set(protocol.entries.values_list("minutes", flat=True)) == {"SQL"}
