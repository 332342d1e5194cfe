"""Login throttling, and the retention policy of petitioners' personal information (个人信息保护法)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from deadlines.models import SingleRowPolicy


class LoginPolicy(SingleRowPolicy):
    """How many failed logins lock a username or an address, and for how long."""

    max_failures = models.PositiveSmallIntegerField(
        default=5, help_text=_("failed logins for one username within the window that lock it"))
    max_failures_per_ip = models.PositiveSmallIntegerField(
        default=20, help_text=_("failed logins from one address within the window that lock it"))
    window_minutes = models.PositiveSmallIntegerField(default=15, help_text=_("the window failures are counted in"))
    lockout_minutes = models.PositiveSmallIntegerField(default=15, help_text=_("how long a lockout lasts"))

    class Meta:
        verbose_name_plural = "login policy"

    def __str__(self) -> str:
        return "login policy"


class FailedLogin(models.Model):
    """One refused password; counting data only, removed after a successful login or a lift."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.CharField(max_length=45, blank=True, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.username} from {self.ip or '?'} at {self.at}"


class LockoutKind(models.TextChoices):
    USERNAME = "username", _("Username")
    IP = "ip", _("Address")


class Lockout(models.Model):
    kind = models.CharField(max_length=10, choices=LockoutKind.choices)
    value = models.CharField(max_length=150)
    locked_at = models.DateTimeField()
    locked_until = models.DateTimeField()
    failures = models.PositiveSmallIntegerField()
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        ordering = ["-locked_at", "-id"]
        indexes = [models.Index(fields=["kind", "value", "locked_until"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.value} until {self.locked_until}"


class RetentionPolicy(SingleRowPolicy):
    """How long petitioners' personal information is kept after their last matter closed.

    Five years by default: the archive rules for petition files (信访档案) keep ordinary files for
    at least that long after a matter ends, and a review or a repeat petition may still need the
    identity within that time. After it the identity is erased, the matters and statistics stay.
    """

    years_after_closing = models.PositiveSmallIntegerField(
        default=5, help_text=_("years after the petitioner's last matter closed before the personal data is erased"))

    class Meta:
        verbose_name_plural = "retention policy"

    def __str__(self) -> str:
        return "retention policy"


class ErasedPetitioner(models.Model):
    """A petitioner whose personal data was erased; the matters keep pointing at the row."""

    petitioner = models.OneToOneField("matters.Petitioner", on_delete=models.CASCADE, related_name="+")
    erased_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"petitioner #{self.petitioner_id} erased {self.erased_at}"
