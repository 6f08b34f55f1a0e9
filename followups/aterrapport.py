"""Återrapport (R9): what a member takes home to their organisation after a held meeting.

For one adjusted protocol and one organisation: the positions taken, with what the organisation
is expected to decide at home (R10); the dissents its own members had recorded (R11); and the
items for information. As a PDF (WeasyPrint, the shipped fonts, the static-only URL fetcher of
`meetings.pdf`) and as a .docx (python-docx) to paste into the organisation's own papers. Both
are rendered from the same content (`content`), in the site language.
"""

import io
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from meetings.pdf import pdf_assets, render_html_pdf
from protocols.models import Dissent, HomeDecision, ProtocolEntry

from .models import FollowUp

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Position:
    number: int
    title: str
    text: str
    expected: str
    state: str


@dataclass
class Content:
    protocol: object
    organisation: object
    meeting: object
    date: str
    positions: list = field(default_factory=list)
    dissents: list = field(default_factory=list)
    information: list = field(default_factory=list)

    @property
    def title(self):
        return _("Återrapport från %(council)s %(date)s") % {
            "council": self.protocol.council.name,
            "date": self.date,
        }

    @property
    def filename_stem(self):
        return slugify(f"aterrapport {self.meeting.starts_at.date()} {self.organisation.name}")


def content(protocol, organisation):
    """What the återrapport holds, read from the adjusted protocol and the follow-ups."""
    meeting = protocol.meeting
    entries = list(protocol.entries.filter(struck=False).order_by("number"))
    followups = {
        f.entry_id: f for f in FollowUp.objects.filter(entry__in=entries, organisation=organisation)
    }
    homes = {
        d.entry_id: d
        for d in HomeDecision.objects.filter(entry__in=entries, organisation=organisation)
    }
    expected_labels = dict(HomeDecision.Expected.choices)
    result = Content(
        protocol=protocol,
        organisation=organisation,
        meeting=meeting,
        date=formats.date_format(timezone.localtime(meeting.starts_at), "DATE_FORMAT"),
    )
    for entry in entries:
        if entry.outcome == ProtocolEntry.Outcome.CONSENSUS:
            followup = followups.get(entry.pk)
            home = homes.get(entry.pk)
            expected = (
                followup.expected
                if followup
                else (home.expected if home else HomeDecision.Expected.UNDETERMINED)
            )
            result.positions.append(
                Position(
                    number=entry.number,
                    title=entry.title,
                    text=entry.outcome_text,
                    expected=str(expected_labels[expected]),
                    state=followup.get_state_display() if followup else "",
                )
            )
        elif entry.kind == ProtocolEntry.Kind.INFORMATION:
            result.information.append(entry)
    result.dissents = list(
        Dissent.objects.filter(entry__in=entries)
        .filter(attendance__organisation=organisation)
        .select_related("entry")
        .order_by("entry__number", "recorded_at")
    )
    return result


def render_pdf(protocol, organisation):
    """(bytes, filename) of the återrapport as PDF."""
    with translation.override(settings.LANGUAGE_CODE):
        data = content(protocol, organisation)
        html = render_to_string(
            "followups/pdf/aterrapport.html", {"report": data, "assets": pdf_assets()}
        )
        return render_html_pdf(html), f"{data.filename_stem}.pdf"


def render_docx(protocol, organisation):
    """(bytes, filename) of the återrapport as a Word document."""
    from docx import Document

    with translation.override(settings.LANGUAGE_CODE):
        data = content(protocol, organisation)
        document = Document()
        document.core_properties.title = data.title
        document.core_properties.author = "Samverkan"
        document.add_heading(data.title, level=1)
        document.add_paragraph(
            _("Till %(organisation)s. Sammanträde: %(meeting)s.")
            % {"organisation": data.organisation.name, "meeting": data.meeting.title}
        )
        document.add_heading(_("Ställningstaganden"), level=2)
        if not data.positions:
            document.add_paragraph(_("Rådet tog inga ställningstaganden vid sammanträdet."))
        for position in data.positions:
            document.add_heading(f"§ {position.number} {position.title}", level=3)
            document.add_paragraph(position.text)
            line = _("Formellt beslut väntas hos %(organisation)s: %(expected)s.") % {
                "organisation": data.organisation.name,
                "expected": position.expected,
            }
            if position.state:
                line += " " + _("Läge: %(state)s.") % {"state": position.state}
            document.add_paragraph(line)
        document.add_heading(_("Avvikande synpunkter från organisationens ledamöter"), level=2)
        if not data.dissents:
            document.add_paragraph(_("Inga avvikande synpunkter."))
        for dissent in data.dissents:
            document.add_paragraph(
                f"§ {dissent.entry.number}, {dissent.member_name}: {dissent.text}"
            )
        document.add_heading(_("Informationsärenden"), level=2)
        if not data.information:
            document.add_paragraph(_("Inga informationsärenden."))
        for entry in data.information:
            document.add_heading(f"§ {entry.number} {entry.title}", level=3)
            if entry.minutes:
                document.add_paragraph(entry.minutes)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue(), f"{data.filename_stem}.docx"


def render_arsunderlag(*, year, council=None):
    """(bytes, filename) of the Årsunderlag (R4, R13): the year's positions with their
    follow-up state and the coverage report, for the yearly planning meeting's review of the
    strategic plan."""
    from . import report, selectors

    with translation.override(settings.LANGUAGE_CODE):
        filters = selectors.Filters(council=council, year=year)
        html = render_to_string(
            "followups/pdf/arsunderlag.html",
            {
                "year": year,
                "council": council,
                "matrix": selectors.matrix(None, filters),
                "report": report.build(year=year, council=council),
                "generated_at": timezone.localtime(),
                "assets": pdf_assets(),
            },
        )
        name = f"arsunderlag-{year}" + (f"-{council.slug}" if council else "")
        return render_html_pdf(html), f"{name}.pdf"
