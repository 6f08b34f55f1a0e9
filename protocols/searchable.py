"""What of protocols is searched (`search.registry`): each § (title, minutes, outcome, the
consensus position's text weighted B, and the dissents recorded in it), and each adjusted
protocol's PDF/A by its text (weighted D like an attachment's; it adds what the § rows lack:
the attendance list, the justering log), extracted by `search.tasks` once the PDF is rendered.

Rights are `protocols.access`'s: the secretariat and the council's members (the chair among
them) read a protocol from its first draft; everyone else — the RUS group, a presenter, an
anonymous visitor — only what the public archive shows (`public_protocols()`: adjusted, of a
council that publishes; R15). The public part is read from the protocols' own table at each
search, so a protocol adjusted, or a council that starts publishing, is searchable at once
without reindexing.
"""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.access import roles_for
from rus.documents.models import RenderedDocument, RenderStatus
from search import extraction, indexing, registry
from search.registry import Document, FileSource, Kind, OpenedFile
from search.tasks import schedule_extraction

from . import access
from .documents import PDF_KIND
from .models import Dissent, Protocol, ProtocolEntry

PARAGRAPH = "paragraph"
PROTOCOL_PDF = "protocol_pdf"
PDF_FILES = "protocol_pdf_file"


def _anchor(entry_pk):
    return f"#dokument-paragraf-{entry_pk}"


def paragraph_documents(pks):
    entries = (
        ProtocolEntry.objects.select_related("protocol__meeting", "council")
        .prefetch_related("dissents")
        .order_by("pk")
    )
    if pks is not None:
        entries = entries.filter(pk__in=pks)
    for entry in entries:
        protocol = entry.protocol
        meeting = protocol.meeting
        day = timezone.localtime(meeting.starts_at).date()
        dissents = [
            f"{dissent.member_name} ({dissent.organisation_name}): {dissent.text}"
            for dissent in entry.dissents.all()
        ]
        outcome = "" if entry.position_text else entry.outcome_text
        yield Document(
            kind=PARAGRAPH,
            object_id=entry.pk,
            title=f"§ {entry.number} {entry.title}" if entry.number else entry.title,
            emphasis=entry.position_text,
            body="\n\n".join(
                part for part in [entry.minutes, outcome, *dissents, entry.rus_link_label] if part
            ),
            url=reverse("protocols:draft", args=[meeting.pk]) + _anchor(entry.pk),
            public_url=reverse("archive:protocol", args=[protocol.pk]) + _anchor(entry.pk),
            context=f"{entry.council.name} · {meeting.title} {day:%Y-%m-%d}",
            council_id=entry.council_id,
            meeting_id=meeting.pk,
            protocol_id=protocol.pk,
            focus_area_id=entry.focus_area_id,
            year=entry.year,
            date=day,
        )


def _finished_pdfs(protocol_pks=None):
    """{protocol id: its newest finished PDF row}."""
    rows = RenderedDocument.objects.done().filter(kind=PDF_KIND)
    if protocol_pks is not None:
        rows = rows.filter(object_key__in=[str(pk) for pk in protocol_pks])
    return {int(row.object_key): row for row in rows.order_by("finished_at", "pk")}


def protocol_pdf_documents(pks):
    """Each adjusted protocol with a finished PDF, its text from the PDF."""
    pdfs = _finished_pdfs(pks)
    protocols = Protocol.objects.filter(
        pk__in=list(pdfs), status=Protocol.Status.ADJUSTED
    ).select_related("meeting", "council")
    texts = extraction.texts_for(PDF_FILES, [pdf.pk for pdf in pdfs.values()])
    for protocol in protocols.order_by("pk"):
        pdf = pdfs[protocol.pk]
        meeting = protocol.meeting
        day = timezone.localtime(meeting.starts_at).date()
        title = f"Protokoll {protocol.council.name} {day:%Y-%m-%d}"
        if protocol.version > 1:
            title += f" (rättelse {protocol.version})"
        yield Document(
            kind=PROTOCOL_PDF,
            object_id=protocol.pk,
            title=title,
            body=texts.get(pdf.pk, "") or pdf.filename,
            body_weight="D",
            url=reverse("document_download", args=[pdf.pk]),
            public_url=reverse("archive:protocol_pdf", args=[protocol.pk]),
            context=f"{protocol.council.name} · {meeting.title} {day:%Y-%m-%d} · PDF",
            council_id=protocol.council_id,
            meeting_id=meeting.pk,
            protocol_id=protocol.pk,
            year=protocol.year,
            date=day,
        )


def open_protocol_pdf(pk):
    pdf = RenderedDocument.objects.filter(pk=pk, kind=PDF_KIND).first()
    if pdf is None or not pdf.file:
        return None
    return OpenedFile(
        file=pdf.file,
        name=pdf.filename or "protokoll.pdf",
        document_kind=PROTOCOL_PDF,
        document_id=int(pdf.object_key),
    )


def finished_pdf_pks():
    return [pdf.pk for pdf in _finished_pdfs().values()]


def reads_every_draft(roles):
    return roles.is_secretariat


def _other_public_protocol_ids(user):
    """The public protocols of councils the user is not a member of, read once per request
    (the § and the PDFs both ask) and kept on the request's user object. Those of the user's
    own councils need no list: the council's members read them by the row's council (a §'s
    council is its protocol's)."""
    if not hasattr(user, "_search_public_protocol_ids"):
        user._search_public_protocol_ids = list(
            access.public_protocols()
            .exclude(council_id__in=roles_for(user).council_ids)
            .values_list("pk", flat=True)
        )
    return user._search_public_protocol_ids


def visible_paragraphs(user):
    """Action.READ of protocols.access (secretariat, the council's members), or public."""
    roles = roles_for(user)
    if reads_every_draft(roles):
        return Q()
    # Read first, as a list of integers (an IN-list keeps the search's plan on its GIN index:
    # search.selectors._SETTINGS), and only the protocols the council condition does
    # not already cover: a short list for a member, every public protocol for a visitor.
    public = Q(protocol_id__in=_other_public_protocol_ids(user))
    if roles.council_ids:
        return Q(council_id__in=roles.council_ids) | public
    return public


def paragraph_link(user, row):
    """The protocol's own page for its readers, the public archive for everyone else."""
    roles = roles_for(user)
    if reads_every_draft(roles) or row.council_id in roles.council_ids:
        return row.url
    return row.public_url


def _pdf_saved(sender, instance, raw=False, **kwargs):
    """A protocol PDF finished: read its text (a Celery task, on commit)."""
    if not raw and instance.kind == PDF_KIND and instance.status == RenderStatus.DONE:
        schedule_extraction(PDF_FILES, instance.pk)


def _entry_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.schedule(PARAGRAPH, instance.pk)


def _entry_deleted(sender, instance, **kwargs):
    indexing.schedule_removal(PARAGRAPH, instance.pk)


def _dissent_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.schedule(PARAGRAPH, instance.entry_id)


def register():
    """Called from ProtocolsConfig.ready()."""
    registry.register(
        Kind(
            PARAGRAPH,
            _("Protokollsparagrafer"),
            _("Protokollsparagraf"),
            paragraph_documents,
            visible_paragraphs,
            link=paragraph_link,
            order=30,
        )
    )
    registry.register(
        Kind(
            PROTOCOL_PDF,
            _("Protokoll (PDF)"),
            _("Protokoll (PDF)"),
            protocol_pdf_documents,
            visible_paragraphs,
            link=paragraph_link,
            order=35,
        )
    )
    registry.register_file_source(
        FileSource(name=PDF_FILES, open=open_protocol_pdf, pks=finished_pdf_pks)
    )
    uid = "search.protocols"
    post_save.connect(_pdf_saved, sender=RenderedDocument, dispatch_uid=f"{uid}.pdf")
    post_save.connect(_entry_saved, sender=ProtocolEntry, dispatch_uid=f"{uid}.entry")
    post_delete.connect(_entry_deleted, sender=ProtocolEntry, dispatch_uid=f"{uid}.entry-")
    post_save.connect(_dissent_changed, sender=Dissent, dispatch_uid=f"{uid}.dissent")
    post_delete.connect(_dissent_changed, sender=Dissent, dispatch_uid=f"{uid}.dissent-")
