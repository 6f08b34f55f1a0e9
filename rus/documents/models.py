"""`RenderedDocument`: one generated file of one version of something (see the package)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RenderStatus(models.TextChoices):
    QUEUED = "queued", _("Väntar")
    RENDERING = "rendering", _("Skapas")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Misslyckades")


def document_path(document, filename):
    """documents/<kind>/<object key>/<version key>/<file name>: one place per version, so a
    repeated render replaces its own file instead of adding a second one."""
    return f"documents/{document.kind}/{document.object_key}/{document.version_key}/{filename}"


class RenderedDocumentQuerySet(models.QuerySet):
    def for_object(self, kind, object_key):
        return self.filter(kind=kind, object_key=str(object_key))

    def done(self):
        return self.filter(status=RenderStatus.DONE)

    def latest_for(self, kind, object_key):
        """The newest version's row of one object (None before any was asked for)."""
        return self.for_object(kind, object_key).order_by("-created_at", "-id").first()


class RenderedDocument(models.Model):
    """One rendered file: queued → rendering → done; or failed (then it can be rendered again).

    `kind` names the renderer (rus.documents.registry); `object_key` the thing rendered (a
    protocol's id …) and `version_key` its version: the three are unique together, so a version
    is rendered once whoever asks and however often its task runs.
    """

    kind = models.CharField(_("typ"), max_length=50)
    object_key = models.CharField(_("objekt"), max_length=100)
    version_key = models.CharField(_("version"), max_length=100)
    status = models.CharField(
        _("status"), max_length=20, choices=RenderStatus, default=RenderStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    # Why the last attempt failed, in Swedish, with the technical detail after it.
    last_error = models.TextField(_("senaste fel"), blank=True)
    file = models.FileField(_("fil"), upload_to=document_path, max_length=400, blank=True)
    filename = models.CharField(_("filnamn"), max_length=200, blank=True)
    content_type = models.CharField(_("filtyp"), max_length=100, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("storlek (byte)"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("antal sidor"), null=True, blank=True)
    created_at = models.DateTimeField(_("beställd"), default=timezone.now)
    # Set when a render task was published (or a retry is due); a queued row without it
    # waits for the sweep.
    enqueued_at = models.DateTimeField(_("lagd i kö"), null=True, blank=True)
    rendering_since = models.DateTimeField(_("skapas sedan"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    objects = RenderedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("skapat dokument")
        verbose_name_plural = _("skapade dokument")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_key", "version_key"], name="one_document_per_version"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(sha256=""), name="done_document_has_checksum"
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "enqueued_at"],
                condition=Q(status__in=["queued", "rendering"]),
                name="document_waiting",
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.object_key} ({self.version_key}): {self.get_status_display()}"

    @property
    def is_done(self):
        return self.status == RenderStatus.DONE

    @property
    def is_failed(self):
        return self.status == RenderStatus.FAILED

    @property
    def is_pending(self):
        return self.status in (RenderStatus.QUEUED, RenderStatus.RENDERING)
