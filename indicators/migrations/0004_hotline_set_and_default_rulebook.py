from django.db import migrations

from indicators.defaults import HOTLINE_DEFINITIONS, create_defaults, create_rulebook


def create(apps, schema_editor):
    definition = apps.get_model("indicators", "IndicatorDefinition")
    create_defaults(definition, HOTLINE_DEFINITIONS)
    create_rulebook(apps.get_model("indicators", "Rulebook"), apps.get_model("indicators", "RuleLine"), definition)


def remove(apps, schema_editor):
    apps.get_model("indicators", "Rulebook").objects.all().delete()
    apps.get_model("indicators", "IndicatorDefinition").objects.filter(
        key__in=[row["key"] for row in HOTLINE_DEFINITIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_sets_and_rulebook")]

    operations = [migrations.RunPython(create, remove)]
