import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.contrib.postgres.operations import BtreeGinExtension
from django.db import migrations, models

from search.operations import PostgreSQLOnly


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0002_searchword"),
    ]

    operations = [
        # btree_gin lets the typo pass's GIN index hold the word's length beside its trigrams;
        # CreateExtension does nothing on SQLite.
        BtreeGinExtension(),
        PostgreSQLOnly(
            migrations.RemoveIndex(
                model_name="searchword",
                name="search_word_trgm",
            )
        ),
        PostgreSQLOnly(
            migrations.AddIndex(
                model_name="searchword",
                index=django.contrib.postgres.indexes.GinIndex(
                    django.db.models.functions.text.Length("word"),
                    django.contrib.postgres.indexes.OpClass(models.F("word"), name="gin_trgm_ops"),
                    name="search_word_length_trgm",
                ),
            )
        ),
    ]
