"""Notifications: the staff inbox, and the outbox of messages to petitioners (SMS, email).

An outbox row is written in the same transaction as the change it tells of, so a message is
never lost to a crash; the worker sends it afterwards and retries a failed send with backoff.
Delivery is claim, send, record (``notify.services.deliver_pending``): a row is SENDING while one
worker holds its lease, and ``key`` goes to the provider so that a hand-over repeated after a crash
is delivered once (``notify.gateways.Gateway``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from matters.fields import EncryptedTextField
from matters.models import Matter


class InboxKind(models.TextChoices):
    ASSIGNED = "assigned", _("New assignment")
    RETURNED = "returned", _("Returned")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    RATED = "rated", _("Rated")
    SUPERVISION = "supervision", _("Supervision order")


class InboxItem(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox")
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=InboxKind.choices)
    text = models.CharField(max_length=300)
    key = models.CharField(max_length=100, help_text="one item per user and key: the same news is not told twice")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_inbox_item_per_user_and_key")]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} {self.matter_id}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    GAVE_UP = "gave_up", _("Gave up")


class OutboxMessage(models.Model):
    channel = models.CharField(max_length=10, choices=[("sms", "SMS"), ("email", "email")])
    recipient = EncryptedTextField()
    body = models.TextField()
    matter = models.ForeignKey(Matter, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100, unique=True, help_text="idempotency key, also given to the gateway")
    status = models.CharField(max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # For a SENDING row this is when its lease ends: the same due-scan then reclaims it from a dead worker.
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="when a worker last claimed it for sending")
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.channel} {self.key} {self.status}"
