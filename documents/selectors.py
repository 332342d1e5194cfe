"""Reading issued documents: through the matter's scope rule, like everything else."""

from __future__ import annotations

from django.db.models import QuerySet

from matters.selectors import matters_visible_to
from org.models import User

from .models import IssuedDocument


def documents_visible_to(user: User) -> QuerySet[IssuedDocument]:
    """An accusation's documents are as invisible outside the petition office and discipline
    inspection as the accusation itself."""
    return IssuedDocument.objects.filter(matter__in=matters_visible_to(user).values("pk")).select_related("issuing_unit", "matter")
