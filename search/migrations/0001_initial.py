import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from search.operations import PostgreSQLOnly


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        # pg_trgm for the typo pass (SearchWord); CreateExtension does nothing on SQLite. No unaccent: "ö" and "o" are different letters in Swedish.
        TrigramExtension(),
        migrations.CreateModel(
            name='FileText',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=100, unique=True)),
                ('text', models.TextField(blank=True)),
                ('extracted', models.BooleanField(default=False)),
                ('error', models.CharField(blank=True, max_length=300)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'verbose_name': 'filtext',
                'verbose_name_plural': 'filtexter',
            },
        ),
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=30, verbose_name='typ')),
                ('object_id', models.PositiveBigIntegerField(verbose_name='objekt')),
                ('council_id', models.PositiveBigIntegerField(blank=True, null=True)),
                ('meeting_id', models.PositiveBigIntegerField(blank=True, null=True)),
                ('protocol_id', models.PositiveBigIntegerField(blank=True, null=True)),
                ('presenter_id', models.PositiveBigIntegerField(blank=True, null=True)),
                ('organisation_id', models.PositiveBigIntegerField(blank=True, null=True)),
                ('person_id', models.PositiveBigIntegerField(blank=True, null=True)),
                ('focus_area_id', models.PositiveBigIntegerField(blank=True, null=True)),
                ('year', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('date', models.DateField(blank=True, null=True)),
                ('title', models.CharField(max_length=500, verbose_name='rubrik')),
                ('emphasis', models.TextField(blank=True)),
                ('body', models.TextField(blank=True)),
                ('body_weight', models.CharField(choices=[('C', 'C'), ('D', 'D')], default='C', max_length=1)),
                ('url', models.CharField(blank=True, max_length=500)),
                ('public_url', models.CharField(blank=True, max_length=500)),
                ('context', models.CharField(blank=True, max_length=500)),
                ('search_vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ('rank_vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ('indexed_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'sökdokument',
                'verbose_name_plural': 'sökdokument',
                'indexes': [models.Index(fields=['council_id', 'kind'], name='search_council_kind'), models.Index(fields=['meeting_id'], name='search_meeting'), models.Index(fields=['protocol_id'], name='search_protocol')],
                'constraints': [models.UniqueConstraint(fields=('kind', 'object_id'), name='one_document_per_object')],
            },
        ),
        PostgreSQLOnly(
            migrations.AddIndex(
                model_name='searchdocument',
                index=django.contrib.postgres.indexes.GinIndex(fields=['search_vector'], name='search_vector_gin'),
            )
        ),
    ]
