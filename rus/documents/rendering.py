"""Asking for a document, rendering it once, retrying, sweeping (see the package docstring)."""

import dataclasses
import datetime
import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, override

from . import registry
from .models import RenderedDocument, RenderStatus

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Outcome:
    status: str  # "done", "skipped", "retry" or "failed"
    countdown: float | None = None

    @property
    def should_retry(self):
        return self.status == "retry"


# --- Asking -----------------------------------------------------------------------------------


def request_document(*, kind, object_key, version_key):
    """The row of this version, created queued (and its task published on commit) the first
    time it is asked for; every later call returns the same row and renders nothing."""
    registry.get(kind)  # an unknown kind is a programming error: fail here, not in the worker
    key = {"kind": kind, "object_key": str(object_key), "version_key": str(version_key)}
    document = RenderedDocument.objects.filter(**key).first()
    if document is not None:
        return document
    try:
        with transaction.atomic():
            document = RenderedDocument.objects.create(**key)
    except IntegrityError:  # asked for at the same moment elsewhere: that row is the one
        return RenderedDocument.objects.get(**key)
    publish_on_commit(document.pk)
    return document


@transaction.atomic
def rerender(*, document):
    """Render a failed document again from the start (the retry button). False when it has not
    failed (it is done, or already on its way)."""
    document = RenderedDocument.objects.select_for_update().get(pk=document.pk)
    if document.status != RenderStatus.FAILED:
        return False
    document.status = RenderStatus.QUEUED
    document.attempts = 0
    document.enqueued_at = None
    document.rendering_since = None
    document.save(update_fields=["status", "attempts", "enqueued_at", "rendering_since"])
    publish_on_commit(document.pk)
    return True


# --- Publishing -------------------------------------------------------------------------------


def _task():
    from rus.tasks import render_document

    return render_document


def publish_on_commit(document_id):
    """Publish the render task once the transaction commits. A broker that is down must not
    fail the action: the row stays queued without `enqueued_at` and the sweep publishes it."""

    def publish():
        RenderedDocument.objects.filter(pk=document_id, status=RenderStatus.QUEUED).update(
            enqueued_at=timezone.now()
        )
        try:
            _task().apply_async((document_id,))
        except Exception:  # kombu's OperationalError, or the socket error itself
            logger.warning("Broker unavailable: document %s waits for the sweep", document_id)
            RenderedDocument.objects.filter(pk=document_id, status=RenderStatus.QUEUED).update(
                enqueued_at=None
            )

    transaction.on_commit(publish)


def publish_retry(document_id, countdown):
    try:
        _task().apply_async((document_id,), countdown=countdown)
    except Exception:
        logger.warning("Broker unavailable: a document retry waits for the sweep")


def retry_countdown(failed_attempts):
    """2, 4, 8 … seconds (DOCUMENT_RETRY_BACKOFF_SECONDS doubling), capped like mail's retries
    so that a retry held by a worker never outlasts the broker's visibility timeout."""
    base = settings.DOCUMENT_RETRY_BACKOFF_SECONDS * 2 ** max(failed_attempts - 1, 0)
    return min(base, settings.MAIL_RETRY_BACKOFF_MAX_SECONDS)


# --- Rendering --------------------------------------------------------------------------------


def _abandoned(document, now):
    """A row "rendering" for longer than a task may run: its worker died."""
    limit = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    return document.rendering_since is None or document.rendering_since <= now - limit


def _claim(document_id):
    with transaction.atomic():
        document = RenderedDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status in (RenderStatus.DONE, RenderStatus.FAILED):
            return None
        now = timezone.now()
        if document.status == RenderStatus.RENDERING and not _abandoned(document, now):
            return None  # another worker is on it
        document.status = RenderStatus.RENDERING
        document.rendering_since = now
        document.attempts += 1
        document.save(update_fields=["status", "rendering_since", "attempts", "updated_at"])
    return document


def render(document_id):
    """Render one document once: claim it (committed), render, store, record. A row that is
    done, failed or being rendered by a live worker is skipped, so a task run twice makes one
    file. Returns an `Outcome`; for "retry" the caller publishes it with `countdown`."""
    document = _claim(document_id)
    if document is None:
        return Outcome("skipped")
    renderer = registry.get(document.kind)
    try:
        # Documents are content: in the site language, whoever asked for them.
        with override(settings.LANGUAGE_CODE):
            rendered = renderer.render(document)
        _store(document, rendered)
    except Exception as error:
        logger.exception("Could not render %s", document)
        return _record_failure(document_id, error)
    return Outcome("done")


def _store(document, rendered):
    storage = document.file.storage
    name = document.file.field.generate_filename(document, rendered.filename)
    # A crash after writing and before recording left this version's file: replace it, so a
    # version never has a second file.
    if storage.exists(name):
        storage.delete(name)
    with transaction.atomic():
        row = RenderedDocument.objects.select_for_update().get(pk=document.pk)
        if row.status != RenderStatus.RENDERING or row.rendering_since != document.rendering_since:
            return  # taken over by the sweep after we were presumed dead: theirs counts
        row.file.save(rendered.filename, ContentFile(rendered.content), save=False)
        row.filename = rendered.filename
        row.content_type = rendered.content_type
        row.sha256 = hashlib.sha256(rendered.content).hexdigest()
        row.size = len(rendered.content)
        row.page_count = rendered.page_count
        row.status = RenderStatus.DONE
        row.rendering_since = None
        row.finished_at = timezone.now()
        row.last_error = ""
        row.save()


def describe(error, attempt):
    with override(settings.LANGUAGE_CODE):
        reason = gettext("Försök %(attempt)s att skapa dokumentet misslyckades.") % {
            "attempt": attempt
        }
    detail = f"{type(error).__name__}: {error}"
    return f"{reason} {detail}"[:2000]


def _record_failure(document_id, error):
    with transaction.atomic():
        row = RenderedDocument.objects.select_for_update().get(pk=document_id)
        if row.status != RenderStatus.RENDERING:
            return Outcome("skipped")
        row.last_error = describe(error, row.attempts)
        row.rendering_since = None
        if row.attempts > settings.DOCUMENT_MAX_RETRIES:
            row.status = RenderStatus.FAILED
            row.finished_at = timezone.now()
            row.save()
            return Outcome("failed")
        countdown = retry_countdown(row.attempts)
        row.status = RenderStatus.QUEUED
        row.enqueued_at = timezone.now() + datetime.timedelta(seconds=countdown)
        row.save()
    return Outcome("retry", countdown)


# --- Sweeping ---------------------------------------------------------------------------------


def stale_documents(*, now=None):
    """Rows whose task was lost: queued and never published after DOCUMENT_SWEEP_AFTER_SECONDS,
    published but not run after DOCUMENT_SWEEP_STALE_SECONDS, or left "rendering" by a worker
    that died (longer than a task may run)."""
    now = now or timezone.now()
    waiting_since = now - datetime.timedelta(seconds=settings.DOCUMENT_SWEEP_AFTER_SECONDS)
    stale_since = now - datetime.timedelta(seconds=settings.DOCUMENT_SWEEP_STALE_SECONDS)
    dead_since = now - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    return RenderedDocument.objects.filter(
        Q(status=RenderStatus.QUEUED, enqueued_at__isnull=True, created_at__lte=waiting_since)
        | Q(status=RenderStatus.QUEUED, enqueued_at__lte=stale_since)
        | Q(status=RenderStatus.RENDERING, rendering_since__lte=dead_since)
    )


def sweep(*, now=None):
    """Publish every lost row's task again; returns how many."""
    ids = list(stale_documents(now=now).values_list("pk", flat=True))
    now = now or timezone.now()
    for document_id in ids:
        try:
            RenderedDocument.objects.filter(pk=document_id, status=RenderStatus.QUEUED).update(
                enqueued_at=now
            )
            _task().apply_async((document_id,))
        except Exception:  # the broker (or the database) is down: next sweep
            logger.warning("Sweep could not publish document %s", document_id, exc_info=True)
            break
    return len(ids)
