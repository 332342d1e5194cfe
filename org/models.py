"""Units, administrative areas, users and their scoped role assignments (§1–2)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PETITION_OFFICE = "petition_office", _("Petition office")
    FUNCTIONAL = "functional", _("Functional department")
    TERRITORIAL = "territorial", _("Territorial government")
    DISCIPLINE = "discipline", _("Discipline inspection")
    JUDICIAL = "judicial", _("Court or procuratorate")
    ENTERPRISE = "enterprise", _("Enterprise unit")


# Only these kinds of unit may ever see an accusation (检举控告) or its author (Art. 30).
CONFIDENTIAL_UNIT_KINDS = frozenset({UnitKind.PETITION_OFFICE, UnitKind.DISCIPLINE})


class Area(models.Model):
    """An administrative area (行政区划): city, district, street, community."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A unit (单位) in the organisation tree; depth and level names are data.

    ``path`` is a materialised path ("/1/4/9/") so a subtree is one indexed prefix query.
    """

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=UnitKind.choices)
    level_name = models.CharField(max_length=20, help_text="e.g. 市, 区, 街道, 社区")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    short_name = models.CharField(max_length=20, blank=True, help_text="机关代字: the sign of the unit in document numbers, e.g. 江信")

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.pk is None:
            super().save(*args, **kwargs)
            kwargs.pop("force_insert", None)
        parent_path = self.parent.path if self.parent_id else "/"  # type: ignore[union-attr]
        new_path = f"{parent_path}{self.pk}/"
        if new_path != self.path:
            self.path = new_path
        super().save(*args, **kwargs)

    def is_within(self, other: Unit) -> bool:
        """True when this unit is ``other`` or lies in its subtree."""
        return self.path.startswith(other.path)

    def ancestors(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/")[:-1]]


class Role(models.TextChoices):
    REGISTRAR = "registrar", _("Registrar")
    HANDLER = "handler", _("Handler")
    UNIT_HEAD = "unit_head", _("Unit head")
    REVIEWER = "reviewer", _("Petition-office reviewer")
    SUPERVISOR = "supervisor", _("Supervisor")
    LEADER = "leader", _("Responsible leader")
    ANALYST = "analyst", _("Analyst")
    AUDITOR = "auditor", _("Auditor")


class User(AbstractUser):
    """A staff member; ``unit`` is where they work, which decides confidentiality."""

    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="staff")
    display_name = models.CharField(max_length=50, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.username


class RoleAssignment(models.Model):
    """A role held over a unit and its subtree (§2)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    scope = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role", "scope"], name="unique_role_assignment")]

    def __str__(self) -> str:
        return f"{self.user} {self.role} @ {self.scope}"
