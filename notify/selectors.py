from __future__ import annotations

from django.db.models import QuerySet

from org.models import User

from .models import InboxItem


def inbox_of(user: User) -> QuerySet[InboxItem]:
    """A user's own inbox, and nobody else's; items on matters they no longer see are left out."""
    from matters.selectors import matters_visible_to

    return InboxItem.objects.filter(user=user, matter__in=matters_visible_to(user).values("pk")).select_related("matter")


def unread_count(user: User) -> int:
    return InboxItem.objects.filter(user=user, read_at__isnull=True).count()
