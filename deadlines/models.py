"""Calendar overrides, published holiday notices, deadline policy and local service profiles (§5)."""

from __future__ import annotations

from typing import Self

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    CALENDAR = "calendar", _("calendar days")
    WORKING = "working", _("working days")


class CalendarOverride(models.Model):
    """An admin correction of one day: a holiday or make-up workday the package does not know."""

    date = models.DateField(unique=True)
    is_workday = models.BooleanField()
    note = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'workday' if self.is_workday else 'rest day'}"


class PublishedYear(models.Model):
    """Marks that the State Council's holiday notice for ``year`` is entered in the override table,
    so deadlines in that year stop being provisional."""

    year = models.PositiveSmallIntegerField(unique=True)
    note = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return str(self.year)


class SingleRowPolicy(models.Model):
    """Settings the law leaves to policy: one row of a kind, made with its defaults when first read."""

    class Meta:
        abstract = True

    @classmethod
    def current(cls) -> Self:
        policy, _created = cls._default_manager.get_or_create(pk=1)
        return policy


class DeadlinePolicy(SingleRowPolicy):
    """Deadline settings the law leaves to policy, shown to users where they apply."""

    due_soon_fraction = models.FloatField(default=0.2, help_text=_("due soon in the last fraction of the period"))
    due_soon_min_days = models.PositiveSmallIntegerField(default=3, help_text=_("or at least this many days"))
    rest_day_rollover = models.BooleanField(default=True, help_text=_("a period ending on a rest day ends on the next working day"))
    follow_up_days = models.PositiveSmallIntegerField(default=10, help_text=_("follow-up after reply, in calendar days"))

    class Meta:
        verbose_name_plural = "deadline policy"

    def __str__(self) -> str:
        return "deadline policy"


class ServiceProfile(models.Model):
    """A local target on top of the law (e.g. first petitions answered in 21 days, 三周办结)."""

    name = models.CharField(max_length=100)
    stage = models.CharField(max_length=20, default="handling")
    days = models.PositiveSmallIntegerField()
    day_kind = models.CharField(max_length=10, choices=DayKind.choices, default=DayKind.CALENDAR)
    channel = models.CharField(max_length=20, blank=True, help_text=_("empty: every channel"))
    first_petition_only = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name
