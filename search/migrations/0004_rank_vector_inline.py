from django.db import migrations

from search.operations import PostgreSQLOnly


class Migration(migrations.Migration):
    """Keep `rank_vector` in the row (storage MAIN: compressed if it helps, moved out only when
    nothing else can be). Ranking reads it for every match; with the default (EXTENDED) a
    row of an agenda item or a § is long enough that PostgreSQL moved it to the TOAST table,
    and reading it back doubled the buffers a common word's search touched. Rows written
    before this take it at their next reindex (`manage.py reindex_search`)."""

    dependencies = [
        ("search", "0003_word_length_trigram_index"),
    ]

    operations = [
        PostgreSQLOnly(
            migrations.RunSQL(
                "ALTER TABLE search_searchdocument ALTER COLUMN rank_vector SET STORAGE MAIN",
                "ALTER TABLE search_searchdocument ALTER COLUMN rank_vector SET STORAGE EXTENDED",
            )
        ),
    ]
