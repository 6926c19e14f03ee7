"""The suite runs on the database it was asked to run on (CI runs it on SQLite, then on PostgreSQL).

``STOA_EXPECT_DB_VENDOR`` (set by .ci/run) names the vendor the run must use; without it, the
vendor must follow ``DATABASE_URL``: PostgreSQL for a postgres:// URL, SQLite when it is unset.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.db import connection


def expected_vendor() -> str:
    wanted = os.environ.get("STOA_EXPECT_DB_VENDOR")
    if wanted:
        return wanted
    url = os.environ.get("DATABASE_URL", "")
    return "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"


def test_the_suite_uses_the_expected_database(db: Any) -> None:
    assert connection.vendor == expected_vendor()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    assert version
    print(f"database: {connection.vendor} {version}")


@pytest.mark.skipif(expected_vendor() != "postgresql", reason="prepared statements are PostgreSQL's")
def test_postgresql_prepares_a_query_the_connection_repeats(db: Any) -> None:
    """With ``DB_PREPARE_THRESHOLD`` (default 2) the server parses and plans a repeated query once."""
    from stoa.accounts.models import Organisation

    assert connection.settings_dict["OPTIONS"].get("server_side_binding") is True
    for _ in range(3):
        list(Organisation.objects.filter(name="no such organisation"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "accounts_organisation"' in sql for sql in prepared), prepared
