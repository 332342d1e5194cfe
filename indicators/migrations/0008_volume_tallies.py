"""Volume tallies: matters registered per finished month by channel, category and area, for the city overview."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0007_day_tallies'),
        ('matters', '0009_unit_queue_cover'),
        ('org', '0002_unit_short_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='VolumeTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text='the first day of the month')),
                ('handling_kind', models.CharField(max_length=20)),
                ('channel', models.CharField(max_length=20)),
                ('count', models.PositiveIntegerField()),
                ('area', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='org.area')),
                ('category', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='matters.category')),
                ('handling_unit', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='org.unit')),
                ('intake_unit', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='org.unit')),
            ],
            options={
                'indexes': [models.Index(fields=['month'], name='indicators__month_f9082a_idx')],
            },
        ),
    ]
