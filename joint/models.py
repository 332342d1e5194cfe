"""Multi-unit matters and joint meetings (§1, §6): a lead unit (牵头单位) hands tasks to cooperating
units (配合单位), accepts their answers and consolidates them before the matter is replied; joint
meetings (信访工作联席会议) put matters on an agenda and turn their decisions into tasks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from matters.models import Matter
from org.models import Unit


class AssignmentKind(models.TextChoices):
    COOPERATION = "cooperation", _("Cooperation")  # 协办
    MEETING = "meeting", _("Meeting assignment")  # 会议交办


class AssignmentState(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    ACCEPTED = "accepted", _("Answer accepted")


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CLOSED = "closed", _("Concluded")


class JointMeeting(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("Meeting unit"))
    title = models.CharField(max_length=200)
    date = models.DateField()
    place = models.CharField(max_length=200)
    state = models.CharField(max_length=20, choices=MeetingState.choices, default=MeetingState.PLANNED)
    minutes = models.TextField(blank=True)
    convened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    convened_at = models.DateTimeField()
    held_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    meeting = models.ForeignKey(JointMeeting, on_delete=models.CASCADE, related_name="items")
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="agenda_items")
    note = models.TextField(blank=True, help_text="what the meeting is to settle")
    decision = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "matter"], name="one_agenda_item_per_matter")]

    def __str__(self) -> str:
        return f"item {self.pk} of meeting {self.meeting_id}"


class Assignment(models.Model):
    """交办任务: one unit's task about one matter, answered by that unit and accepted or returned."""

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="joint_assignments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=AssignmentKind.choices)
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments")
    task = models.TextField()
    due = models.DateField()
    state = models.CharField(max_length=20, choices=AssignmentState.choices, default=AssignmentState.OPEN)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField()
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True, help_text="why the last answer was returned")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["unit", "state", "due"])]
        constraints = [models.CheckConstraint(
            condition=models.Q(kind="cooperation", agenda_item__isnull=True) | models.Q(kind="meeting", agenda_item__isnull=False),
            name="meeting_assignments_come_from_an_agenda_item")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Consolidation(models.Model):
    """The lead unit's consolidated answer (汇总意见) over the accepted cooperation answers."""

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="joint_consolidations")
    text = models.TextField()
    assignments = models.ManyToManyField(Assignment, related_name="consolidations")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"consolidation of matter {self.matter_id}"
