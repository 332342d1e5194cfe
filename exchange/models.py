"""Data exchange (§12): saved column mappings, import runs and the link from a source's own
work-order number to the matter it became, which makes re-import idempotent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from matters.models import Matter


class ImportMapping(models.Model):
    """A column mapping saved from the import page; the shipped ones are files in ``exchange/mappings``."""

    name = models.SlugField(max_length=50, unique=True)
    label = models.CharField(max_length=100)
    spec = models.JSONField(help_text="the same structure as the files in exchange/mappings")
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    saved_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
    SKIP_BAD_ROWS = "skip_bad_rows", _("Skip bad rows")


class ImportStatus(models.TextChoices):
    CHECKED = "checked", _("Checked (dry run)")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")
    FAILED = "failed", _("Failed")


class ImportRun(models.Model):
    """One dry run or import of one file, with its totals and every problem found."""

    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    mapping_name = models.CharField(max_length=50)
    mode = models.CharField(max_length=20, choices=ImportMode.choices)
    dry_run = models.BooleanField()
    status = models.CharField(max_length=20, choices=ImportStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    rows_present = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True, help_text="[{row, column, value, reason}, ...]")
    file_problem = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} {self.status}"


class ImportedRecord(models.Model):
    """A matter that came from another system, under that system's own id."""

    source = models.CharField(max_length=50)
    external_id = models.CharField(max_length=64)
    matter = models.OneToOneField(Matter, on_delete=models.CASCADE, related_name="imported")
    appeal_type = models.CharField(max_length=50, blank=True, help_text="诉求类型 as the source recorded it")
    source_status = models.CharField(max_length=50, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    run = models.ForeignKey(ImportRun, null=True, on_delete=models.SET_NULL, related_name="records")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="one_matter_per_source_id")]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"


class Open311Client(models.Model):
    """An application allowed to create requests through the GeoReport v2 API (its ``api_key``)."""

    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, help_text="keyed hash of the api_key; the key itself is not stored")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class Open311Request(models.Model):
    """A matter created through the GeoReport API; only these are ever shown through it."""

    matter = models.OneToOneField(Matter, on_delete=models.CASCADE, related_name="open311")
    client = models.ForeignKey(Open311Client, on_delete=models.PROTECT, related_name="requests")
    service_code = models.CharField(max_length=20)
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    media_url = models.URLField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"open311 {self.matter_id}"
