"""The event table refuses UPDATE and DELETE at the database, whatever the application does."""

from django.db import migrations

from audit.triggers import install_sql, remove_sql


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    for sql in install_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    for sql in remove_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]
    operations = [migrations.RunPython(install, remove)]
