"""The search index: one row per searchable thing, whatever app it belongs to.

Why one table rather than a `search_vector` column on every searchable model:

- One query answers a search across every kind, ranked together, with the counts per kind the
  page shows — no UNION over seven tables with seven rights filters.
- `search` stays the bottom layer: the owning apps hand it plain data (`search.registry`), and
  their tables get no columns, triggers or indexes that only search needs. An adjusted
  protocol's rows are immutable (a PostgreSQL trigger refuses updates), so a vector column on
  them could never be refreshed anyway.
- The rights filter works on the same few columns for every kind (council, meeting, protocol,
  presenter, organisation, person), so it runs inside the query on indexed integers.

The ids are plain integers, not foreign keys: the index knows no model above it, and a row is
rewritten (or deleted) by the indexer whenever its source changes, so it never outlives it.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """One searchable thing (a meeting, an agenda item, a §, an attachment …), with the
    columns its rights and the page's filters need.

    Weights (ranking): `title` A, `emphasis` B (a consensus position's text), `body` C, or D
    when the body is a file's extracted text (`body_weight`).
    """

    class Weight(models.TextChoices):
        C = "C", "C"
        D = "D", "D"

    kind = models.CharField(_("typ"), max_length=30)
    object_id = models.PositiveBigIntegerField(_("objekt"))

    # Rights and filters (see each kind's `visible` in the owning app's searchable.py).
    council_id = models.PositiveBigIntegerField(null=True, blank=True)
    meeting_id = models.PositiveBigIntegerField(null=True, blank=True)
    protocol_id = models.PositiveBigIntegerField(null=True, blank=True)
    presenter_id = models.PositiveBigIntegerField(null=True, blank=True)
    organisation_id = models.PositiveBigIntegerField(null=True, blank=True)
    person_id = models.PositiveBigIntegerField(null=True, blank=True)
    focus_area_id = models.PositiveBigIntegerField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    date = models.DateField(null=True, blank=True)

    title = models.CharField(_("rubrik"), max_length=500)
    emphasis = models.TextField(blank=True)
    body = models.TextField(blank=True)
    body_weight = models.CharField(max_length=1, choices=Weight, default=Weight.C)
    # Where a result leads: `url` for those who read the source where it lives, `public_url`
    # (the public archive) for everyone else who may see it.
    url = models.CharField(max_length=500, blank=True)
    public_url = models.CharField(max_length=500, blank=True)
    context = models.CharField(max_length=500, blank=True)

    # Filled on PostgreSQL by the indexer (`search.indexing`); unused on SQLite. What matches
    # is `search_vector` (the whole text, through its GIN index); what ranks is `rank_vector`,
    # the title, the position text and the start of the body: ranking reads the vector of
    # every matching row, and reading an attachment's whole (TOASTed) vector for each of
    # hundreds of matches cost more than everything else the page does.
    search_vector = SearchVectorField(null=True, editable=False)
    rank_vector = SearchVectorField(null=True, editable=False)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sökdokument")
        verbose_name_plural = _("sökdokument")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_document_per_object")
        ]
        indexes = [
            models.Index(fields=["council_id", "kind"], name="search_council_kind"),
            models.Index(fields=["meeting_id"], name="search_meeting"),
            models.Index(fields=["protocol_id"], name="search_protocol"),
            # PostgreSQL only (the migration skips it on SQLite). No trigram index on the body:
            # the typo pass compares the query with `SearchWord`, the index's distinct words,
            # not with every document's whole text (seconds on the benchmark's attachments).
            GinIndex(fields=["search_vector"], name="search_vector_gin"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.title}"


class FileText(models.Model):
    """The text extracted from one uploaded or rendered file (`search.tasks.extract_file_text`).

    Keyed by the file source's name and the file's id (`attachment_version:12`), so extracting
    twice finds the row and does nothing. `extracted` is False for a file without text we can
    read (a scanned PDF, an unknown format): it is still found by its name.
    """

    key = models.CharField(max_length=100, unique=True)
    text = models.TextField(blank=True)
    extracted = models.BooleanField(default=False)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("filtext")
        verbose_name_plural = _("filtexter")

    def __str__(self):
        return self.key


class SearchWord(models.Model):
    """Every distinct word of the index (PostgreSQL only): the dictionary the typo pass looks
    words up in, by length and trigram similarity (pg_trgm's "text search integration"). A
    table of short strings, so the similarity is cheap, where comparing the query with every
    document's whole body would not be; the corrected words then go through the full-text
    search again, with the same rights."""

    word = models.CharField(max_length=40, unique=True)

    class Meta:
        verbose_name = _("sökord")
        verbose_name_plural = _("sökord")
        indexes = [
            # The typo pass asks for words of about the query word's length and alike by
            # trigrams: one GIN index answers both (btree_gin for the length).
            GinIndex(
                Length("word"),
                OpClass(F("word"), name="gin_trgm_ops"),
                name="search_word_length_trgm",
            )
        ]

    def __str__(self):
        return self.word
