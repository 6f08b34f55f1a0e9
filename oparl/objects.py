"""The OParl 1.1 objects (https://schema.oparl.org/1.1/): each function takes a row from
`oparl.selectors` and returns the JSON object, naming every field it outputs — nothing reaches
a response by accident (no e-mail, no phone, no background text or questions of an item).

Body: the standard's Body is a Körperschaft, a public corporation with its own council
information system. Region Västernorrland hosts both cooperation councils on one system and is
their one Körperschaft; the councils are its Gremien. So there is one Body, and each council is
an Organization (`organizationType` "Gremium") within it, as a German Kreis publishes its
Kreistag and committees; the member organisations (municipalities, the region, agencies…) are
Organizations of type "Institution", on whose behalf members sit (`Membership.onBehalfOf`).

Embedded versus referenced objects follow the standard: a Meeting embeds its Location, its
AgendaItems and its protocol Files; a Person embeds its Memberships; a Paper embeds its
Consultations; the Body embeds its LegislativeTerms. Everything else is a URL.

Texts are the record's own (Swedish), whatever the visitor's language.
"""

from django.urls import reverse
from django.utils import timezone

from councils.models import Council, Membership, Organisation
from meetings.models import Meeting
from protocols.models import ProtocolEntry

OPARL_VERSION = "https://schema.oparl.org/1.1/"
BODY_KEY = "rvn"
BODY_NAME = "Region Västernorrland – regionala samverkansråd"
BODY_SHORT_NAME = "Region Västernorrland"

RESULTS = {
    ProtocolEntry.Outcome.CONSENSUS: "Ställningstagande i konsensus",
    ProtocolEntry.Outcome.NO_CONSENSUS: "Ingen konsensus – inget ställningstagande",
    ProtocolEntry.Outcome.NOTED: "Informationen noteras",
    ProtocolEntry.Outcome.ADJUSTERS_ELECTED: "Justerare valda",
    ProtocolEntry.Outcome.AGENDA_APPROVED: "Dagordningen godkänd",
    ProtocolEntry.Outcome.PROCEDURAL: "Formalia",
    ProtocolEntry.Outcome.NONE: "",
}

ROLES = {
    Membership.Role.CHAIR: "Ordförande",
    Membership.Role.VICE_CHAIR: "Vice ordförande",
    Membership.Role.MEMBER: "Ledamot",
    Membership.Role.SUBSTITUTE: "Ersättare",
    Membership.Role.ADJUNCT: "Adjungerad",
    Membership.Role.SPEAKING_RIGHT: "Tjänsteperson med yttranderätt",
    Membership.Role.SECRETARY: "Sekreterare",
    Membership.Role.PREPARATION: "Strategiska RUS-gruppen",
}

COUNCIL_KINDS = {
    Council.Kind.REGIONAL: "Regionalt samverkansråd",
    Council.Kind.BROAD: "Stort samverkansråd",
    Council.Kind.PREPARATION: "Beredningsgrupp",
}


def schema(name):
    return f"{OPARL_VERSION}{name}"


def moment(value):
    """An OParl date-time: ISO 8601 with the offset, in Swedish time."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def day(value):
    return value.isoformat() if value else None


class Links:
    """Absolute URLs of the interface (an object's `id` is its own URL)."""

    def __init__(self, request):
        self.request = request

    def url(self, name, *args):
        return self.request.build_absolute_uri(reverse(f"oparl:{name}", args=args))

    def system(self):
        return self.url("system")

    def body(self):
        return self.url("body", BODY_KEY)

    def list(self, kind):
        return self.url("list", BODY_KEY, kind)

    def object(self, kind, key):
        return self.url("object", kind, key)

    def web(self, name, *args):
        return self.request.build_absolute_uri(reverse(name, args=args))


def _base(links, kind, type_name, key, row):
    data = {"id": links.object(kind, key), "type": schema(type_name)}
    data["created"] = moment(row.oparl_created)
    data["modified"] = moment(row.oparl_modified)
    data["deleted"] = bool(row.oparl_deleted)
    return data


def deleted_stub(links, kind, type_name, key, row):
    """What stays of a replaced object: its id, type, times and `deleted: true`."""
    return _base(links, kind, type_name, key, row)


def _clean(data):
    """Leave out what the record does not hold (the standard: omit rather than empty)."""
    return {k: v for k, v in data.items() if v not in (None, "", [])}


# --- System and Body -----------------------------------------------------------------------------


def system(links, *, changed):
    return _clean(
        {
            "id": links.system(),
            "type": schema("System"),
            "oparlVersion": OPARL_VERSION,
            "body": links.url("body_list"),
            "name": "Samverkan – Region Västernorrlands samverkansråd",
            "contactName": "Region Västernorrland, kansliet för samverkansråden",
            "website": links.web("archive:index"),
            "product": links.web("oparl:about"),
            "web": links.web("oparl:about"),
            "modified": moment(changed),
            "deleted": False,
        }
    )


def body(links, *, terms, created, changed):
    return _clean(
        {
            "id": links.body(),
            "type": schema("Body"),
            "system": links.system(),
            "shortName": BODY_SHORT_NAME,
            "name": BODY_NAME,
            "website": links.web("archive:index"),
            "classification": "Region",
            "contactName": "Region Västernorrland, kansliet för samverkansråden",
            "organization": links.list("organization"),
            "person": links.list("person"),
            "meeting": links.list("meeting"),
            "paper": links.list("paper"),
            "agendaItem": links.list("agenda-item"),
            "consultation": links.list("consultation"),
            "file": links.list("file"),
            "membership": links.list("membership"),
            "locationList": links.list("location"),
            "legislativeTermList": links.list("legislative-term"),
            "legislativeTerm": [legislative_term(links, row, embedded=True) for row in terms],
            "web": links.web("archive:index"),
            "created": moment(created),
            "modified": moment(changed),
            "deleted": False,
        }
    )


def legislative_term(links, row, *, embedded=False):
    term = row.obj
    if row.key.startswith("strategy-"):
        name = f"{term.name} {term.start_year}–{term.end_year}"
        start, end = f"{term.start_year}-01-01", f"{term.end_year}-12-31"
    else:
        name = f"{term.title} {term.year}"
        start, end = f"{term.year}-01-01", f"{term.year}-12-31"
    data = _base(links, "legislative-term", "LegislativeTerm", row.key, row)
    data.update({"name": name, "startDate": start, "endDate": end})
    if not embedded:
        data["body"] = links.body()
    return _clean(data)


# --- Organizations, people, memberships ----------------------------------------------------------


def organization(links, row):
    data = _base(links, "organization", "Organization", row.key, row)
    data["body"] = links.body()
    data["membership"] = [links.object("membership", pk) for pk in row.related]
    if isinstance(row.obj, Council):
        council = row.obj
        data.update(
            {
                "name": council.name,
                "organizationType": "Gremium",
                "classification": COUNCIL_KINDS.get(council.kind, council.kind),
                "web": links.web("archive:council", council.slug)
                if council.publishes_protocols
                else None,
            }
        )
    else:
        organisation = row.obj
        data.update(
            {
                "name": organisation.name,
                "shortName": organisation.short_name,
                "organizationType": "Institution",
                "classification": str(Organisation.Kind(organisation.kind).label)
                if organisation.kind in Organisation.Kind.values
                else organisation.kind,
                "website": organisation.website,
            }
        )
    return _clean(data)


def council_key(council_id):
    return f"council-{council_id}"


def organisation_key(organisation_id):
    return f"organisation-{organisation_id}"


def person(links, row):
    data = _base(links, "person", "Person", row.pk, row)
    data.update(
        {
            "body": links.body(),
            "name": f"{row.given_name} {row.family_name}".strip(),
            "familyName": row.family_name,
            "givenName": row.given_name,
            # The function (befattning) the register holds, e.g. "kommunstyrelsens ordförande".
            "status": [row.title] if row.title else [],
            "membership": [
                membership(links, seat, embedded=True) for seat in row.public_memberships
            ],
        }
    )
    return _clean(data)


def membership(links, row, *, embedded=False):
    data = _base(links, "membership", "Membership", row.pk, row)
    data.update(
        {
            "organization": links.object("organization", council_key(row.council_id)),
            "role": ROLES.get(row.role, row.role),
            # Only those who take part in the council's consensus positions (R2, R10).
            "votingRight": row.role in Membership.POSITION_ROLES,
            "onBehalfOf": links.object("organization", organisation_key(row.organisation_id))
            if row.organisation_id
            else None,
            "startDate": day(row.start_date),
            "endDate": day(row.end_date),
        }
    )
    if not embedded:
        data["person"] = links.object("person", row.person_id)
    data = _clean(data)
    data["votingRight"] = row.role in Membership.POSITION_ROLES  # false is a value, kept
    return data


# --- Meetings, agenda items, papers, consultations, files ----------------------------------------


def location_object(links, key, place, *, meetings=(), row=None, embedded=False):
    data = {"id": links.object("location", key), "type": schema("Location")}
    if row is not None:
        data.update(
            {
                "created": moment(row.oparl_created),
                "modified": moment(row.oparl_modified),
                "deleted": False,
            }
        )
    data["description"] = place
    if not embedded:
        data["meeting"] = [links.object("meeting", pk) for pk in meetings]
    return _clean(data)


MEETING_STATES = {
    Meeting.Status.INVITATIONS_SENT: "kallelse skickad",
    Meeting.Status.HELD: "genomfört",
    Meeting.Status.MINUTES_DRAFTED: "genomfört, protokollet justeras",
    Meeting.Status.MINUTES_ADJUSTED: "genomfört, protokollet justerat",
    Meeting.Status.PUBLISHED: "genomfört",
    Meeting.Status.CANCELLED: "inställt",
}


def meeting(links, row, *, location_key):
    """A meeting with a public protocol, or an announced one of a council that publishes its
    schedule: then its time, place and state only."""
    protocol = row.current_protocol
    participants = []
    if protocol is not None:
        participants = sorted({a.person_id for a in protocol.attendance.all()})
    data = _base(links, "meeting", "Meeting", row.pk, row)
    data.update(
        {
            "name": row.title,
            "meetingState": "genomfört"
            if protocol is not None
            else MEETING_STATES.get(row.status, "planerat"),
            "start": moment(row.starts_at),
            "end": moment(row.ends_at),
            "location": location_object(links, location_key(row.place), row.place, embedded=True)
            if row.place
            else None,
            "organization": [links.object("organization", council_key(row.council_id))],
            "participant": [links.object("person", pk) for pk in participants],
            "resultsProtocol": file_object(links, protocol.pdf, protocol, embedded=True)
            if protocol is not None and protocol.pdf is not None
            else None,
            "auxiliaryFile": [
                file_object(links, earlier.pdf, earlier, embedded=True)
                for earlier in row.earlier_protocols
                if earlier.pdf is not None
            ],
            "agendaItem": [
                agenda_item(links, entry, protocol=protocol, embedded=True)
                for entry in (protocol.entries.all() if protocol is not None else [])
            ],
            "web": links.web("archive:protocol", protocol.pk) if protocol is not None else None,
        }
    )
    data = _clean(data)
    data["cancelled"] = protocol is None and row.status == Meeting.Status.CANCELLED
    return data


def _reference(entry, protocol):
    return f"{protocol.council.name} {protocol.year} § {entry.number}"


def agenda_item(links, entry, *, protocol=None, embedded=False):
    """One § of a published protocol. For an embedded item the row comes without the
    annotations: its times are its protocol's adjustment."""
    protocol = protocol or entry.protocol
    if not hasattr(entry, "oparl_created"):
        entry.oparl_created = entry.oparl_modified = protocol.adjusted_at
        entry.oparl_deleted = False
    if entry.oparl_deleted:
        return deleted_stub(links, "agenda-item", "AgendaItem", entry.pk, entry)
    data = _base(links, "agenda-item", "AgendaItem", entry.pk, entry)
    is_position = entry.outcome == ProtocolEntry.Outcome.CONSENSUS and not entry.struck
    data.update(
        {
            "meeting": None if embedded else links.object("meeting", protocol.meeting_id),
            "number": f"§ {entry.number}",
            "order": entry.number,
            "name": entry.title,
            "public": True,
            "consultation": links.object("consultation", entry.pk) if is_position else None,
            "result": "Punkten utgick" if entry.struck else RESULTS.get(entry.outcome, ""),
            "resolutionText": entry.outcome_text if not entry.struck else entry.struck_reason,
            "web": links.web("archive:protocol", protocol.pk),
        }
    )
    data = _clean(data)
    data["public"] = True
    return data


def paper(links, entry):
    """A position taken (ställningstagande, R10) as a Paper: the standard's document that a
    body deliberates on, here the council's position as adjusted."""
    if entry.oparl_deleted:
        return deleted_stub(links, "paper", "Paper", entry.pk, entry)
    protocol = entry.protocol
    data = _base(links, "paper", "Paper", entry.pk, entry)
    data.update(
        {
            "body": links.body(),
            "name": entry.title,
            "reference": _reference(entry, protocol),
            "date": day(timezone.localdate(protocol.meeting.starts_at)),
            "paperType": "Ställningstagande",
            "underDirectionOf": [links.object("organization", council_key(protocol.council_id))],
            "consultation": [consultation(links, entry, embedded=True)],
            "web": links.web("archive:protocol", protocol.pk),
        }
    )
    return _clean(data)


def consultation(links, entry, *, embedded=False):
    """The council's deliberation of a position. Not `authoritative`: the councils advise;
    each member organisation decides at home (R10)."""
    if entry.oparl_deleted:
        return deleted_stub(links, "consultation", "Consultation", entry.pk, entry)
    protocol = entry.protocol
    data = _base(links, "consultation", "Consultation", entry.pk, entry)
    data.update(
        {
            "paper": None if embedded else links.object("paper", entry.pk),
            "agendaItem": links.object("agenda-item", entry.pk),
            "meeting": links.object("meeting", protocol.meeting_id),
            "organization": [links.object("organization", council_key(protocol.council_id))],
            "role": "Ställningstagande (rådgivande)",
        }
    )
    data = _clean(data)
    data["authoritative"] = False
    return data


def file_object(links, document, protocol, *, embedded=False, checksums=None):
    """A protocol's PDF/A. Checksums only on the File's own URL (they read the file)."""
    if not hasattr(document, "oparl_created"):
        document.oparl_created = document.finished_at or document.created_at
        document.oparl_modified = document.updated_at
        document.oparl_deleted = False
    data = _base(links, "file", "File", document.pk, document)
    meeting = protocol.meeting if protocol is not None else None
    name = "Protokoll"
    if meeting is not None:
        name = f"Protokoll {meeting.title} {timezone.localdate(meeting.starts_at).isoformat()}"
        if protocol.version > 1:
            name += f" (rättelse, version {protocol.version})"
    data.update(
        {
            "name": name,
            "fileName": document.filename,
            "mimeType": document.content_type or "application/pdf",
            "date": moment(document.finished_at),
            "size": document.size,
            "accessUrl": links.web("archive:protocol_pdf", protocol.pk) if protocol else None,
            "downloadUrl": links.url("download", document.pk),
            "meeting": [links.object("meeting", meeting.pk)]
            if meeting is not None and not embedded
            else None,
            "web": links.web("archive:protocol", protocol.pk) if protocol else None,
        }
    )
    if checksums is not None:
        data["sha1Checksum"], data["sha512Checksum"] = checksums
    return _clean(data)
