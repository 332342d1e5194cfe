"""Indicator definitions as data (§7): each figure is shown beside its definition and parameters.
The assessment rulebook (考核细则) is data too, edited by admins."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorDefinition(models.Model):
    class Set(models.TextChoices):
        PETITION = "petition", _("Petition office")
        HOTLINE = "hotline", _("12345 hotline (接诉即办)")

    key = models.SlugField(unique=True, help_text="the computation this row parameterises")
    name = models.CharField(max_length=100)
    indicator_set = models.CharField(max_length=20, choices=Set.choices, default=Set.PETITION,
                                     help_text="hotline figures count only matters of the 12345 hotline channel")
    numerator = models.CharField(max_length=300)
    denominator = models.CharField(max_length=300, blank=True)
    params = models.JSONField(default=dict, blank=True, help_text='e.g. {"count_basically_satisfied": true}')
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["indicator_set", "order", "key"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_rate(self) -> bool:
        return bool(self.denominator)


class Rulebook(models.Model):
    """考核细则, in force from ``year`` until a later rulebook replaces it."""

    year = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.name


class CountKind(models.TextChoices):
    """What a deduction or bonus line counts, per unit, in the assessment year."""

    ABOVE_LEVEL = "above_level", _("Petitions above the proper level (越级)")
    TO_CAPITAL = "to_capital", _("Visits to the capital (进京)")
    OVERDUE = "overdue", _("Overdue deadlines")
    BACKLOG_SIGNED_OFF = "backlog_signed_off", _("Backlog cases signed off")


class RuleLine(models.Model):
    """One line of the rulebook: a scored indicator, a deduction or a bonus.

    A scored line gives ``points`` at or above ``target``, nothing at or below ``floor`` and a
    straight line between. A deduction or bonus gives ``per_item`` points for each counted item, at
    most ``cap``."""

    class Kind(models.TextChoices):
        SCORE = "score", _("Scored indicator")
        DEDUCTION = "deduction", _("Deduction")
        BONUS = "bonus", _("Bonus")

    rulebook = models.ForeignKey(Rulebook, on_delete=models.CASCADE, related_name="lines")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    label = models.CharField(max_length=100)
    indicator = models.ForeignKey(IndicatorDefinition, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    count = models.CharField(max_length=30, choices=CountKind.choices, blank=True)
    points = models.DecimalField(max_digits=6, decimal_places=2, default=0, help_text="full marks of a scored line")
    target = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True, help_text="e.g. 0.95")
    floor = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True, help_text="no points at or below")
    per_item = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    cap = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["rulebook", "order", "pk"]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.kind == self.Kind.SCORE:
            if self.indicator is None or not self.indicator.is_rate or self.target is None:
                raise ValidationError(_("A scored line needs a rate indicator and a target."))
            if self.floor is not None and self.floor >= self.target:
                raise ValidationError({"floor": _("The floor must lie below the target.")})
        elif not self.count:
            raise ValidationError({"count": _("A deduction or bonus counts something.")})


class Span(models.TextChoices):
    """How long a tallied stretch of days is: a calendar month, or one day (the finished days of the
    months a period only partly covers, such as this month)."""

    MONTH = "month", "month"
    DAY = "day", "day"


class Tally(models.Model):
    """How many rows of one condition (``key``: see ``tallies.Condition``) fell in one finished
    month or day, per handling unit, intake unit and handling kind: the columns the scope rule and
    the report rows filter matters on, named as on a matter so the same filters apply."""

    key = models.CharField(max_length=32)
    span = models.CharField(max_length=5, choices=Span.choices)
    start = models.DateField(help_text="the day, or the first day of the month")
    handling_unit = models.ForeignKey("org.Unit", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    intake_unit = models.ForeignKey("org.Unit", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    handling_kind = models.CharField(max_length=20)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["key", "span", "start"])]

    def __str__(self) -> str:
        return f"{self.key} {self.span} {self.start}: {self.count}"


class TalliedBucket(models.Model):
    """That a condition's month or day was tallied, and up to which audit event: a later event on
    a matter with a fact in or before it makes the tally untrusted until it is tallied again."""

    key = models.CharField(max_length=32)
    span = models.CharField(max_length=5, choices=Span.choices)
    start = models.DateField()
    computed_seq = models.PositiveBigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "span", "start"], name="one_tally_per_key_and_bucket")]

    def __str__(self) -> str:
        return f"{self.key} {self.span} {self.start} at #{self.computed_seq}"


class VolumeTally(models.Model):
    """How many matters were registered in one finished month, per handling unit, intake unit and
    handling kind (the scope rule's columns, as on ``Tally``) and per channel, top-level category
    and district (names, "" for none given): what the city overview charts and its heat table count."""

    month = models.DateField(help_text="the first day of the month")
    handling_unit = models.ForeignKey("org.Unit", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    intake_unit = models.ForeignKey("org.Unit", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    handling_kind = models.CharField(max_length=20)
    channel = models.CharField(max_length=20)
    category = models.CharField(max_length=100, blank=True)
    area = models.CharField(max_length=100, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.channel}: {self.count}"
