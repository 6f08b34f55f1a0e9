"""The database refuses every change to an adjusted protocol (R8): UPDATE and DELETE of its
rows, and INSERT of new rows under it, whoever writes (a view, the admin, a `QuerySet.update()`,
raw SQL). The models refuse the same first, in Swedish (protocols.models.ProtocolLocked); this
holds when they are bypassed.

One function for every table; its arguments say how a row finds its protocol ("self" for the
protocol itself, "protocol" through protocol_id, "entry" through entry_id) and which link
columns may be cleared on an adjusted protocol's row: those that point outside the protocol
with ON DELETE SET NULL (a deleted user or person), so that deleting one does not fail; the
protocol keeps the name it recorded.

PostgreSQL only (the SQLite of a first local run has the models' refusal alone).
"""

from django.db import migrations

FUNCTION = r"""
CREATE OR REPLACE FUNCTION protocols_refuse_adjusted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    shape text := TG_ARGV[0];
    old_row jsonb;
    new_row jsonb;
    stripped_old jsonb;
    stripped_new jsonb;
    clearing_only boolean := true;
    link text;
    i integer;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        old_row := to_jsonb(OLD);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        new_row := to_jsonb(NEW);
    END IF;

    IF TG_OP = 'UPDATE' THEN
        stripped_old := old_row;
        stripped_new := new_row;
        FOR i IN 1 .. TG_NARGS - 1 LOOP
            link := TG_ARGV[i];
            IF (new_row -> link) IS DISTINCT FROM (old_row -> link)
               AND (new_row -> link) <> 'null'::jsonb THEN
                clearing_only := false;
            END IF;
            stripped_old := stripped_old - link;
            stripped_new := stripped_new - link;
        END LOOP;
        IF clearing_only AND stripped_old = stripped_new THEN
            RETURN NEW;
        END IF;
    END IF;

    IF protocols_row_adjusted(shape, CASE WHEN TG_OP = 'INSERT' THEN new_row ELSE old_row END)
       OR (TG_OP = 'UPDATE' AND shape <> 'self' AND protocols_row_adjusted(shape, new_row)) THEN
        RAISE EXCEPTION 'Protokollet är justerat och kan inte ändras (% på %).', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END IF;

    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION protocols_row_adjusted(shape text, row_data jsonb) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF shape = 'self' THEN
        RETURN row_data ->> 'status' = 'adjusted';
    ELSIF shape = 'protocol' THEN
        RETURN EXISTS (
            SELECT 1 FROM protocols_protocol p
            WHERE p.id = (row_data ->> 'protocol_id')::bigint AND p.status = 'adjusted'
        );
    ELSE
        RETURN EXISTS (
            SELECT 1 FROM protocols_protocolentry e
            JOIN protocols_protocol p ON p.id = e.protocol_id
            WHERE e.id = (row_data ->> 'entry_id')::bigint AND p.status = 'adjusted'
        );
    END IF;
END
$$;
"""

# table: (shape, link columns a deleted outside row may clear)
TABLES = {
    "protocols_protocol": ("self", "opened_by_id", "sent_by_id"),
    "protocols_protocolentry": ("protocol", "agenda_item_id", "returned_proposal_id"),
    "protocols_attendance": ("protocol", "person_id", "membership_id", "organisation_id"),
    "protocols_dissent": ("entry", "person_id", "review_id"),
    "protocols_withdrawndissent": ("entry", "review_id"),
    "protocols_homedecision": ("entry", "organisation_id"),
    "protocols_signatory": ("protocol", "person_id", "approved_by_id"),
    "protocols_justeringevent": ("protocol", "user_id"),
    "protocols_justeringcomment": ("protocol", "author_id", "answered_by_id"),
}


def _triggers():
    statements = []
    for table, args in TABLES.items():
        quoted = ", ".join(f"'{arg}'" for arg in args)
        statements.append(
            f"CREATE TRIGGER {table}_adjusted BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION protocols_refuse_adjusted({quoted});"
        )
    return "\n".join(statements)


FORWARD = FUNCTION + _triggers()
BACKWARD = "\n".join(f"DROP TRIGGER IF EXISTS {table}_adjusted ON {table};" for table in TABLES) + (
    "\nDROP FUNCTION IF EXISTS protocols_refuse_adjusted();"
    "\nDROP FUNCTION IF EXISTS protocols_row_adjusted(text, jsonb);"
)


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL on PostgreSQL; nothing elsewhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("protocols", "0003_justering")]

    operations = [PostgreSQLOnly(FORWARD, BACKWARD)]
