"""A migration operation that changes the database on PostgreSQL only.

The GIN indexes and the pg_trgm extension exist only on PostgreSQL; `make run` migrates the
same migrations on SQLite, where they are skipped. The migration state always includes them,
so `makemigrations --check` sees the models as they are declared.
"""

from django.db.migrations.operations.base import Operation


class PostgreSQLOnly(Operation):
    reversible = True

    def __init__(self, operation):
        self.operation = operation

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.operation], {})

    def state_forwards(self, app_label, state):
        self.operation.state_forwards(app_label, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"{self.operation.describe()} (PostgreSQL only)"
