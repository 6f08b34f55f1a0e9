"""A world for the search tests (no tests here): two councils, a public adjusted protocol, a
draft, another council's attachment, a presenter, a proposal — each with a word of its own."""

import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from councils.models import Council, Membership
from meetings.models import AgendaItem
from meetings.services import agenda as agenda_services
from meetings.services import proposals as proposal_services
from protocols import services as protocol_services
from protocols.models import ProtocolEntry
from search import extraction, indexing
from tests.factories import (
    make_council,
    make_member_user,
    make_person,
    make_rus_group_user,
    make_user,
)
from tests.meetings.factories import make_item, make_meeting
from tests.meetings.review_support import make_target_area
from tests.protocols.support import adjusted_protocol, setting, started_meeting

# Each word is in exactly one place.
# The adjusted, published protocol's position ("Rådet står bakom en stark
# sammanhållningspolitik."); also in council A's agenda item title.
PUBLIC_WORD = "sammanhållningspolitik"
DRAFT_WORD = "Hälsingeskogen"  # a draft protocol of council A
ATTACHMENT_WORD = "Ångermanälven"  # an attachment of council B
PRESENTED_WORD = "Indalsälven"  # council B's item the presenter presents
UNPRESENTED_WORD = "Ljusnanbygden"  # council B's item they do not present
PROPOSAL_WORD = "Medelpadsmodellen"  # Sundsvall's proposal


def docx_upload(name, *paragraphs):
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@dataclass
class World:
    a: object  # tests.protocols.support.Setting: council A, its people and meeting
    council_b: Council
    member_a: object
    member_b: object
    chair_a: object
    region_member_a: object
    secretariat: object
    rus_group: object
    presenter: object
    outsider: object  # signed in, no seat, no role
    protocol: object  # adjusted, published
    draft: object
    attachment: object


def build_world():
    a = setting()
    Council.objects.filter(pk=a.council.pk).update(publishes_protocols=True)
    protocol = adjusted_protocol(a)
    assert PUBLIC_WORD in protocol.entries.get(kind=AgendaItem.Kind.POSITION).outcome_text

    # A draft of a later meeting of council A.
    later = started_meeting(a.council, title="Extramöte")
    info = make_item(later, title="Lägesbild skogsbruk", kind=AgendaItem.Kind.INFORMATION)
    draft = protocol_services.open_protocol(meeting=later, user=a.secretariat)
    entry = draft.entries.get(agenda_item=info)
    protocol_services.save_entry(
        entry=entry,
        user=a.secretariat,
        version=entry.version,
        minutes=f"Rådet diskuterade avverkningen i {DRAFT_WORD}.",
        outcome=ProtocolEntry.Outcome.NOTED,
        outcome_text="Informationen noteras.",
    )

    council_b = make_council(name="Stora samverkansrådet", kind=Council.Kind.BROAD)
    member_b = make_member_user(council_b, username="storledamot")
    meeting_b = make_meeting(council_b, title="Stora rådets möte")
    presenter_user = make_user("foredragande")
    presenter = make_person(given_name="Fia", family_name="Föredragande", user=presenter_user)
    presented = make_item(
        meeting_b,
        title="Vattenkraften",
        background=f"Läget för vattenkraften i {PRESENTED_WORD}.",
        presenter=presenter,
    )
    make_item(meeting_b, title="Älvdalarna", background=f"Utvecklingen i {UNPRESENTED_WORD}.")
    attachment = agenda_services.add_attachment(
        item=make_item(meeting_b, title="Fiskevård"),
        uploaded_file=docx_upload("fiskevard.docx", f"Laxens väg upp i {ATTACHMENT_WORD}."),
        user=None,
        title="Fiskevård i älvarna",
    )
    assert presented.presenter_id == presenter.pk

    proposal_services.submit_proposal(
        proposer=a.member.person,
        organisation=a.sundsvall,
        title="Gemensam modell för kompetensförsörjning",
        kind=AgendaItem.Kind.INFORMATION,
        background=f"Förslag om {PROPOSAL_WORD} för hela länet.",
        target_area=make_target_area(),
    )

    extraction.extract_missing()
    indexing.reindex_all()
    return World(
        a=a,
        council_b=council_b,
        member_a=a.member.person.user,
        member_b=member_b,
        chair_a=a.chair.person.user,
        region_member_a=a.region_member.person.user,
        secretariat=a.secretariat,
        rus_group=make_rus_group_user("rusgrupp"),
        presenter=presenter_user,
        outsider=make_user("utanfor"),
        protocol=protocol,
        draft=draft,
        attachment=attachment,
    )


def membership_role(user):
    return Membership.objects.filter(person__user=user).values_list("role", flat=True).first()
