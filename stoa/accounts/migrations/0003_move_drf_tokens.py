"""Carry REST framework's single per-user tokens over to named tokens, then drop their table.

``rest_framework.authtoken`` is no longer installed: its table is read with plain SQL when an older
installation still has it. Each key keeps working (its hash is stored); the plain key is dropped.
"""

import hashlib

from django.db import migrations

OLD_TABLE = "authtoken_token"


def move_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    quoted = schema_editor.quote_name(OLD_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT user_id, {schema_editor.quote_name('key')}, created FROM {quoted}")  # noqa: S608
        rows = cursor.fetchall()
    for user_id, key, created in rows:
        token = ApiToken.objects.create(user_id=user_id, name="API token (before named tokens)", prefix=key[:8],
                                        key_hash=hashlib.sha256(key.encode()).hexdigest())
        ApiToken.objects.filter(pk=token.pk).update(created_at=created)
    schema_editor.execute(f"DROP TABLE {quoted}")


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_two_factor_and_api_tokens"),
    ]

    operations = [
        migrations.RunPython(move_tokens, migrations.RunPython.noop),
    ]
