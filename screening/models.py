"""Risk screening (矛盾隐患排查, §8): the reporting cadence, the periodic reports (a nil report is
a report), and the ledger of latent disputes, each closed by a sign-off (一案一册、销号办结).

Entries concern matters and places: they count the people involved and never name them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from deadlines.models import SingleRowPolicy
from matters.models import Category, Matter
from org.models import Area, Unit
from supervision.models import DatedNote


class Cadence(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class ScreeningPolicy(SingleRowPolicy):
    """How often each level reports (policy; the defaults are the work plans')."""

    community_cadence = models.CharField(_("community (社区) cadence"), max_length=10, choices=Cadence.choices,
                                         default=Cadence.DAILY)
    street_cadence = models.CharField(_("street (街道) cadence"), max_length=10, choices=Cadence.choices,
                                      default=Cadence.WEEKLY)
    district_cadence = models.CharField(_("district (区) cadence"), max_length=10, choices=Cadence.choices,
                                        default=Cadence.WEEKLY)
    city_cadence = models.CharField(_("city (市) roll-up cadence"), max_length=10, choices=Cadence.choices,
                                    default=Cadence.MONTHLY, help_text=_("the city's figures are computed, not filed"))
    grace_days = models.PositiveSmallIntegerField(
        _("grace days"), default=0, help_text=_("days after a period ends in which its report still counts as on time"))
    look_back_days = models.PositiveSmallIntegerField(
        _("look-back days"), default=14, help_text=_("missing reports are looked for in periods that ended this many days back"))

    class Meta:
        verbose_name = _("screening policy")
        verbose_name_plural = _("screening policy")

    def __str__(self) -> str:
        return "screening policy"


class ScreeningReport(models.Model):
    """One unit's report for one period: the entries it found then, or none (无新增隐患)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="screening_reports")
    cadence = models.CharField(max_length=10, choices=Cadence.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    is_nil = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    late = models.BooleanField(default=False)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField()

    class Meta:
        ordering = ["-period_start", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "period_start", "period_end"],
                                               name="one_screening_report_per_unit_and_period")]

    def __str__(self) -> str:
        return f"{self.unit} {self.period_start}–{self.period_end}"


class ScreeningReminder(models.Model):
    """A reminder that a period's report is missing, told once to each of the unit's staff.

    Kept here rather than in the inbox because an inbox item must belong to a matter."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="screening_reminders")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["user", "unit", "period_start", "period_end"],
                                               name="one_screening_reminder_per_user_unit_and_period")]

    def __str__(self) -> str:
        return f"remind {self.user_id} of {self.unit_id} {self.period_start}"


class RiskLevel(models.TextChoices):
    HIGH = "high", _("High risk")
    MEDIUM = "medium", _("Medium risk")
    LOW = "low", _("Low risk")


class EntryStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLUTION_PROPOSED = "resolution_proposed", _("Resolution proposed")
    CLOSED = "closed", _("Closed (signed off)")


class LedgerEntry(models.Model):
    """隐患台账: one latent dispute at a place, with its measures and deadline; its own dossier."""

    summary = models.CharField(_("summary"), max_length=200)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("category"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    people_involved = models.PositiveIntegerField(_("people involved"))
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    found_by_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("found by"))
    found_on = models.DateField(_("found on"))
    responsible_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="screening_entries",
                                         verbose_name=_("responsible unit"))
    measures = models.TextField(_("measures"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=20, choices=EntryStatus.choices, default=EntryStatus.OPEN)
    report = models.ForeignKey(ScreeningReport, null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    related_matters = models.ManyToManyField(Matter, blank=True, related_name="screening_entries")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    evidence = models.TextField(blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    help_text="the responsible unit when it was signed off: the level it was resolved at")

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("ledger entry")
        indexes = [models.Index(fields=["status", "deadline"]), models.Index(fields=["closed_at"])]
        constraints = [models.CheckConstraint(condition=models.Q(people_involved__gte=1), name="screening_people_involved_positive")]

    def __str__(self) -> str:
        return self.summary


class ProgressNote(DatedNote):
    entry = models.ForeignKey(LedgerEntry, on_delete=models.CASCADE, related_name="notes")


class Escalation(models.Model):
    """Handed up (上交) to the parent unit, which becomes responsible: who, when and why."""

    entry = models.ForeignKey(LedgerEntry, on_delete=models.CASCADE, related_name="escalations")
    from_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"entry {self.entry_id}: {self.from_unit_id} → {self.to_unit_id}"


class EvidenceFile(models.Model):
    """A file backing a proposed resolution, stored once by content hash."""

    entry = models.ForeignKey(LedgerEntry, on_delete=models.CASCADE, related_name="evidence_files")
    sha256 = models.CharField(max_length=64)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.filename
