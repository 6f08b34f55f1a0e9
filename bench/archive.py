"""The protocol PDF/A and the public protocol page: a protocol of 40 entries, every position
with a dissent, and 60 attendees.

- PDF: the median time of the app's render task (`rus.tasks.render_document`: claim the row,
  read the protocol, render the template, WeasyPrint with PDF/A-2b, SHA-256, store the file,
  record it) against WeasyPrint alone on the same HTML with the same fetcher and variant. The
  goal is at most 1.2× (the app's own work small beside the rendering); pages per second
  through the task.
- The public protocol page (anonymous, /arkiv/protokoll/<pk>/): queries per request (must not
  grow with the entries: 10 against 40) and the median server time; and the answer to a
  conditional GET (304).
"""

import statistics
import tempfile
import time

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML

from bench import measure, page
from bench.protocols import _minuted, _seats
from councils.models import Council, Membership
from meetings.models import AgendaItem
from meetings.pdf import STATIC_SCHEME, StaticOnlyURLFetcher
from protocols import canonical, documents, pdf, services
from protocols.models import Attendance, Protocol
from rus.documents.models import RenderedDocument, RenderStatus
from rus.models import Strategy, TargetArea
from rus.tasks import render_document
from tests.factories import make_council, make_user_with_role

REPEAT = 7


def _adjusted(council, entries, *, user, target_area, organisation):
    """A minuted protocol, every position with a dissent, adjusted (the bench measures the
    PDF and the archive, not the justering: the status is set directly)."""
    meeting, protocol = _minuted(
        council, entries, user=user, target_area=target_area, organisation=organisation
    )
    members = list(protocol.attendance.filter(capacity=Attendance.Capacity.MEMBER))
    for index, entry in enumerate(protocol.entries.filter(kind=AgendaItem.Kind.POSITION)):
        if entry.outcome != "consensus":
            services.save_entry(
                entry=entry,
                user=user,
                version=entry.version,
                minutes="Diskussion " * 30,
                outcome="consensus",
                outcome_text="Rådet står bakom förslaget om regional utveckling i länet.",
            )
        if not entry.dissents.exists():
            services.record_dissent(
                entry=entry,
                user=user,
                attendance=members[index % len(members)],
                text="Vi vill se större hänsyn till de inre delarna av länet – åäö.",
            )
    protocol = Protocol.objects.get(pk=protocol.pk)
    protocol.status = Protocol.Status.ADJUSTED
    protocol.adjusted_at = timezone.now()
    protocol.checksum = canonical.checksum(protocol)
    protocol.save(update_fields=["status", "adjusted_at", "checksum"])
    return meeting, protocol


def _timed(func):
    started = time.perf_counter()
    func()
    return (time.perf_counter() - started) * 1000


def _pdf_figures(protocol):
    """The task and WeasyPrint alone, interleaved (one of each per round), so that a machine
    shared with other work slows both alike."""
    runs = iter(range(1000))

    def through_the_task():
        document = RenderedDocument.objects.create(
            kind=documents.PDF_KIND, object_key=str(protocol.pk), version_key=f"bench-{next(runs)}"
        )
        assert render_document.apply((document.pk,)).get() == "done"

    html = pdf.protocol_html(protocol)

    def weasyprint_alone():
        HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=StaticOnlyURLFetcher()).write_pdf(
            pdf_variant=pdf.PDF_VARIANT
        )

    through_the_task()
    weasyprint_alone()
    task_ms, alone_ms = [], []
    with CaptureQueriesContext(connection) as queries:
        for _ in range(REPEAT):
            task_ms.append(_timed(through_the_task))
            alone_ms.append(_timed(weasyprint_alone))
    task, alone = statistics.median(task_ms), statistics.median(alone_ms)
    document = RenderedDocument.objects.filter(status=RenderStatus.DONE).latest("finished_at")
    ratio = task / alone
    return {
        "pdf_pages": document.page_count,
        "pdf_kb": round(document.size / 1024, 1),
        "pdf_task_median_ms": round(task, 1),
        "pdf_task_queries": round(len(queries) / REPEAT, 1),
        "pdf_weasyprint_alone_median_ms": round(alone, 1),
        "pdf_task_vs_weasyprint": round(ratio, 2),
        "pdf_within_1_2x": "ja" if ratio <= 1.2 else "NEJ",
        "pdf_pages_per_second": round(document.page_count / (task / 1000), 1),
    }


def run():
    council = make_council(
        name="Regionala samverkansrådet (bench)",
        kind=Council.Kind.REGIONAL,
        publishes_protocols=True,
    )
    user = make_user_with_role(Membership.Role.SECRETARY, council=council, username="bench")
    organisations = _seats(council)
    strategy = Strategy.objects.create(name="RUS bench", start_year=2020, end_year=2030)
    target_area = TargetArea.objects.create(strategy=strategy, title="Målområde")
    results = {}
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        client = Client()  # anonymous: the public archive
        for entries in (10, 40):
            _meeting, protocol = _adjusted(
                council, entries, user=user, target_area=target_area, organisation=organisations[0]
            )
            if entries == 40:
                results["entries"] = protocol.entries.count()
                results["attendees"] = protocol.attendance.count()
                results["dissents"] = sum(e.dissents.count() for e in protocol.entries.all())
                results.update(_pdf_figures(protocol))
            url = reverse("archive:protocol", args=[protocol.pk])

            def get(url=url):
                response = client.get(url)
                assert response.status_code == 200, response.status_code

            figures = measure(get, repeat=10, warmup=2)
            results[f"public protocol page @ {entries} entries"] = page(figures)
        etag = client.get(url)["ETag"]

        def conditional():
            assert client.get(url, headers={"If-None-Match": etag}).status_code == 304

        figures = measure(conditional, repeat=10, warmup=1)
        results["public protocol page, conditional GET (304)"] = page(figures)
    grows = (
        results["public protocol page @ 10 entries"]["queries"]
        != results["public protocol page @ 40 entries"]["queries"]
    )
    results["public_page_queries_grow_with_entries"] = "JA" if grows else "nej"
    return results
