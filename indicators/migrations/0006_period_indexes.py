"""Indexes on the period columns the indicators count by, so the live part of a figure (this month,
a period's partial months, stale months) and each month's tally read only their rows. The tables
are other apps'; the indexes serve only the indicators, hence here, as plain SQL both databases take."""

from django.db import migrations

INDEXES = [
    ("ind_deadline_due", "matters_deadline", "due"),
    ("ind_deadline_start", "matters_deadline", "start"),
    ("ind_matter_closed_at", "matters_matter", "closed_at"),
    ("ind_rating_rated_at", "portal_rating", "rated_at"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0005_monthly_tallies"),
        ("matters", "0008_responded_at"),
        ("portal", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})", f"DROP INDEX IF EXISTS {name}")
        for name, table, column in INDEXES
    ]
