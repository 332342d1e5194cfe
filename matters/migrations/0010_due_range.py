"""Deadline.earliest_due / latest_due: the range of due dates a window has had, for the indicator
tallies' staleness rule. Existing windows start with their current due date; the indicators
migration after this one drops the tallies' marks, so nothing tallied before this knew a due date
outside it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("matters", "0009_unit_queue_cover")]

    operations = [
        migrations.AddField("deadline", "earliest_due", models.DateField(null=True)),
        migrations.AddField("deadline", "latest_due", models.DateField(null=True)),
        migrations.RunSQL("UPDATE matters_deadline SET earliest_due = due, latest_due = due", migrations.RunSQL.noop),
        migrations.AlterField("deadline", "earliest_due", models.DateField()),
        migrations.AlterField("deadline", "latest_due", models.DateField()),
    ]
