"""The petition matter (信访事项) and what hangs off it (§3)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from deadlines.models import DayKind, SingleRowPolicy
from deadlines.rules import Clock
from org.models import Area, Unit

from .fields import EncryptedTextField
from .lifecycle import State


class Channel(models.TextChoices):
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit")
    WEB = "web", _("Web")
    PHONE = "phone", _("Phone")
    HOTLINE = "hotline", _("12345 hotline")
    LEADER_MAILBOX = "leader_mailbox", _("Leader's mailbox")
    REFERRAL = "referral", _("Referral from above")


class HandlingKind(models.TextChoices):
    """依法分类处理 (Art. 29–31)."""

    SUGGESTION = "suggestion", _("Suggestion or opinion")
    ACCUSATION = "accusation", _("Accusation")
    CLAIM = "claim", _("Claim or appeal")


class Category(models.Model):
    """A node of the three-level taxonomy (问题分类)."""

    name = models.CharField(max_length=50)
    level = models.PositiveSmallIntegerField()
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=200, unique=True, help_text="level1/level2/level3")

    class Meta:
        ordering = ["path"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.path


class PetitionerKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")
    GROUP = "group", _("Group")


class Petitioner(models.Model):
    """Who petitions. Identity and contact are encrypted; the hashes allow exact search."""

    kind = models.CharField(max_length=20, choices=PetitionerKind.choices, default=PetitionerKind.PERSON)
    name = EncryptedTextField()
    id_number = EncryptedTextField(blank=True)
    phone = EncryptedTextField(blank=True)
    address = EncryptedTextField(blank=True)
    email = EncryptedTextField(blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    id_hash = models.CharField(max_length=64, blank=True, db_index=True)
    group_size = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"petitioner #{self.pk}"


MAX_REPRESENTATIVES = 5  # Art. 20


class Representative(models.Model):
    """One of at most five representatives of a group (Art. 20)."""

    petitioner = models.ForeignKey(Petitioner, on_delete=models.CASCADE, related_name="representatives")
    name = EncryptedTextField()
    phone = EncryptedTextField(blank=True)

    def __str__(self) -> str:
        return f"representative #{self.pk}"


def grouped_code(code: str | None) -> str:
    """ABCDEFGHJK → ABCDE-FGHJK, easier to read out over the phone."""
    if not code:
        return ""
    return "-".join(code[i : i + 5] for i in range(0, len(code), 5))


class Matter(models.Model):
    query_code = models.CharField(max_length=12, unique=True)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    handling_kind = models.CharField(max_length=20, choices=HandlingKind.choices, default=HandlingKind.CLAIM)
    state = models.CharField(max_length=30, choices=State.choices, default=State.REGISTERED)
    title = models.CharField(max_length=200)
    content = models.TextField()
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT)
    address = models.CharField(max_length=200, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    is_first = models.BooleanField(default=True)
    is_repeat = models.BooleanField(default=False)
    is_group = models.BooleanField(default=False)
    is_above_level = models.BooleanField(default=False)
    is_to_capital = models.BooleanField(default=False)
    petitioner = models.ForeignKey(Petitioner, on_delete=models.PROTECT, related_name="matters")
    intake_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    handling_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    review_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged")
    repeat_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="repeats",
                                  help_text="the same petitioner's earlier matter this one repeats (重复信访)")
    registered_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # The first accept or refuse (先行响应), kept by the services so the hotline's response rate is
    # a comparison of two columns rather than a search of the event log per work order.
    responded_at = models.DateTimeField(null=True, blank=True)
    reply_text = models.TextField(blank=True)
    decision_text = models.TextField(blank=True, help_text="refusal reason, review or re-review decision")
    legal_route = models.CharField(max_length=200, blank=True)
    # Kept in step by the services from the open statutory clocks, so queues sort and filter by index.
    statutory_due = models.DateField(null=True, blank=True)
    due_soon_from = models.DateField(null=True, blank=True)
    clock_paused = models.BooleanField(default=False)
    due_provisional = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [
            models.Index(fields=["handling_unit", "statutory_due"]),
            # Covers the queue's counts per due state and the ids of its sorted page, so neither
            # reads the table rows of every open matter.
            models.Index(
                fields=["state", "statutory_due", "due_soon_from", "clock_paused", "handling_kind"],
                name="matter_queue_cover",
            ),
            # The same for one unit's queue (the unit dashboard's tiles, the queue filtered by unit):
            # without it SQLite reads every matter row of the unit (516 ms for 195,619 at 1M, 18 ms with).
            models.Index(
                fields=["handling_unit", "state", "statutory_due", "due_soon_from", "clock_paused", "handling_kind"],
                name="matter_unit_queue_cover",
            ),
            models.Index(fields=["statutory_due", "id"]),
            models.Index(fields=["registered_at"]),
            # The indicators count by period column (closings, windows due or started, ratings).
            models.Index(fields=["closed_at"], name="ind_matter_closed_at"),
        ]

    def __str__(self) -> str:
        return f"{self.query_code} {self.title}"


class RoutingRule(models.Model):
    """属地管理、谁主管谁负责 as data: matters of this category (or below it) in this area (or below
    it; blank: anywhere) go to this unit. The most specific rule wins."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.category} / {self.area or '*'} -> {self.unit}"


class IntakePolicy(SingleRowPolicy):
    """Intake settings the law leaves to policy; one row, shown where it applies."""

    repeat_window_days = models.PositiveSmallIntegerField(
        default=90, help_text=_("a petition by the same petitioner while an earlier one is open, or within this "
                                "many days of its end, is a repeat petition"))

    class Meta:
        verbose_name_plural = "intake policy"

    def __str__(self) -> str:
        return "intake policy"


class Deadline(models.Model):
    """One running or finished clock of a matter."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="deadlines")
    clock = models.CharField(max_length=30, choices=[(c.value, c.value) for c in Clock])
    start = models.DateField()
    days = models.PositiveSmallIntegerField()
    day_kind = models.CharField(max_length=10, choices=DayKind.choices)
    due = models.DateField()
    # The earliest and the latest due date the window has had (an extension, a resumed pause or a
    # calendar change moves it): an indicator tally counted the window in the month or day of one
    # of them, so a change to the matter can only have changed the tallies of those days.
    earliest_due = models.DateField()
    latest_due = models.DateField()
    rolled_from = models.DateField(null=True, blank=True)
    provisional = models.BooleanField(default=False)
    pauses = models.JSONField(default=list, blank=True, help_text="[[start, end|null], ...] ISO dates")
    stopped_on = models.DateField(null=True, blank=True)
    profile_name = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["due"], name="ind_deadline_due"), models.Index(fields=["start"], name="ind_deadline_start")]
        constraints = [
            models.UniqueConstraint(fields=["matter", "clock"], condition=Q(stopped_on__isnull=True), name="one_open_clock_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.clock} due {self.due}"

    @property
    def is_open(self) -> bool:
        return self.stopped_on is None

    @property
    def paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1][1] is None


class Attachment(models.Model):
    """A file sent with a matter, stored once by content hash."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="attachments")
    sha256 = models.CharField(max_length=64, db_index=True)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.filename
