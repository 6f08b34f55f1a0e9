import django.contrib.postgres.indexes
from django.db import migrations, models

from search.operations import PostgreSQLOnly


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=40, unique=True)),
            ],
            options={
                "verbose_name": "sökord",
                "verbose_name_plural": "sökord",
            },
        ),
        PostgreSQLOnly(
            migrations.AddIndex(
                model_name="searchword",
                index=django.contrib.postgres.indexes.GinIndex(fields=["word"], opclasses=["gin_trgm_ops"], name="search_word_trgm"),
            )
        ),
    ]
