"""The event log (§12): append-only rows, each sealed with the hash of the one before it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

GENESIS_HASH = "0" * 64


class Event(models.Model):
    """One thing that happened: who, from which unit, when, what, before and after, why."""

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=100, blank=True, help_text="who, when not a staff user (petitioner, system)")
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    verb = models.CharField(max_length=50)
    target_type = models.CharField(max_length=50, blank=True)
    target_id = models.BigIntegerField(null=True, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["target_type", "target_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.verb} {self.target_type}:{self.target_id}"
