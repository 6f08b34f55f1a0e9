"""The protocol PDF as a rendered document (rus.documents): its renderer, registered in
`ProtocolsConfig.ready()`, and the receiver of `protocol_adjusted` that asks for it.

An adjusted protocol never changes (R8), and a correction is a protocol of its own, so one
adjusted protocol has one PDF: the version key is its checksum (the SHA-256 of its canonical
content as adjusted). Nothing about the PDF is stored on the protocol's rows, which are
immutable once adjusted: the state lives on the `RenderedDocument` row alone.
"""

from rus.documents import registry, rendering
from rus.documents.models import RenderedDocument

from . import access
from .models import Protocol

PDF_KIND = "protocol_pdf"


def _protocol(document):
    return (
        Protocol.objects.select_related("meeting", "council")
        .filter(pk=int(document.object_key))
        .first()
    )


def render(document):
    from .pdf import render_protocol_pdf

    protocol = _protocol(document)
    if protocol is None:
        raise LookupError(f"Protokoll {document.object_key} finns inte.")
    content, pages, name = render_protocol_pdf(protocol)
    return registry.Rendered(content=content, filename=name, page_count=pages)


def may_read(user, document):
    protocol = _protocol(document)
    return protocol is not None and access.may_read_pdf(user, protocol)


def may_rerender(user, document):
    protocol = _protocol(document)
    return protocol is not None and access.may_rerender_pdf(user, protocol)


def register():
    registry.register(
        registry.Renderer(
            kind=PDF_KIND,
            render=render,
            may_read=may_read,
            may_rerender=may_rerender,
            label="PDF",
        )
    )


def version_key(protocol):
    """The adjusted content's SHA-256 (protocols/canonical.py), as the signatories approved it."""
    return protocol.checksum or "justerat"


def request_pdf(protocol):
    """Ask for the adjusted protocol's PDF (once; asking again returns the same row)."""
    return rendering.request_document(
        kind=PDF_KIND, object_key=protocol.pk, version_key=version_key(protocol)
    )


def pdf_document(protocol):
    """The PDF's row of an adjusted protocol, or None."""
    return RenderedDocument.objects.latest_for(PDF_KIND, protocol.pk)


def on_protocol_adjusted(sender, protocol, **kwargs):
    """protocol_adjusted is sent after the commit that adjusted `protocol`: render its PDF."""
    if protocol.status == Protocol.Status.ADJUSTED:
        request_pdf(protocol)
