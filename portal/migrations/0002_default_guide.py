"""The default legal-route guide (依法信访导引图). Admins edit it afterwards as data."""

from django.db import migrations

from portal.default_guide import create_default_guide


def create(apps, schema_editor):
    create_default_guide(apps.get_model("portal", "GuideNode"))


def remove(apps, schema_editor):
    apps.get_model("portal", "GuideNode").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
