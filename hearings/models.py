"""Hearings (听证, §9): pools of hearing officers, review experts and lawyers; hearings of a matter
with their drawn panel and documents; lawyers on duty at reception and their consultations."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matters.fields import EncryptedTextField
from matters.models import Matter
from matters.personal_data import mask_email, mask_phone
from org.models import Unit


class PoolKind(models.TextChoices):
    HEARING_OFFICER = "hearing_officer", _("Hearing officer")  # 听证员
    REVIEW_EXPERT = "review_expert", _("Review expert")  # 复查复核专家
    LAWYER = "lawyer", _("Lawyer")  # 律师


def specialty_tags(text: str) -> list[str]:
    """Specialties as typed (commas, Chinese commas, semicolons or spaces), cleaned and de-duplicated."""
    seen: list[str] = []
    for raw in text.replace("，", ",").replace("；", ",").replace(";", ",").replace("、", ",").replace(" ", ",").split(","):
        tag = raw.strip()
        if tag and tag not in seen:
            seen.append(tag)
    return seen


class PoolMember(models.Model):
    """An external professional in the pool of ``owner``'s petition work; usable for matters in its subtree.

    ``specialties`` is stored as ",tag,tag," so that one tag is an indexed-free but exact
    ``contains(",tag,")`` filter on both databases.
    """

    kind = models.CharField(_("pool"), max_length=20, choices=PoolKind.choices)
    owner = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("pool of"))
    name = models.CharField(_("name"), max_length=50)
    organisation = models.CharField(_("works at"), max_length=100, blank=True)
    specialties = models.CharField(_("specialties"), max_length=300, blank=True)
    contact = EncryptedTextField(_("contact"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["kind", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def specialty_list(self) -> list[str]:
        return [t for t in self.specialties.split(",") if t]

    def has_specialty(self, tag: str) -> bool:
        return tag in self.specialty_list

    @property
    def masked_contact(self) -> str:
        return mask_email(self.contact) if "@" in self.contact else mask_phone(self.contact)


class Unavailability(models.Model):
    member = models.ForeignKey(PoolMember, on_delete=models.CASCADE, related_name="unavailable")
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["start", "id"]

    def __str__(self) -> str:
        return f"{self.member} {self.start}–{self.end}"

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


class DeclaredConflict(models.Model):
    """A conflict of interest the member declares: with a unit (and its subtree) or with one matter."""

    member = models.ForeignKey(PoolMember, on_delete=models.CASCADE, related_name="conflicts")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    matter = models.ForeignKey(Matter, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(_("note"), max_length=200)
    declared_at = models.DateTimeField()

    class Meta:
        ordering = ["declared_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=True, matter__isnull=False) | Q(unit__isnull=False, matter__isnull=True),
                name="conflict_with_unit_or_matter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.note}"


class HearingPurpose(models.TextChoices):
    REVIEW = "review", _("Review")  # 复查听证
    RE_REVIEW = "re_review", _("Re-review")  # 复核听证
    HARD_MATTER = "hard_matter", _("Hard matter")  # 疑难信访事项听证


class HearingState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    OPINION_GIVEN = "opinion_given", _("Opinion given")
    CLOSED = "closed", _("Closed and filed")
    CANCELLED = "cancelled", _("Cancelled")


class Hearing(models.Model):
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="hearings")
    purpose = models.CharField(_("purpose"), max_length=20, choices=HearingPurpose.choices)
    state = models.CharField(max_length=20, choices=HearingState.choices, default=HearingState.SCHEDULED)
    organising_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+",
                                        help_text="the body that holds the hearing: the scope of the reviewer who scheduled it")
    scheduled_for = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scheduled_at = models.DateTimeField()
    # Only a hearing that paused the clocks resumes them; a matter with no running clock is left alone.
    paused_clock = models.BooleanField(default=False)
    cancel_reason = models.TextField(blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["matter"], condition=Q(state__in=["scheduled", "held"]),
                                    name="one_open_hearing_per_matter"),
        ]

    def __str__(self) -> str:
        return f"hearing #{self.pk} on {self.matter_id}"


class PanelDraw(models.Model):
    """One random draw, stored whole so that ``replay_draw`` reproduces it: the seed, the sorted
    candidate ids, every excluded member with the reason, and the ids chosen."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="draws")
    kind = models.CharField(max_length=20, choices=PoolKind.choices)
    size = models.PositiveSmallIntegerField()
    specialty = models.CharField(max_length=50, blank=True)
    seed = models.CharField(max_length=64)
    candidates = models.JSONField(default=list)
    excluded = models.JSONField(default=list, help_text="[[member id, reason code], ...]")
    chosen = models.JSONField(default=list)
    replaces = models.ForeignKey("PanelSeat", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField()

    class Meta:
        ordering = ["drawn_at", "id"]

    def __str__(self) -> str:
        return f"draw #{self.pk} for hearing {self.hearing_id}"


class PanelSeat(models.Model):
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="seats")
    member = models.ForeignKey(PoolMember, on_delete=models.PROTECT, related_name="seats")
    draw = models.ForeignKey(PanelDraw, on_delete=models.PROTECT, related_name="seats")
    recusal_reason = models.TextField(blank=True)
    recused_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["hearing", "member"], name="one_seat_per_member")]

    def __str__(self) -> str:
        return f"{self.member} on hearing {self.hearing_id}"


class DocumentKind(models.TextChoices):
    NOTICE = "notice", _("Hearing notice")  # 听证通知书
    MINUTES = "minutes", _("Minutes")  # 听证笔录
    OPINION = "opinion", _("Panel opinion")  # 听证评议意见


class HearingDocument(models.Model):
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    addressee = models.CharField(_("addressee"), max_length=100, blank=True)
    addressee_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"))
    issued_on = models.DateField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["issued_on", "id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class Session(models.TextChoices):
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")
    FULL_DAY = "full_day", _("Full day")


class DutyShift(models.Model):
    """A lawyer on duty at a petition office's reception (律师参与信访接待)."""

    lawyer = models.ForeignKey(PoolMember, on_delete=models.PROTECT, related_name="shifts")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("reception of"))
    day = models.DateField(_("day"))
    session = models.CharField(_("session"), max_length=20, choices=Session.choices)
    place = models.CharField(_("place"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["day", "session", "id"]
        constraints = [models.UniqueConstraint(fields=["lawyer", "day", "session"], name="one_shift_per_session")]

    def __str__(self) -> str:
        return f"{self.lawyer} {self.day} {self.session}"


class Consultation(models.Model):
    """A lawyer's consultation with the petitioner about a matter (律师+信访)."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="consultations")
    lawyer = models.ForeignKey(PoolMember, on_delete=models.PROTECT, related_name="consultations")
    consulted_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"))
    advice = models.TextField(_("advice given"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-consulted_on", "-id"]

    def __str__(self) -> str:
        return f"consultation #{self.pk} on {self.matter_id}"
