"""Volume tallies hold the top-level category and district the overview shows, not every leaf
category and area (778,060 rows for a year at 1M matters, 2 s to sum). Derived data: the table is
recreated empty and the next refresh counts it under a key that includes the roll-up."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("indicators", "0009_recount_after_due_range"), ("org", "0002_unit_short_name")]

    operations = [
        migrations.DeleteModel(name="VolumeTally"),
        migrations.CreateModel(
            name="VolumeTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField(help_text="the first day of the month")),
                ("handling_kind", models.CharField(max_length=20)),
                ("channel", models.CharField(max_length=20)),
                ("category", models.CharField(blank=True, max_length=100)),
                ("area", models.CharField(blank=True, max_length=100)),
                ("count", models.PositiveIntegerField()),
                ("handling_unit", models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="org.unit")),
                ("intake_unit", models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="org.unit")),
            ],
            options={"indexes": [models.Index(fields=["month"], name="indicators__month_f9082a_idx")]},
        ),
    ]
