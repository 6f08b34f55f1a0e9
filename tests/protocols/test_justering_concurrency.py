"""Justering under concurrency (R8): the last approval and a change to the draft at the same
moment. Whichever gets the protocol's lock first, an adjusted protocol's content is exactly
what its signatories approved: either the change is in and the approval of the older content
is refused, or the protocol is adjusted and the change rolled back."""

import threading

import pytest
from django.db import connection, connections

from protocols import canonical, services
from protocols.models import Protocol, ProtocolEntry
from tests.protocols.support import sent_protocol, setting


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_the_last_approval_and_a_change_never_leave_an_adjusted_protocol_unapproved(attempt):
    world = setting()
    protocol = sent_protocol(world)
    seen = canonical.checksum(protocol)
    services.approve(protocol=protocol, user=world.member.person.user, checksum=seen)
    entry = protocol.entries.get(agenda_item=world.position)
    barrier = threading.Barrier(2)
    outcomes = {}

    def change():
        try:
            barrier.wait()
            services.save_entry(
                entry=entry,
                user=world.secretariat,
                version=entry.version,
                minutes="Ändrad i sista stund.",
                outcome=entry.outcome,
                outcome_text=entry.outcome_text,
            )
            outcomes["change"] = "saved"
        except Exception as error:  # the refusal is the outcome under test
            outcomes["change"] = type(error).__name__
        finally:
            connections.close_all()

    def approve():
        try:
            barrier.wait()
            services.approve(protocol=protocol, user=world.chair.person.user, checksum=seen)
            outcomes["approve"] = "approved"
        except Exception as error:
            outcomes["approve"] = type(error).__name__
        finally:
            connections.close_all()

    threads = [threading.Thread(target=change), threading.Thread(target=approve)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    protocol = Protocol.objects.get(pk=protocol.pk)
    minutes = ProtocolEntry.objects.get(pk=entry.pk).minutes
    if protocol.is_adjusted:
        assert outcomes == {"approve": "approved", "change": "ProtocolLocked"}
        assert minutes == "Rådet diskuterade."
        assert protocol.checksum == canonical.checksum(protocol) == seen
    else:
        assert outcomes == {"change": "saved", "approve": "ValidationError"}
        assert minutes == "Ändrad i sista stund."
        assert not protocol.signatories.filter(approved_at__isnull=False).exists()
