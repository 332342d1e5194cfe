"""Tallies made before deadlines kept their range of due dates may have counted a window at a due
date it no longer has and the range does not know: drop their marks, so the next refresh counts
every month and day again (until then figures are counted live)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("indicators", "0008_volume_tallies"), ("matters", "0010_due_range")]

    operations = [migrations.RunSQL("DELETE FROM indicators_talliedbucket", migrations.RunSQL.noop)]
