from django.db import migrations

from documents.default_templates import create_default_templates


def create(apps, schema_editor):
    create_default_templates(apps.get_model("documents", "DocumentTemplate"))


def remove(apps, schema_editor):
    apps.get_model("documents", "DocumentTemplate").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
