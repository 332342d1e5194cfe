from django.db import migrations

from indicators.defaults import create_defaults


def create(apps, schema_editor):
    create_defaults(apps.get_model("indicators", "IndicatorDefinition"))


def remove(apps, schema_editor):
    apps.get_model("indicators", "IndicatorDefinition").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
