from django.db import migrations

from suggestions.standing import create_standing_call


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201 - migration signature
    create_standing_call(apps.get_model("suggestions", "Call"))


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201
    apps.get_model("suggestions", "Call").objects.filter(standing=True, suggestions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
