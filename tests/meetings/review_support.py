"""Data helpers for the proposal and review tests (no tests here); users in their roles come
from tests/factories.py."""

import itertools

from meetings.models import AgendaItem, ItemProposal
from rus.models import Strategy, TargetArea
from tests.meetings.factories import make_item

_counter = itertools.count(1)


def make_target_area(title=None):
    strategy = Strategy.objects.first() or Strategy.objects.create(
        name="RUS", start_year=2020, end_year=2030
    )
    return TargetArea.objects.create(
        strategy=strategy, title=title or f"Målområde {next(_counter)}"
    )


def make_proposal(user, *, title=None, status=ItemProposal.Status.SUBMITTED, **fields):
    """A proposal by `user` for the first organisation they represent."""
    person = user.person
    organisation = person.memberships.first().organisation
    fields.setdefault("target_area", make_target_area())
    fields.setdefault("background", "Bakgrund till förslaget.")
    if status == ItemProposal.Status.DECLINED:
        fields.setdefault("decision_reason", "Inte aktuellt.")
    return ItemProposal.objects.create(
        organisation=organisation,
        proposer=person,
        title=title or f"Förslag {next(_counter)}",
        status=status,
        **fields,
    )


def make_position_item(meeting, **fields):
    fields.setdefault("target_area", make_target_area())
    fields.setdefault("background", "Bakgrund.")
    return make_item(meeting, kind=AgendaItem.Kind.POSITION, **fields)
