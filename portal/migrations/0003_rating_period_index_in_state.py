"""The rating-time index the indicators count by (created by indicators 0006 in plain SQL) becomes
part of the model, so a table remade on SQLite keeps it; created here if missing."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_default_guide"), ("indicators", "0006_period_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL("CREATE INDEX IF NOT EXISTS ind_rating_rated_at ON portal_rating (rated_at)",
                                                   "DROP INDEX IF EXISTS ind_rating_rated_at")],
            state_operations=[migrations.AddIndex("rating", models.Index(fields=["rated_at"], name="ind_rating_rated_at"))],
        )
    ]
