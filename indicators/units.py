"""The rows of a per-unit report: the direct children of the chosen unit, each counting its whole
subtree, and the chosen unit itself for what it handles directly. The work plans rank districts and
departments against each other, not every bureau of every district, so a city report ranks the units
one level down and a district report the units below the district."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q

from org.models import Unit, User
from org.scope import units_in_scope


@dataclass(frozen=True)
class Row:
    unit: Unit
    own: bool  # only what the unit handles itself, not its subtree

    @cached_property
    def unit_ids(self) -> list[int]:
        if self.own:
            return [self.unit.pk]
        return list(Unit.objects.filter(path__startswith=self.unit.path).values_list("pk", flat=True))

    def matter_q(self, prefix: str = "") -> Q:
        """The matters this row counts, as a filter on ``prefix`` + handling_unit. A literal list of
        ids, not a join on paths, so the databases use the matter indexes per unit."""
        return Q(**{f"{prefix}handling_unit_id__in": self.unit_ids})


def rows_q(rows: Iterable[Row], prefix: str = "") -> Q:
    """Every matter any of the rows counts, as one list of handling units."""
    ids = sorted({pk for row in rows for pk in row.unit_ids})
    return Q(**{f"{prefix}handling_unit_id__in": ids})


def scope_root(user: User, unit: Unit | None) -> Unit | None:
    """The chosen unit, or the one unit at the top of the user's scope."""
    if unit is not None:
        return unit
    scope = list(units_in_scope(user))
    tops = [u for u in scope if not any(u.path != o.path and u.path.startswith(o.path) for o in scope)]
    return tops[0] if len(tops) == 1 else None


def rows_for(user: User, unit: Unit | None) -> list[Row]:
    root = scope_root(user, unit)
    if root is None:
        scope = list(units_in_scope(user))
        return [Row(u, False) for u in scope if not any(u.path != o.path and u.path.startswith(o.path) for o in scope)]
    return [Row(root, True), *(Row(child, False) for child in Unit.objects.filter(parent=root).order_by("path"))]


def tally(rows: list[Row], by_unit: Mapping[int, int]) -> list[int]:
    """Sums counts kept per handling unit into the rows; one pass over the units, never the matters."""
    paths = dict(Unit.objects.filter(pk__in=list(by_unit)).values_list("pk", "path"))
    out = [0] * len(rows)
    for unit_id, n in by_unit.items():
        i = row_of(rows, unit_id, paths.get(unit_id, ""))
        if i is not None:
            out[i] += n
    return out


def row_of(rows: Iterable[Row], unit_id: int, path: str) -> int | None:
    for i, row in enumerate(rows):
        if (row.own and row.unit.pk == unit_id) or (not row.own and path.startswith(row.unit.path)):
            return i
    return None
