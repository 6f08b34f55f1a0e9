"""Demo data for the protocol PDF and the public archive (R8, R15).

The held meeting's protocol is adjusted through the justering services (protocols/demo.py), so
`protocol_adjusted` asks for its PDF/A when `seed_demo`'s transaction commits, as in
production. Here, idempotently, every adjusted protocol without a PDF gets one asked for (a
database seeded before the PDF existed); the render runs in Celery like any other. Both
councils publish their protocols (councils/demo.py), so the adjusted protocol and its positions
are in the public archive at /arkiv/.
"""

from rus.documents.models import RenderedDocument

from . import documents
from .models import Protocol


def seed():
    asked = []
    for protocol in Protocol.objects.adjusted().select_related("council"):
        if not RenderedDocument.objects.for_object(documents.PDF_KIND, protocol.pk).exists():
            asked.append(documents.request_pdf(protocol))
    return asked
