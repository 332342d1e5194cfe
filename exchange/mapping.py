"""Column mappings: which source column feeds which field of a matter, and how to read it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from matters.errors import InvalidInput
from matters.models import Channel

MAPPINGS_DIR = Path(__file__).resolve().parent / "mappings"

# Target fields: one source column each, or a list of columns for the multi-level ones.
SINGLE = ("external_id", "appeal_type", "title", "content", "created_at", "dispatched_at", "status",
          "handling_unit", "latitude", "longitude", "address")
MULTI = ("category", "area", "results")
REQUIRED = ("external_id", "title", "content", "created_at")


@dataclass(frozen=True)
class Mapping:
    name: str
    label: str
    source: str
    channel: str
    columns: dict[str, str | list[str]]
    date_formats: list[str] = field(default_factory=lambda: ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d"])
    timezone: str = "Asia/Shanghai"
    archived_values: list[str] = field(default_factory=list)
    whole_area_values: list[str] = field(default_factory=list)
    city_area: str = ""
    hotline_unit: str = ""
    appeal_kinds: dict[str, str] = field(default_factory=dict)

    def column(self, target: str) -> str:
        value = self.columns.get(target, "")
        return value if isinstance(value, str) else ""

    def column_list(self, target: str) -> list[str]:
        value = self.columns.get(target, [])
        return [value] if isinstance(value, str) else list(value)

    def source_columns(self) -> list[str]:
        return [c for t in (*SINGLE, *MULTI) for c in self.column_list(t) if c]

    def to_spec(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def from_spec(spec: dict[str, Any]) -> Mapping:
    """Build and check a mapping; an unusable one is refused with the field at fault."""
    errors: dict[str, str] = {}
    columns = spec.get("columns") or {}
    if not isinstance(columns, dict):
        raise InvalidInput(_("The mapping has no columns."), fields={"columns": _("Expected an object.")})
    for target in columns:
        if target not in SINGLE and target not in MULTI:
            errors[target] = _("Unknown target field.")
    for target in REQUIRED:
        if not columns.get(target):
            errors[target] = _("Required: say which column holds it.")
    if not str(spec.get("name", "")).strip():
        errors["name"] = _("Give the mapping a name.")
    if spec.get("channel", Channel.HOTLINE) not in Channel.values:
        errors["channel"] = _("Unknown channel.")
    if errors:
        raise InvalidInput(_("The mapping has errors."), fields=errors)
    known = {k: spec[k] for k in Mapping.__dataclass_fields__ if k in spec}
    known.setdefault("label", known["name"])
    known.setdefault("source", known["name"])
    known.setdefault("channel", Channel.HOTLINE)
    return Mapping(**known)


def shipped_mappings() -> dict[str, Mapping]:
    return {p.stem: from_spec(json.loads(p.read_text(encoding="utf-8"))) for p in sorted(MAPPINGS_DIR.glob("*.json"))}


def find_mapping(name: str) -> Mapping:
    """A saved mapping by name; the shipped files win over the database."""
    from .models import ImportMapping

    shipped = shipped_mappings()
    if name in shipped:
        return shipped[name]
    saved = ImportMapping.objects.filter(name=name).first()
    if saved is None:
        raise InvalidInput(_("No mapping named %(name)s.") % {"name": name}, fields={"mapping": _("Unknown mapping.")})
    return from_spec(saved.spec)


def all_mapping_names() -> list[tuple[str, str]]:
    from .models import ImportMapping

    rows = [(m.name, m.label) for m in shipped_mappings().values()]
    rows += [(m.name, m.label) for m in ImportMapping.objects.order_by("name") if m.name not in dict(rows)]
    return rows
