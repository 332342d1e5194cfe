"""The public side (§10): the legal-route guide as data, and what petitioners send after submitting."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from matters.models import HandlingKind, Matter
from org.models import Unit, UnitKind


class Outcome(models.TextChoices):
    QUESTION = "", _("Another question")
    STATUTORY_ROUTE = "route", _("A statutory route (not a petition)")
    PETITION = "petition", _("The petition form")


class GuideNode(models.Model):
    """One step of the legal-route guide (依法信访导引图): a question whose answers are its
    children, or an outcome: a statutory route (诉访分离, Art. 28, 31) or the petition form with
    the kind of handling and the competent unit chosen."""

    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    order = models.PositiveSmallIntegerField(default=0)
    answer = models.CharField(max_length=200, blank=True, help_text="the answer that leads here (blank for the first question)")
    question = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True, default=Outcome.QUESTION)
    route_name = models.CharField(max_length=100, blank=True, help_text="e.g. 劳动人事争议仲裁")
    route_where = models.TextField(blank=True)
    route_bring = models.TextField(blank=True, help_text="what to bring")
    route_basis = models.CharField(max_length=200, blank=True, help_text="the law that opens this route")
    handling_kind = models.CharField(max_length=20, choices=HandlingKind.choices, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             help_text="competent unit pre-selected on the petition form")
    unit_kind = models.CharField(max_length=20, choices=UnitKind.choices, blank=True,
                                 help_text="without a unit: the highest unit of this kind (e.g. discipline inspection)")

    class Meta:
        ordering = ["parent_id", "order", "id"]

    def __str__(self) -> str:
        return self.question or self.answer


class Rating(models.Model):
    """The petitioner's judgement of the reply (满意度评价): one per matter."""

    class Level(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASICALLY = "basically", _("Basically satisfied")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")

    matter = models.OneToOneField(Matter, on_delete=models.CASCADE, related_name="rating")
    level = models.CharField(max_length=20, choices=Level.choices)
    comment = models.TextField(blank=True)
    rated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["rated_at"], name="ind_rating_rated_at")]  # the indicators count by it

    def __str__(self) -> str:
        return f"{self.matter_id}: {self.level}"


class Supplement(models.Model):
    """More material the petitioner sent after submitting (补充材料); files go to the matter's attachments."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="supplements")
    text = models.TextField(blank=True)
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"supplement #{self.pk} to {self.matter_id}"
