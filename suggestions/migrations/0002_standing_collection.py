from django.db import migrations


def create_standing_call(apps, schema_editor):  # noqa: ANN001, ANN201 - migration signature
    Call = apps.get_model("suggestions", "Call")
    if not Call.objects.filter(standing=True).exists():
        Call.objects.create(topic="常态化征集", standing=True,
                            description="人民建议常年征集：围绕经济社会发展和群众关心的问题，随时可以提出意见建议。")


def remove_standing_call(apps, schema_editor):  # noqa: ANN001, ANN201
    apps.get_model("suggestions", "Call").objects.filter(standing=True, suggestions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0001_initial")]

    operations = [migrations.RunPython(create_standing_call, remove_standing_call)]
