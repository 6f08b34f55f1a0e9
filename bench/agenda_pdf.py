"""The agenda PDF (kallelse med föredragningslista) of a 100-item agenda.

The app's path, the render task (`rus.tasks.render_document` with the `agenda` kind: claim the
row, read the agenda, render the template, WeasyPrint with PDF/UA-1, SHA-256, store the file,
record it), against WeasyPrint alone on the same HTML with the same fetcher and variant,
interleaved (one of each per round) so that a machine shared with other work slows both
alike. Goals: at least 15 pages per second through the task, at most 1.2× WeasyPrint
alone.
"""

import datetime
import logging
import os
import statistics
import tempfile
import time

from django.test import override_settings
from django.utils import timezone

from councils.models import Council
from meetings.models import AgendaItem, Attachment, AttachmentVersion, Meeting
from rus.models import FocusArea, StrategicPlan, Strategy, SustainabilityGoal
from tests.factories import make_council, make_organisation, make_person
from tests.meetings.factories import make_meeting

ITEMS = int(os.environ.get("BENCH_AGENDA_ITEMS", "100"))
REPEAT = int(os.environ.get("BENCH_AGENDA_REPEAT", "5"))


def build_agenda(items=ITEMS):
    """An approved agenda of `items` items (standing items included) as a secretariat writes
    them: kind, RUS link, presenter, proposer, background, Agenda 2030 goals, attachments."""
    council = make_council(name="Regionala samverkansrådet (bench)", kind=Council.Kind.REGIONAL)
    strategy = Strategy.objects.create(name="RUS bench", start_year=2020, end_year=2030)
    plan = StrategicPlan.objects.create(
        strategy=strategy,
        year=timezone.localdate().year,
        status=StrategicPlan.Status.ADOPTED,
        adopted_on=datetime.date(2025, 1, 1),
    )
    focus_area = FocusArea.objects.create(
        plan=plan, title="Strategisk finansiering", vision_2030="."
    )
    organisation = make_organisation("Bench kommun")
    presenter = make_person(given_name="Bengt", organisation=organisation)
    goals = list(SustainabilityGoal.objects.all()[:3])
    meeting = make_meeting(council, days_ahead=20, hours=8, status=Meeting.Status.AGENDA_APPROVED)
    meeting.agenda_approved_at = timezone.now()
    meeting.save(update_fields=["agenda_approved_at"])
    standing = meeting.items.count()
    created = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=10 + i,
            title=f"Punkt {i}: regional utveckling och kompetensförsörjning i länet",
            kind=AgendaItem.Kind.POSITION if i % 2 else AgendaItem.Kind.INFORMATION,
            focus_area=focus_area,
            background="Bakgrund till ärendet, med åäö och siffror 2030. " * 6,
            questions="Hur ställer sig rådet till förslaget?" if i % 2 else "",
            presenter=presenter if i % 3 else None,
            presenter_name="" if i % 3 else "Extern Föredragande",
            presenter_email="" if i % 3 else "extern@example.org",
            proposing_organisation=organisation,
            estimated_minutes=5,
        )
        for i in range(items - standing)
    )
    for item in created:
        item.goals.set(goals)
        attachment = Attachment.objects.create(item=item, title=f"Underlag {item.title}")
        AttachmentVersion.objects.create(
            attachment=attachment,
            number=1,
            file=f"agenda/bench/underlag-{item.pk}.docx",
            original_name="underlag.docx",
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            size=12345,
        )
    from meetings.services.agenda import renumber

    renumber(meeting=meeting)
    return Meeting.objects.get(pk=meeting.pk)


def _timed(func):
    """Wall and CPU time of one call, in ms (the CPU time of this process: on a machine shared
    with other work the wall time says more about the neighbours than about the PDF)."""
    started, cpu = time.perf_counter(), time.process_time()
    func()
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000


def run():
    from weasyprint import HTML

    from meetings import documents, pdf
    from rus.documents.models import RenderedDocument, RenderStatus
    from rus.tasks import render_document

    logging.getLogger("celery").setLevel(logging.WARNING)  # no line per eager task
    results = {}
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        meeting = build_agenda()
        results["agenda_items"] = meeting.items.count()
        runs = iter(range(1000))

        def through_the_task():
            document = RenderedDocument.objects.create(
                kind=documents.AGENDA_KIND,
                object_key=str(meeting.pk),
                version_key=f"bench-{next(runs)}",
            )
            assert render_document.apply((document.pk,)).get() == "done"

        html = pdf.agenda_html(meeting)

        def weasyprint_alone():
            HTML(
                string=html, base_url=pdf.STATIC_SCHEME, url_fetcher=pdf.StaticOnlyURLFetcher()
            ).write_pdf(pdf_variant=pdf.PDF_VARIANT)

        through_the_task()
        weasyprint_alone()
        task_runs, alone_runs = [], []
        for _ in range(REPEAT):
            task_runs.append(_timed(through_the_task))
            alone_runs.append(_timed(weasyprint_alone))
        document = RenderedDocument.objects.filter(status=RenderStatus.DONE).latest("finished_at")
        task = statistics.median(wall for wall, _cpu in task_runs)
        alone = statistics.median(wall for wall, _cpu in alone_runs)
        task_cpu = statistics.median(cpu for _wall, cpu in task_runs)
        alone_cpu = statistics.median(cpu for _wall, cpu in alone_runs)
        pages = document.page_count
        results.update(
            {
                "pdf_pages": pages,
                "pdf_kb": round(document.size / 1024, 1),
                "pdf_task_median_ms": round(task, 1),
                "pdf_weasyprint_alone_median_ms": round(alone, 1),
                "pdf_pages_per_s": round(pages / (task / 1000), 1),
                "pdf_task_vs_weasyprint": round(task / alone, 2),
                "pdf_task_cpu_ms": round(task_cpu, 1),
                "pdf_weasyprint_alone_cpu_ms": round(alone_cpu, 1),
                "pdf_pages_per_cpu_s": round(pages / (task_cpu / 1000), 1),
                "pdf_task_vs_weasyprint_cpu": round(task_cpu / alone_cpu, 2),
            }
        )
    return results
