"""Agenda PDF: kallelse med föredragningslista.

Rendered with WeasyPrint from `templates/meetings/pdf/agenda.html`, the same template and
stylesheet (`static/css/agenda.css`) as the HTML preview, which links it like any page (the
Content-Security-Policy allows no inline style). Fonts ship with the project (static/fonts,
Liberation Sans, SIL OFL). The URL fetcher serves only our own static files under the
`samverkan-static:` scheme and refuses everything else, so rendering never touches the network
or the file system beyond the static folders.
"""

import mimetypes
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from weasyprint import HTML

try:  # Recent WeasyPrint (70 here): fetchers are URLFetcher subclasses.
    from weasyprint.urls import URLFetcher, URLFetcherResponse
except ImportError:  # pragma: no cover - older WeasyPrint takes a plain function
    URLFetcher = URLFetcherResponse = None

from meetings.models import AgendaItem
from meetings.schedule import agenda_schedule
from meetings.selectors.meetings import agenda_items

STATIC_SCHEME = "samverkan-static:"
# Tagged for accessibility (PDF/UA-1: structure tree, MarkInfo, the title shown as the window
# title). The title comes from the template's <title>, the language from <html lang>.
PDF_VARIANT = "pdf/ua-1"
PDF_ASSETS = {
    "font_regular": "fonts/LiberationSans-Regular.ttf",
    "font_bold": "fonts/LiberationSans-Bold.ttf",
    "font_italic": "fonts/LiberationSans-Italic.ttf",
    "font_bold_italic": "fonts/LiberationSans-BoldItalic.ttf",
    "stylesheet": "css/agenda.css",
}


class RefusedURL(ValueError):
    """The PDF asked for something other than our own static files."""


def resolve_static(url):
    """The file system path of a `samverkan-static:` URL, or RefusedURL."""
    if not url.startswith(STATIC_SCHEME):
        raise RefusedURL(f"Bara projektets egna statiska filer får hämtas, inte {url!r}.")
    relative = url[len(STATIC_SCHEME) :].split("?", 1)[0].split("#", 1)[0].lstrip("/")
    parts = Path(relative).parts
    if not relative or ".." in parts or "\\" in relative or ":" in relative:
        raise RefusedURL(f"Ogiltig sökväg {url!r}.")
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation as error:
        raise RefusedURL(str(error)) from None
    if not found:
        raise RefusedURL(f"Filen {relative!r} finns inte bland de statiska filerna.")
    return Path(found)


def _mime_type(path):
    if path.suffix == ".ttf":
        return "font/ttf"
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


if URLFetcher is not None:

    class StaticOnlyURLFetcher(URLFetcher):
        """Serves `samverkan-static:` URLs from the static folders; refuses everything else."""

        def fetch(self, url, headers=None):
            path = resolve_static(url)
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": _mime_type(path)})

else:  # pragma: no cover

    class StaticOnlyURLFetcher:
        """The same rule for older WeasyPrint, which calls a function returning a dict."""

        def fetch(self, url, headers=None):
            path = resolve_static(url)
            return {
                "string": path.read_bytes(),
                "mime_type": _mime_type(path),
                "redirected_url": url,
            }

        def __call__(self, url, *args, **kwargs):
            return self.fetch(url)


def pdf_assets():
    return {name: STATIC_SCHEME + path for name, path in PDF_ASSETS.items()}


def css_string(text):
    """`text` as a quoted CSS string for a <style> element: every character but letters, digits
    and spaces as a CSS escape, so that neither quotes nor "</style>" can end it."""
    escaped = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in str(text))
    return mark_safe(f'"{escaped}"')


def agenda_context(meeting, items=None):
    """What the agenda shows, for the PDF and the HTML preview alike."""
    items = list(items if items is not None else agenda_items(meeting))
    return {
        "meeting": meeting,
        "council": meeting.council,
        "items": items,
        # Each item with its estimated start, as the invitation and presenters' mails state it.
        "schedule": agenda_schedule(meeting, items),
        "position_items": [i for i in items if i.kind == AgendaItem.Kind.POSITION],
        "total_minutes": sum(i.estimated_minutes for i in items),
        "starts_at": timezone.localtime(meeting.starts_at),
        "ends_at": timezone.localtime(meeting.ends_at),
        "generated_at": timezone.localtime(),
        "assets": pdf_assets(),
        # The page footer as a literal, not string-set from the page: WeasyPrint tracks a
        # string-set on every page (a tenth of a 100-item agenda's time).
        "footer": css_string(f"Region Västernorrland · {meeting.council.name}"),
        "preview": False,
    }


def render_html_pdf(html, base_url=STATIC_SCHEME):
    return render_html_pdf_with_pages(html, base_url)[0]


def render_html_pdf_with_pages(html, base_url=STATIC_SCHEME):
    """The PDF's bytes and its number of pages."""
    fetcher = StaticOnlyURLFetcher()
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
        pdf_variant=PDF_VARIANT
    )
    return document.write_pdf(pdf_variant=PDF_VARIANT), len(document.pages)


def agenda_html(meeting, **extra):
    """The HTML WeasyPrint renders the agenda PDF from."""
    context = agenda_context(meeting)
    context.update(extra)
    return render_to_string("meetings/pdf/agenda.html", context)


def render_agenda_pdf(meeting):
    """The kallelse med föredragningslista for `meeting`, as PDF bytes."""
    return render_html_pdf(agenda_html(meeting))


def render_agenda_pdf_with_pages(meeting):
    """The same, with its number of pages (the rendered document records it)."""
    return render_html_pdf_with_pages(agenda_html(meeting))


def agenda_filename(meeting):
    return f"kallelse-{timezone.localtime(meeting.starts_at):%Y-%m-%d}-{meeting.council.slug}.pdf"


def render_document_pdf(*, title, paragraphs):
    """A small plain PDF document (used for demo attachments)."""
    html = render_to_string(
        "meetings/pdf/document.html",
        {"title": title, "paragraphs": paragraphs, "assets": pdf_assets()},
    )
    return render_html_pdf(html)
