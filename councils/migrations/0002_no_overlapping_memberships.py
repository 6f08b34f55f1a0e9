"""On PostgreSQL the database itself refuses overlapping memberships of one person in one council
with the same role (an exclusion constraint over the date range). SQLite, the embedded default,
has no such constraint: there Membership.clean() and the one-open-membership constraint hold."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE councils_membership ADD CONSTRAINT membership_no_overlap
EXCLUDE USING gist (
    person_id WITH =, council_id WITH =, role WITH =,
    daterange(start_date, end_date, '[)') WITH &&
);
"""
DROP = "ALTER TABLE councils_membership DROP CONSTRAINT IF EXISTS membership_no_overlap;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("councils", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
