"""Case folding for the embedded SQLite default's containment search.

SQLite's LIKE and LOWER() fold only the letters A–Z, so "östersund" would not find "Östersund".
Each SQLite connection gets Python's `str.lower` as an SQL function (registered in
`search.apps` when Django opens the connection); PostgreSQL's own LOWER() knows every letter.
"""

from django.db.models import Func, TextField

SQL_FUNCTION = "samverkan_lower"


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def register(dbapi_connection):
    """Give one sqlite3 connection the SQL function `samverkan_lower(text)`."""
    dbapi_connection.create_function(SQL_FUNCTION, 1, _lower, deterministic=True)


def on_connection_created(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        register(connection.connection)


class Folded(Func):
    """An expression lower-cased for a case-insensitive comparison, on either database."""

    function = "LOWER"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function=SQL_FUNCTION, **extra_context)
