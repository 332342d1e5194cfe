"""Supervision (督查督办, §6): orders from a supervising unit to a handling unit about matters,
closed in a loop (有建议、有结果、有反馈), and the policy of automatic escalation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from deadlines.models import SingleRowPolicy
from matters.models import Matter
from org.models import Unit


class OrderKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder")  # 催办
    SUPERVISION = "supervision", _("Supervision")  # 督办
    LISTED = "listed", _("Listed supervision")  # 挂牌督办
    ON_SITE = "on_site", _("On-site inspection")  # 实地督查


class OrderState(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    RETURNED = "returned", _("Returned")
    CLOSED = "closed", _("Closed")
    ESCALATED = "escalated", _("Escalated")


class Recommendation(models.TextChoices):
    NONE = "", _("None")
    IMPROVE_WORK = "improve_work", _("Improve the work")
    CHANGE_POLICY = "change_policy", _("Change a policy")
    ACCOUNTABILITY = "accountability", _("Hold someone accountable")


class SupervisionOrder(models.Model):
    kind = models.CharField(max_length=20, choices=OrderKind.choices)
    state = models.CharField(max_length=20, choices=OrderState.choices, default=OrderState.OPEN)
    supervising_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    handling_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    matters = models.ManyToManyField(Matter, related_name="supervision_orders")
    requirement = models.TextField()
    suggestion = models.TextField(blank=True, help_text="有建议: what the supervisor suggests")
    due = models.DateField()
    answer = models.TextField(blank=True)
    evidence = models.TextField(blank=True)
    result = models.TextField(blank=True, help_text="有结果")
    feedback = models.TextField(blank=True, help_text="有反馈")
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices, blank=True)
    escalated_from = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="escalated_to")
    auto_key = models.CharField(max_length=100, null=True, blank=True, unique=True,
                                help_text="set on orders the escalation job opens, so a run never opens one twice")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["state", "due"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class SupervisionPolicy(SingleRowPolicy):
    """Automatic escalation (policy): one row, defaults as the domain spec gives them."""

    supervise_after_days = models.PositiveSmallIntegerField(
        default=5, help_text=_("an open matter overdue by more than this many days gets a supervision order"))
    order_due_days = models.PositiveSmallIntegerField(
        default=5, help_text=_("calendar days an automatic order gives the handling unit to answer"))

    class Meta:
        verbose_name_plural = "supervision policy"

    def __str__(self) -> str:
        return "supervision policy"


class CaseState(models.TextChoices):
    OPEN = "open", _("In progress")
    SIGNED_OFF = "signed_off", _("Signed off")


class LeaderCase(models.Model):
    """领导包案: a hard matter owned by a responsible leader with a task force (专班) from several
    units, a plan (一案一策), dated progress entries and a sign-off."""

    matter = models.OneToOneField(Matter, on_delete=models.PROTECT, related_name="leader_case")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_cases")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="task_force_cases")
    plan = models.TextField()
    state = models.CharField(max_length=20, choices=CaseState.choices, default=CaseState.OPEN)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField()
    signed_off_at = models.DateTimeField(null=True, blank=True)
    sign_off_note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"case of matter {self.matter_id}"


class DatedNote(models.Model):
    """A dated entry by a staff member: what was done, when, by whom."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    text = models.TextField()

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{type(self).__name__} #{self.pk}"


class ProgressEntry(DatedNote):
    case = models.ForeignKey(LeaderCase, on_delete=models.CASCADE, related_name="progress")


class Campaign(models.Model):
    """A campaign period (e.g. 季攻坚) in which listed backlog cases are to be resolved."""

    name = models.CharField(max_length=100)
    starts = models.DateField()
    ends = models.DateField()

    class Meta:
        ordering = ["-starts"]

    def __str__(self) -> str:
        return self.name


class BacklogSource(models.TextChoices):
    SELF_IDENTIFIED = "self", _("Self-identified")  # 自排
    HANDED_DOWN = "handed_down", _("Handed down")  # 上级交办


class BacklogState(models.TextChoices):
    LISTED = "listed", _("Listed")
    SIGN_OFF_REQUESTED = "requested", _("Sign-off requested")
    SIGNED_OFF = "signed_off", _("Signed off")


class BacklogEntry(models.Model):
    """信访积案: a matter listed for special resolution; one dossier per case (一案一册), closed by
    a sign-off (销号) that the handling unit requests with evidence and a supervisor approves."""

    matter = models.OneToOneField(Matter, on_delete=models.PROTECT, related_name="backlog_entry")
    source = models.CharField(max_length=20, choices=BacklogSource.choices)
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    reason = models.TextField(help_text="why it is listed")
    state = models.CharField(max_length=20, choices=BacklogState.choices, default=BacklogState.LISTED)
    listed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    listed_at = models.DateTimeField()
    evidence = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["state", "listed_at"]

    def __str__(self) -> str:
        return f"backlog entry of matter {self.matter_id}"


class BacklogProgress(DatedNote):
    entry = models.ForeignKey(BacklogEntry, on_delete=models.CASCADE, related_name="progress")


class ReceptionKind(models.TextChoices):
    RECEPTION = "reception", _("Reception day")  # 领导接访
    APPOINTMENT = "appointment", _("By appointment")  # 约访
    VISIT = "visit", _("Visit on site")  # 下访


class ReceptionSlot(models.Model):
    """A leader's published reception time (领导接访/约访/下访) into which staff book petitioners."""

    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reception_slots")
    kind = models.CharField(max_length=20, choices=ReceptionKind.choices, default=ReceptionKind.RECEPTION)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=200)
    capacity = models.PositiveSmallIntegerField(default=6)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.leader} {self.starts_at:%Y-%m-%d %H:%M}"


class ReceptionBooking(models.Model):
    slot = models.ForeignKey(ReceptionSlot, on_delete=models.PROTECT, related_name="bookings")
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="receptions")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    booked_at = models.DateTimeField()
    outcome = models.TextField(blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["slot", "matter"], name="one_booking_per_slot_and_matter")]

    def __str__(self) -> str:
        return f"matter {self.matter_id} at slot {self.slot_id}"
