"""The agenda's PDFs as rendered documents (rus.documents), registered in
`MeetingsConfig.ready()`:

- `agenda`: the kallelse med föredragningslista alone (`meetings.pdf`), what `kallelse.pdf`
  serves; rendered by the worker, never in a web request when REDIS_URL is set.
- `kallelse`: kallelse med handlingar, the agenda followed by each item's attached PDFs in item
  order, with a bookmark per item and page references on the agenda ("Bilaga 3, s. 7");
  attachments in other formats are listed by name. A meeting panel shows its state on the
  meeting's page.

One file per agenda version: the version key is a checksum of what the file shows (the agenda's
snapshot, the meeting's and each item's version, each attachment's current version), so an
unchanged agenda is rendered once however often it is asked for, and any change asks anew.
"""

import hashlib
import io
import json
import logging
import time

from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from weasyprint import HTML

from rus.access import document_status
from rus.documents import registry, rendering
from rus.documents.models import RenderedDocument, RenderStatus

from . import access, pdf
from .access import Action
from .models import Attachment, Meeting
from .pdf import (
    PDF_VARIANT,
    STATIC_SCHEME,
    StaticOnlyURLFetcher,
    agenda_context,
    agenda_filename,
)
from .selectors.meetings import agenda_items

logger = logging.getLogger(__name__)

KIND = "kallelse"
AGENDA_KIND = "agenda"
PDF_TYPES = {"application/pdf"}


def _meeting(document):
    return Meeting.objects.select_related("council").filter(pk=int(document.object_key)).first()


# What the agenda prints as its status (templates/meetings/pdf/agenda.html): an approved agenda
# reads the same before and after the invitations go out, so the file rendered on approval
# (`services.agenda.approve_agenda` asks for it) is the one the invitations attach, and sending
# renders nothing.
_PRINTED_AS_APPROVED = {Meeting.Status.AGENDA_APPROVED, Meeting.Status.INVITATIONS_SENT}


def printed_status(meeting):
    if meeting.status in _PRINTED_AS_APPROVED:
        return Meeting.Status.AGENDA_APPROVED
    return meeting.status


def version_key(meeting):
    """A checksum of everything the file shows, in two queries: the meeting's and each item's
    version (every save of their content raises it) and place, each attachment's current
    version."""
    # The meeting page has read these rows already (selectors.meetings.agenda_fragment_state).
    items, attachments = getattr(meeting, "agenda_rows", None) or (
        meeting.items.order_by("position", "id").values_list("pk", "version", "position"),
        Attachment.objects.filter(item__meeting=meeting)
        .annotate(current=Max("versions__pk"))
        .order_by("pk")
        .values_list("pk", "item_id", "title", "current"),
    )
    approved = meeting.agenda_approved_at
    state = [  # moments as timestamps: the same moment is the same key in any time zone
        [meeting.pk, meeting.version, printed_status(meeting), approved and approved.timestamp()],
        [meeting.starts_at.timestamp(), meeting.ends_at.timestamp()],
        [meeting.place, meeting.video_link],
        [list(row) for row in items],
        [list(row) for row in attachments],
    ]
    return hashlib.sha256(json.dumps(state).encode()).hexdigest()


# --- Rendering --------------------------------------------------------------------------------


def _is_pdf(version):
    return version.content_type in PDF_TYPES or version.original_name.lower().endswith(".pdf")


def _read_attachments(items):
    """Each item's attachments in order: a PDF that reads gets the next Bilaga number and its
    reader; any other (another format, or a PDF that cannot be read) is listed by name only."""
    included = []
    for item in items:
        for attachment in item.attachments.all():
            attachment.kallelse_number = attachment.kallelse_page = None
            version = attachment.current_version
            attachment.kallelse_filename = version.original_name if version else ""
            if version is None or not _is_pdf(version):
                continue
            try:
                with version.file.open("rb") as handle:
                    reader = PdfReader(io.BytesIO(handle.read()))
                    pages = len(reader.pages)
            except (OSError, PyPdfError, ValueError) as error:
                logger.warning("Attachment %s left out of the kallelse: %s", attachment.pk, error)
                continue
            if not pages:
                continue
            attachment.kallelse_number = len(included) + 1
            included.append((item, attachment, reader))
    return included


def _render_agenda(meeting, items):
    context = agenda_context(meeting, items)
    context["kallelse"] = True
    html = render_to_string("meetings/pdf/agenda.html", context)
    return HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=StaticOnlyURLFetcher()).render()


def build_kallelse(meeting, items=None):
    """The combined PDF's bytes and page count."""
    items = list(items if items is not None else agenda_items(meeting))
    included = _read_attachments(items)
    # The agenda's length depends on the page references it prints: render until it is stable
    # (the second pass nearly always is).
    agenda_pages = None
    for _attempt in range(4 if included else 1):  # no references to pages: one pass
        next_page = (agenda_pages or 1) + 1
        for _item, attachment, reader in included:
            attachment.kallelse_page = next_page
            next_page += len(reader.pages)
        rendered = _render_agenda(meeting, items)
        if len(rendered.pages) == agenda_pages:
            break
        agenda_pages = len(rendered.pages)
    item_pages = {}
    for index, page in enumerate(rendered.pages):
        for anchor in page.anchors:
            if anchor.startswith("punkt-"):
                item_pages.setdefault(anchor, index)

    writer = PdfWriter(clone_from=io.BytesIO(rendered.write_pdf(pdf_variant=PDF_VARIANT)))
    if "/Outlines" in writer.root_object:  # WeasyPrint's headings; ours follow
        del writer.root_object["/Outlines"]
    for _item, _attachment, reader in included:
        writer.append(reader, import_outline=False)

    writer.add_outline_item(title=_("Föredragningslista"), page_number=0)
    for item in items:
        parent = writer.add_outline_item(
            title=f"{item.number}. {item.title}",
            page_number=item_pages.get(f"punkt-{item.pk}", 0),
        )
        for attachment in item.attachments.all():
            if attachment.kallelse_number:
                title = _("Bilaga %(number)s: %(title)s") % {
                    "number": attachment.kallelse_number,
                    "title": attachment.title,
                }
                writer.add_outline_item(
                    title=title, page_number=attachment.kallelse_page - 1, parent=parent
                )
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


def filename(meeting):
    day = timezone.localtime(meeting.starts_at)
    return f"kallelse-med-handlingar-{day:%Y-%m-%d}-{meeting.council.slug}.pdf"


def render(document):
    meeting = _meeting(document)
    if meeting is None:
        raise LookupError(f"Sammanträde {document.object_key} finns inte.")
    content, pages = build_kallelse(meeting)
    return registry.Rendered(content=content, filename=filename(meeting), page_count=pages)


def render_agenda(document):
    meeting = _meeting(document)
    if meeting is None:
        raise LookupError(f"Sammanträde {document.object_key} finns inte.")
    content, pages = pdf.render_agenda_pdf_with_pages(meeting)
    return registry.Rendered(content=content, filename=agenda_filename(meeting), page_count=pages)


def rendered_agenda(meeting, *, wait_seconds=0.0):
    """The bytes of the agenda PDF of the agenda's current version, from its document: read
    when it is done, rendered here (in the worker) when it is still queued, waited for up to
    `wait_seconds` while another worker renders it. None when it was never asked for, failed,
    or is not done in time."""
    key = version_key(meeting)
    deadline = time.monotonic() + wait_seconds
    tried = False
    while True:
        document = (
            RenderedDocument.objects.for_object(AGENDA_KIND, meeting.pk)
            .filter(version_key=key)
            .first()
        )
        if document is None or document.is_failed:
            return None
        if document.is_done:
            with document.file.open("rb") as handle:
                return handle.read()
        if document.status == RenderStatus.QUEUED and not tried:
            tried = True  # claims it, or finds that another worker just did
            rendering.render(document.pk)
            continue
        if tried and document.status == RenderStatus.QUEUED:
            return None  # our attempt failed (it is queued for a retry): render without it
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.1)


def may_read(user, document):
    meeting = _meeting(document)
    return meeting is not None and access.may(user, Action.READ_AGENDA, meeting)


def may_rerender(user, document):
    meeting = _meeting(document)
    return meeting is not None and access.may(user, Action.FOLLOW_INVITATIONS, meeting)


def register():
    registry.register(
        registry.Renderer(
            kind=KIND,
            render=render,
            may_read=may_read,
            may_rerender=may_rerender,
            label=gettext_lazy("kallelse med handlingar"),
        )
    )
    registry.register(
        registry.Renderer(
            kind=AGENDA_KIND,
            render=render_agenda,
            may_read=may_read,
            may_rerender=may_rerender,
            label=gettext_lazy("kallelsen"),
        )
    )


# --- Asking -----------------------------------------------------------------------------------


def request_kallelse(meeting):
    """The row of the agenda's current version, asked for (once) if it was not."""
    return rendering.request_document(
        kind=KIND, object_key=meeting.pk, version_key=version_key(meeting)
    )


def request_agenda(meeting):
    """The row of the agenda PDF of the agenda's current version, asked for (once) if it was
    not: one render per version, in the worker."""
    return rendering.request_document(
        kind=AGENDA_KIND, object_key=meeting.pk, version_key=version_key(meeting)
    )


def current_kallelse(meeting):
    """The current version's row, or None when it has not been asked for."""
    key = version_key(meeting)
    return RenderedDocument.objects.for_object(KIND, meeting.pk).filter(version_key=key).first()


def is_offered(meeting):
    """Sent with an approved agenda: not for drafts, cancelled or held meetings."""
    return not meeting.is_draft and not meeting.is_cancelled


def meeting_panel(request, meeting):
    """The kallelse's state on the meeting's page, for those who may read the agenda. The
    current version is asked for the first time the page is shown after a change (the render
    runs in Celery; asking again is the same row)."""
    if not is_offered(meeting) or not access.may(request.user, Action.READ_AGENDA, meeting):
        return None
    document = request_kallelse(meeting)
    return {
        "template": "meetings/pdf/kallelse_panel.html",
        "status": document_status(request.user, document),
        "meeting": meeting,
    }
