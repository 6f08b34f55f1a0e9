"""The protocol of a held meeting (R8, R10, R11): attendance, one entry per §, outcomes and
dissents.

A protocol keeps what it records even when the registers change later: names, organisations,
sides and capacities are stored on its rows as they were at the meeting, so editing or deleting
a person never rewrites a protocol. The protocol's state lives here, in one place.

Paragraphs (§) run per council through the calendar year (Swedish practice): `ProtocolEntry`
carries its council and year so that the database holds the numbers unique, and
`ParagraphCounter` is the row locked while numbers are handed out (protocols/numbering.py).
"""

from .attendance import Attendance
from .entries import Dissent, HomeDecision, ProtocolEntry, WithdrawnDissent
from .justering import JusteringComment, JusteringEvent, JusteringEventQuerySet, Signatory
from .protocol import (
    ParagraphCounter,
    PartOfProtocol,
    Protocol,
    ProtocolLocked,
    ProtocolPartQuerySet,
    ProtocolQuerySet,
)

__all__ = [
    "Attendance",
    "Dissent",
    "HomeDecision",
    "JusteringComment",
    "JusteringEvent",
    "JusteringEventQuerySet",
    "ParagraphCounter",
    "PartOfProtocol",
    "Protocol",
    "ProtocolEntry",
    "ProtocolLocked",
    "ProtocolPartQuerySet",
    "ProtocolQuerySet",
    "Signatory",
    "WithdrawnDissent",
]
