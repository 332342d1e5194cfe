from django.db import migrations

from matters import search


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in search.create_index_sql(vendor):
        schema_editor.execute(sql)
    Matter = apps.get_model("matters", "Matter")
    rows = Matter.objects.values_list("pk", "title", "content").iterator(chunk_size=2000)
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == 2000:
            search.index_matters(batch)
            batch = []
    search.index_matters(batch)


def drop(apps, schema_editor):
    for sql in search.drop_index_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("matters", "0003_queue_cover_index")]

    operations = [migrations.RunPython(create, drop)]
