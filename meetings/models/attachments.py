import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .agenda import AgendaItem


def attachment_upload_to(instance, filename):
    """A path nobody can guess; the file is served only through a view that checks rights."""
    return f"agenda/{secrets.token_urlsafe(24)}/{filename}"


class Attachment(models.Model):
    """A document attached to an agenda item (R12 c). Replacing the file adds a version."""

    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("dagordningspunkt"),
    )
    title = models.CharField(_("rubrik"), max_length=250)
    created_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uppladdad av"),
    )

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        ordering = ["item", "created_at", "id"]

    def __str__(self):
        return self.title

    @property
    def current_version(self):
        """The newest version; works on prefetched `versions` without a query."""
        versions = list(self.versions.all())
        return max(versions, key=lambda v: v.number) if versions else None

    @property
    def earlier_versions(self):
        current = self.current_version
        return sorted(
            (v for v in self.versions.all() if current and v.pk != current.pk),
            key=lambda v: v.number,
            reverse=True,
        )


class AttachmentVersion(models.Model):
    """One uploaded file of an attachment; earlier versions stay available."""

    attachment = models.ForeignKey(
        Attachment, on_delete=models.CASCADE, related_name="versions", verbose_name=_("bilaga")
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("fil"), upload_to=attachment_upload_to, max_length=300)
    original_name = models.CharField(_("filnamn"), max_length=200)
    content_type = models.CharField(_("innehållstyp"), max_length=120)
    size = models.PositiveBigIntegerField(_("storlek (byte)"))
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uppladdad av"),
    )

    class Meta:
        verbose_name = _("bilageversion")
        verbose_name_plural = _("bilageversioner")
        ordering = ["attachment", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["attachment", "number"], name="unique_attachment_version_number"
            ),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="version_from_one"),
        ]

    def __str__(self):
        return f"{self.original_name} (v{self.number})"
