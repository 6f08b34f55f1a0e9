"""Återrapport and Årsunderlag as rendered documents (rus.documents): their renderers,
registered in `FollowupsConfig.ready()`, and what asks for them.

- Återrapport (R9): when a protocol is adjusted (`protocol_adjusted`, after the follow-ups are
  made), one PDF and one .docx per organisation represented at the meeting, rendered by Celery.
  The object key is "<protocol>-<organisation>", the version key the protocol's checksum: an
  adjusted protocol never changes, so each file is made once.
- Årsunderlag (R4, R13): asked for by the secretariat for a year (and council). It reads the
  follow-ups, which keep changing, so its version key is the state of the year's rows (how many,
  and the last change): asking again after a change makes a new file, asking again without one
  returns the same.
"""

import hashlib

from django.db.models import Count, Max

from councils.access import roles_for
from councils.models import Council, Organisation
from protocols.models import Protocol
from rus.documents import registry, rendering
from rus.documents.models import RenderedDocument

from . import aterrapport
from .models import FollowUp

REPORT_PDF = "aterrapport_pdf"
REPORT_DOCX = "aterrapport_docx"
YEAR_PDF = "arsunderlag_pdf"
REPORT_KINDS = (REPORT_PDF, REPORT_DOCX)


# --- Återrapport ---------------------------------------------------------------------------------


def report_key(protocol, organisation):
    return f"{protocol.pk}-{organisation.pk}"


def _report_objects(document):
    protocol_pk, organisation_pk = (int(part) for part in document.object_key.split("-"))
    protocol = Protocol.objects.select_related("meeting", "council").filter(pk=protocol_pk).first()
    organisation = Organisation.objects.filter(pk=organisation_pk).first()
    if protocol is None or organisation is None:
        raise LookupError(f"Återrapport {document.object_key} finns inte.")
    return protocol, organisation


def render_report_pdf(document):
    content, name = aterrapport.render_pdf(*_report_objects(document))
    return registry.Rendered(content=content, filename=name)


def render_report_docx(document):
    content, name = aterrapport.render_docx(*_report_objects(document))
    return registry.Rendered(content=content, filename=name, content_type=aterrapport.DOCX)


def may_read_report(user, document):
    """The organisation's own representatives and the secretariat (R9)."""
    roles = roles_for(user)
    organisation_pk = int(document.object_key.split("-")[1])
    return roles.is_secretariat or organisation_pk in roles.organisation_ids


def report_organisations(protocol):
    """The organisations an återrapport is made for: those at the meeting, and those with a
    follow-up of one of its positions."""
    ids = set(
        protocol.attendance.filter(organisation__isnull=False).values_list(
            "organisation_id", flat=True
        )
    ) | set(
        FollowUp.objects.filter(entry__protocol=protocol).values_list("organisation_id", flat=True)
    )
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def request_reports(protocol):
    """Ask for every organisation's återrapport of an adjusted protocol (once per version)."""
    if protocol.status != Protocol.Status.ADJUSTED:
        return []
    return [
        rendering.request_document(
            kind=kind, object_key=report_key(protocol, organisation), version_key=protocol.checksum
        )
        for organisation in report_organisations(protocol)
        for kind in REPORT_KINDS
    ]


def report_documents(protocol, organisations):
    """{organisation_pk: {kind: RenderedDocument or None}} for the page."""
    keys = {report_key(protocol, organisation): organisation.pk for organisation in organisations}
    found = {}
    for document in RenderedDocument.objects.filter(
        kind__in=REPORT_KINDS, object_key__in=keys, version_key=protocol.checksum
    ):
        found[(keys[document.object_key], document.kind)] = document
    return {
        organisation.pk: {kind: found.get((organisation.pk, kind)) for kind in REPORT_KINDS}
        for organisation in organisations
    }


# --- Årsunderlag ---------------------------------------------------------------------------------


def year_key(year, council):
    return f"{year}-{council.slug if council else 'alla'}"


def _year_objects(document):
    year, slug = document.object_key.split("-", 1)
    council = None if slug == "alla" else Council.objects.filter(slug=slug).first()
    if slug != "alla" and council is None:
        raise LookupError(f"Rådet {slug} finns inte.")
    return int(year), council


def year_version(year, council):
    """The state of the year's follow-ups: a new file when a row changed since the last."""
    rows = FollowUp.objects.filter(entry__year=year)
    if council is not None:
        rows = rows.filter(entry__council=council)
    state = rows.aggregate(count=Count("pk"), changed=Max("updated_at"))
    text = f"{state['count']}|{state['changed'].isoformat() if state['changed'] else ''}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def render_year_pdf(document):
    year, council = _year_objects(document)
    content, name = aterrapport.render_arsunderlag(year=year, council=council)
    return registry.Rendered(content=content, filename=name)


def secretariat_only(user, document):
    return roles_for(user).is_secretariat


def request_year(year, council):
    return rendering.request_document(
        kind=YEAR_PDF, object_key=year_key(year, council), version_key=year_version(year, council)
    )


def year_document(year, council):
    return RenderedDocument.objects.latest_for(YEAR_PDF, year_key(year, council))


def register():
    registry.register(
        registry.Renderer(
            kind=REPORT_PDF,
            render=render_report_pdf,
            may_read=may_read_report,
            may_rerender=may_read_report,
            label="PDF",
        )
    )
    registry.register(
        registry.Renderer(
            kind=REPORT_DOCX,
            render=render_report_docx,
            may_read=may_read_report,
            may_rerender=may_read_report,
            label="Word (.docx)",
        )
    )
    registry.register(
        registry.Renderer(
            kind=YEAR_PDF,
            render=render_year_pdf,
            may_read=secretariat_only,
            may_rerender=secretariat_only,
            label="PDF",
        )
    )
