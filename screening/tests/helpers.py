"""Making ledger entries in tests through the service."""

from __future__ import annotations

from datetime import date
from typing import Any

from org.models import Area
from screening import services
from screening.models import LedgerEntry
from xinfang.testing import World, at


def entry_data(w: World, *, found_by: str = "c1", responsible: str | None = None, **over: Any) -> services.EntryData:
    unit = w.units[found_by]
    values: dict[str, Any] = {
        "found_by_unit_id": unit.pk, "responsible_unit_id": w.units[responsible or found_by].pk,
        "summary": "小区物业费调价引发业主不满", "area_id": (unit.area or Area.objects.first()).pk,  # type: ignore[union-attr]
        "people_involved": 12, "risk_level": "medium", "measures": "约谈物业公司，召开业主协商会", "deadline": date(2026, 3, 20),
    }
    values.update(over)
    return services.EntryData(**values)


def new_entry(w: World, *, actor: str = "c1_handler", day: tuple[int, int, int] = (2026, 3, 2), **over: Any) -> LedgerEntry:
    return services.create_entry(entry_data(w, **over), actor=w.users[actor], now=at(*day))
