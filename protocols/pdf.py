"""The protocol as PDF/A-2b, for archiving (R8), rendered by Celery when it is adjusted.

The same document template as the HTML page (`templates/protocols/document.html`), wrapped in
`templates/protocols/pdf/protocol.html` with the page layout, the shipped fonts and a last page
listing the justering log (who, when, checksum). Rendered with the agenda PDF's restricted URL
fetcher (`meetings.pdf`): nothing but our own static files is ever fetched.

The file is a rendered document (`rus.documents`, kind `protocol_pdf`): one per adjusted
protocol version, made once, stored through Django's storage with its SHA-256. It is asked for
by the receiver of `protocols.signals.protocol_adjusted` (protocols/documents.py).
"""

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from meetings.pdf import STATIC_SCHEME, StaticOnlyURLFetcher, pdf_assets

from . import selectors
from .models import JusteringEvent

PDF_VARIANT = "pdf/a-2b"
STYLESHEET = "css/protocol-pdf.css"


class MissingAsset(RuntimeError):
    """A font or stylesheet of the PDF could not be fetched from the static files."""


def protocol_context(protocol):
    context = selectors.document(protocol)
    context["assets"] = {**pdf_assets(), "stylesheet": STATIC_SCHEME + STYLESHEET}
    context["justering_events"] = selectors.justering_log(protocol)
    context["paper_signatures"] = any(
        e.kind == JusteringEvent.Kind.APPROVED_ON_PAPER for e in context["justering_events"]
    )
    adjusted_at = protocol.adjusted_at
    context["adjusted_at"] = timezone.localtime(adjusted_at) if adjusted_at else None
    context["pdf"] = True
    return context


def protocol_html(protocol):
    return render_to_string("protocols/pdf/protocol.html", protocol_context(protocol))


def write_pdf(html):
    """PDF/A-2b bytes and the page count of `html`, rendered with the restricted fetcher.

    Strict, unlike a browser: a font or stylesheet that cannot be fetched fails the render
    (and so the task, which retries, then shows the failure) instead of archiving a protocol
    in a fallback font."""
    fetcher = StaticOnlyURLFetcher(fail_on_errors=True)
    try:
        document = HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=fetcher).render(
            pdf_variant=PDF_VARIANT
        )
    except FatalURLFetchingError as error:  # a BaseException: made an ordinary failure here
        raise MissingAsset(f"{error} ({error.__cause__})") from error
    return document.write_pdf(pdf_variant=PDF_VARIANT), len(document.pages)


def filename(protocol, entries):
    numbers = [e.number for e in entries if e.number]
    paragraphs = f"-p{min(numbers)}-{max(numbers)}" if numbers else ""
    suffix = f"-rattelse-{protocol.version}" if protocol.version > 1 else ""
    return f"protokoll-{protocol.council.slug}-{protocol.year}{paragraphs}{suffix}.pdf"


def render_protocol_pdf(protocol):
    """(bytes, page count, file name) of the protocol's PDF/A."""
    context = protocol_context(protocol)
    html = render_to_string("protocols/pdf/protocol.html", context)
    content, pages = write_pdf(html)
    return content, pages, filename(protocol, context["entries"])
