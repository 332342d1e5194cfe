"""The one scope rule: which units a user acts over, and whether they may see accusations."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from .models import CONFIDENTIAL_UNIT_KINDS, Role, RoleAssignment, Unit, User


def _assignments(user: User, roles: Iterable[str] | None = None) -> list[RoleAssignment]:
    cache = getattr(user, "_role_cache", None)
    if cache is None:
        cache = list(RoleAssignment.objects.filter(user=user).select_related("scope"))
        user._role_cache = cache  # type: ignore[attr-defined]
    wanted = set(roles) if roles is not None else None
    return [a for a in cache if wanted is None or a.role in wanted]


def units_in_scope(user: User, roles: Iterable[str] | None = None) -> QuerySet[Unit]:
    """Every unit in the subtree of any scope where the user holds one of ``roles``."""
    paths = {a.scope.path for a in _assignments(user, roles)}
    if not paths:
        return Unit.objects.none()
    q = Q()
    for path in paths:
        q |= Q(path__startswith=path)
    return Unit.objects.filter(q)


def unit_ids_in_scope(user: User) -> frozenset[int] | None:
    """The ids of every unit in the user's scope, or None when that is every unit there is.

    Matter queries filter by this literal list rather than a subquery on paths: with a list the
    databases walk the matter indexes per unit, and a scope over the whole tree needs no filter.
    Cached on the user object, like the role assignments, for the length of one request.
    """
    cached: tuple[frozenset[int] | None] | None = getattr(user, "_scope_ids_cache", None)
    if cached is None:
        ids = frozenset(units_in_scope(user).values_list("pk", flat=True))
        cached = (None if ids and len(ids) == Unit.objects.count() else ids,)
        user._scope_ids_cache = cached  # type: ignore[attr-defined]
    return cached[0]


def forget_cached_scope(user: User) -> None:
    """After a role change: the next scope question reads the assignments again."""
    user.__dict__.pop("_role_cache", None)
    user.__dict__.pop("_scope_ids_cache", None)


def covering_scope(user: User, unit: Unit, roles: Iterable[str], *, strictly_above: bool = False) -> Unit | None:
    """The nearest scope unit over ``unit`` where the user holds one of ``roles``, or None.

    ``strictly_above`` asks for a proper ancestor: the body above the unit, as review (复查)
    and re-review (复核) require.
    """
    best: Unit | None = None
    for a in _assignments(user, roles):
        if unit.path.startswith(a.scope.path) and not (strictly_above and a.scope_id == unit.pk):
            if best is None or len(a.scope.path) > len(best.path):
                best = a.scope
    return best


def holds_role_over(user: User, unit: Unit, roles: Iterable[str]) -> bool:
    return covering_scope(user, unit, roles) is not None


def sees_confidential(user: User) -> bool:
    """Accusations are visible only to staff working in a petition office or discipline inspection."""
    return user.unit is not None and user.unit.kind in CONFIDENTIAL_UNIT_KINDS


def roles_of(user: User) -> set[str]:
    return {a.role for a in _assignments(user)}


__all__ = ["Role", "covering_scope", "forget_cached_scope", "holds_role_over", "roles_of", "sees_confidential", "unit_ids_in_scope", "units_in_scope"]
