"""Keeping the index current: write the `SearchDocument` rows of some objects of one kind.

The owning apps call `schedule(kind, pk)` when something changes (from post_save/post_delete
receivers they connect in their `ready()`: the index is a derived copy, not domain flow, and a
receiver catches every write path — services, the admin, the shell — where a hook in each
service would miss some). The work runs when the transaction commits, so a rolled-back change
leaves the index alone, and it reads the source again, so running it twice is harmless.

Rows made in bulk (`bulk_create`, the demo, the benchmark) send no signals:
`manage.py reindex_search` rebuilds everything.
"""

import logging

from django.contrib.postgres.search import SearchVector, SearchVectorCombinable, SearchVectorField
from django.db import connection, transaction
from django.db.models import F, Func
from django.db.models.functions import Left

from . import registry
from .models import SearchDocument, SearchWord

logger = logging.getLogger(__name__)

# A tsvector holds at most 1 MB; a file's text beyond this is not indexed (the rest of a very
# long document adds little to finding it).
MAX_BODY = 300_000
BATCH = 500

FIELDS = [
    "title",
    "emphasis",
    "body",
    "body_weight",
    "url",
    "public_url",
    "context",
    "council_id",
    "meeting_id",
    "protocol_id",
    "presenter_id",
    "organisation_id",
    "person_id",
    "focus_area_id",
    "year",
    "date",
]


def uses_postgres():
    return connection.vendor == "postgresql"


class WeightedByColumn(SearchVectorCombinable, Func):
    """setweight(vector, "body_weight"): the weight each row names (C, or D for file text)."""

    function = "setweight"
    template = '%(function)s(%(expressions)s::"char")'
    output_field = SearchVectorField()

    def __init__(self, vector, weight_column):
        super().__init__(vector, F(weight_column))
        self.config = vector.config


# The start of the body that ranks (SearchDocument.rank_vector): a paragraph or two, so that
# the vector stays small enough to be stored in the row itself.
RANKED_BODY = 600


def vector(body=None):
    """title A, emphasis (a position's text) B, body C — or D for a file's text."""
    return (
        SearchVector("title", weight="A", config="swedish")
        + SearchVector("emphasis", weight="B", config="swedish")
        + WeightedByColumn(SearchVector(body or "body", config="swedish"), "body_weight")
    )


def rank_vector():
    return vector(Left("body", RANKED_BODY))


def _row(document):
    return SearchDocument(
        kind=document.kind,
        object_id=document.object_id,
        title=document.title[:500],
        emphasis=document.emphasis,
        body=document.body[:MAX_BODY],
        body_weight=document.body_weight,
        url=document.url,
        public_url=document.public_url,
        context=document.context[:500],
        council_id=document.council_id,
        meeting_id=document.meeting_id,
        protocol_id=document.protocol_id,
        presenter_id=document.presenter_id,
        organisation_id=document.organisation_id,
        person_id=document.person_id,
        focus_area_id=document.focus_area_id,
        year=document.year,
        date=document.date,
    )


def _write(rows):
    SearchDocument.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=[*FIELDS, "indexed_at"],
    )
    if uses_postgres() and rows:
        written = SearchDocument.objects.filter(
            kind=rows[0].kind, object_id__in=[row.object_id for row in rows]
        )
        written.update(search_vector=vector(), rank_vector=rank_vector())
        _add_words(list(written.values_list("pk", flat=True)))


def _add_words(pks):
    """The distinct words of these rows into the typo pass's dictionary (`SearchWord`)."""
    if not pks:
        return
    ids = ",".join(str(int(pk)) for pk in pks)
    documents = (
        "SELECT to_tsvector('simple', title || ' ' || emphasis || ' ' || body) "
        f"FROM {SearchDocument._meta.db_table} WHERE id IN ({ids})"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {SearchWord._meta.db_table} (word) "
            "SELECT word FROM ts_stat(%s) WHERE word ~ '^[[:alpha:]]{4,40}$' "
            "ON CONFLICT (word) DO NOTHING",
            [documents],
        )


@transaction.atomic
def index(kind_name, pks):
    """Write the index rows of these objects of one kind; delete those that are gone (or no
    longer searchable). Idempotent."""
    pks = list(pks)
    kind = registry.get(kind_name)
    documents = list(kind.documents(pks))
    found = {document.object_id for document in documents}
    SearchDocument.objects.filter(kind=kind_name, object_id__in=set(pks) - found).delete()
    for start in range(0, len(documents), BATCH):
        _write([_row(document) for document in documents[start : start + BATCH]])
    return len(documents)


def remove(kind_name, pks):
    SearchDocument.objects.filter(kind=kind_name, object_id__in=list(pks)).delete()


def on_commit(refresh):
    """Run `refresh` when the current transaction commits (at once outside one). A failure is
    logged and does not undo the change the user made: `reindex_search` repairs the index."""
    transaction.on_commit(refresh, robust=True)


def schedule(kind_name, pk):
    """Index one object when the current transaction commits."""
    on_commit(lambda: index(kind_name, [pk]))


def schedule_removal(kind_name, pk):
    on_commit(lambda: remove(kind_name, [pk]))


def tidy():
    """VACUUM ANALYZE the index's tables, after a rebuild (`reindex_search`; PostgreSQL, and
    only outside a transaction, where VACUUM can run).

    A rebuild leaves the old version of every row behind (each row is written, then its
    vectors), the GIN index's pending list full of the new rows' words (read through by every
    search until it is merged), and no statistics on the new vectors. Autovacuum comes by
    eventually; until then the benchmark's searches took half as long again (p95 33 → 51 ms
    on the busy development machine)."""
    if not uses_postgres() or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"VACUUM (ANALYZE) {SearchDocument._meta.db_table}, {SearchWord._meta.db_table}"
        )


def reindex_all(*, progress=None):
    """Rebuild the whole index, kind by kind. `progress(kind, done, total)` after each batch.
    Returns the number of rows written."""
    written = 0
    SearchWord.objects.all().delete()
    for kind in registry.kinds():
        documents = list(kind.documents(None))
        with transaction.atomic():
            SearchDocument.objects.filter(kind=kind.name).delete()
            for start in range(0, len(documents), BATCH):
                batch = documents[start : start + BATCH]
                _write([_row(document) for document in batch])
                written += len(batch)
                if progress is not None:
                    progress(kind, start + len(batch), len(documents))
        if progress is not None and not documents:
            progress(kind, 0, 0)
    return written
