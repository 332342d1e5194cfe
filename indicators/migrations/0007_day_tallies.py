"""Month tallies become month and day tallies. Tallies are derived data: the old rows go, and the
worker's next refresh (or ``refresh_indicator_tallies``) counts months and days anew; until then
every figure is counted live, as before any refresh."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0006_period_indexes'),
        ('org', '0002_unit_short_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='TalliedBucket',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=32)),
                ('span', models.CharField(choices=[('month', 'month'), ('day', 'day')], max_length=5)),
                ('start', models.DateField()),
                ('computed_seq', models.PositiveBigIntegerField()),
            ],
        ),
        migrations.CreateModel(
            name='Tally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=32)),
                ('span', models.CharField(choices=[('month', 'month'), ('day', 'day')], max_length=5)),
                ('start', models.DateField(help_text='the day, or the first day of the month')),
                ('handling_kind', models.CharField(max_length=20)),
                ('count', models.PositiveIntegerField()),
            ],
        ),
        migrations.RemoveField(
            model_name='monthlytally',
            name='handling_unit',
        ),
        migrations.RemoveField(
            model_name='monthlytally',
            name='intake_unit',
        ),
        migrations.DeleteModel(
            name='TallyMonth',
        ),
        migrations.AddConstraint(
            model_name='talliedbucket',
            constraint=models.UniqueConstraint(fields=('key', 'span', 'start'), name='one_tally_per_key_and_bucket'),
        ),
        migrations.AddField(
            model_name='tally',
            name='handling_unit',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='org.unit'),
        ),
        migrations.AddField(
            model_name='tally',
            name='intake_unit',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='org.unit'),
        ),
        migrations.DeleteModel(
            name='MonthlyTally',
        ),
        migrations.AddIndex(
            model_name='tally',
            index=models.Index(fields=['key', 'span', 'start'], name='indicators__key_1a923f_idx'),
        ),
    ]
