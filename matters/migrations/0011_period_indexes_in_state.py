"""The indicators' period-column indexes (created by indicators 0006 in plain SQL) become part of
the models, so a table remade by a later migration on SQLite keeps them: 0010 remade the deadline
table and dropped two of them. Created here if missing, and known to the state from now on."""

from django.db import migrations, models

INDEXES = [
    ("deadline", models.Index(fields=["due"], name="ind_deadline_due"), "matters_deadline", "due"),
    ("deadline", models.Index(fields=["start"], name="ind_deadline_start"), "matters_deadline", "start"),
    ("matter", models.Index(fields=["closed_at"], name="ind_matter_closed_at"), "matters_matter", "closed_at"),
]


class Migration(migrations.Migration):
    dependencies = [("matters", "0010_due_range"), ("indicators", "0006_period_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {index.name} ON {table} ({column})",
                                                   f"DROP INDEX IF EXISTS {index.name}")
                                 for _model, index, table, column in INDEXES],
            state_operations=[migrations.AddIndex(model, index) for model, index, _table, _column in INDEXES],
        )
    ]
