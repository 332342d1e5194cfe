"""One source row read through a mapping into a work order, or the problems that stop it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from matters.models import HandlingKind

from .mapping import REQUIRED, Mapping

# Field lengths of the matter the row becomes.
MAX_LENGTHS = {"external_id": 64, "title": 200, "address": 200, "appeal_type": 50, "status": 50, "handling_unit": 100}


@dataclass(frozen=True)
class Problem:
    row: int  # as a spreadsheet shows it: the header is row 1
    column: str
    value: str
    reason: str
    # A warning keeps the row: the value is dropped and the rest imported.
    warning: bool = False

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason,
                "warning": self.warning}


@dataclass
class WorkOrder:
    row: int
    external_id: str
    title: str
    content: str
    created_at: datetime
    dispatched_at: datetime | None = None
    appeal_type: str = ""
    handling_kind: str = HandlingKind.CLAIM
    status: str = ""
    archived: bool = False
    handling_unit: str = ""
    categories: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    results: list[tuple[str, str]] = field(default_factory=list)  # (source column, text)


def missing_columns(mapping: Mapping, header: list[str]) -> tuple[list[str], list[str]]:
    """(required, optional) mapped columns that the file does not have."""
    present = set(header)
    required = [mapping.column(t) for t in REQUIRED if mapping.column(t) not in present]
    optional = [c for c in mapping.source_columns() if c not in present and c not in required]
    return required, optional


class RowReader:
    def __init__(self, mapping: Mapping) -> None:
        self.mapping = mapping
        self.zone = ZoneInfo(mapping.timezone)
        self.date_formats = [(fmt, _numeric_pattern(fmt)) for fmt in mapping.date_formats]

    def read(self, row: int, raw: dict[str, str]) -> tuple[WorkOrder | None, list[Problem]]:
        m, problems = self.mapping, []

        def value(target: str) -> str:
            column = m.column(target)
            text = raw.get(column, "").strip() if column else ""
            limit = MAX_LENGTHS.get(target)
            if limit and len(text) > limit:
                problems.append(Problem(row, column, text[:40], _("Longer than %(n)d characters.") % {"n": limit}))
            if not text and target in REQUIRED:
                problems.append(Problem(row, column, "", _("Required, but empty.")))
            return text

        external_id, title, content = value("external_id"), value("title"), value("content")
        created_at = self._when(row, "created_at", value("created_at"), problems)
        dispatched_at = self._when(row, "dispatched_at", value("dispatched_at"), problems)
        latitude, longitude = self._coordinates(row, value("latitude"), value("longitude"), problems)
        appeal_type, status = value("appeal_type"), value("status")
        order = WorkOrder(
            row=row, external_id=external_id, title=title, content=content,
            created_at=created_at or datetime.min, dispatched_at=dispatched_at, appeal_type=appeal_type,
            handling_kind=m.appeal_kinds.get(appeal_type, HandlingKind.CLAIM), status=status,
            archived=bool(status) and status in m.archived_values, handling_unit=value("handling_unit"),
            categories=self._levels("category", raw), areas=self._levels("area", raw), address=value("address"),
            latitude=latitude, longitude=longitude,
            results=[(c, raw.get(c, "").strip()) for c in m.column_list("results") if raw.get(c, "").strip()],
        )
        return (None if any(not p.warning for p in problems) else order), problems

    def _levels(self, target: str, raw: dict[str, str]) -> list[str]:
        # A level path stops at its first empty level: "其他/ /x" would be a path nobody can browse.
        levels = []
        for column in self.mapping.column_list(target):
            text = raw.get(column, "").strip()
            if not text:
                break
            levels.append(text[:50])
        return levels

    def _when(self, row: int, target: str, text: str, problems: list[Problem]) -> datetime | None:
        if not text:
            return None
        for fmt, pattern in self.date_formats:
            try:
                if pattern is None:
                    return datetime.strptime(text, fmt).replace(tzinfo=self.zone)
                found = pattern.fullmatch(text)
                if found:
                    y, mo, d, hh, mm, ss = (*map(int, found.groups()), 0, 0, 0)[:6]
                    return datetime(y, mo, d, hh, mm, ss, tzinfo=self.zone)
            except ValueError:
                continue
        problems.append(Problem(row, self.mapping.column(target), text,
                                _("Not a date and time like %(example)s.") % {"example": _example(self.mapping)}))
        return None

    def _coordinates(self, row: int, lat_text: str, lon_text: str, problems: list[Problem]) -> tuple[float | None, float | None]:
        if not lat_text and not lon_text:
            return None, None
        try:
            lat, lon = float(lat_text or "nan"), float(lon_text or "nan")
        except ValueError:
            problems.append(Problem(row, self.mapping.column("latitude"), f"{lat_text},{lon_text}",
                                    _("Coordinates are not numbers; imported without them."), warning=True))
            return None, None
        if lat == 0 and lon == 0 or lat != lat or lon != lon:  # 0,0 is how the source says "none"
            return None, None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            problems.append(Problem(row, self.mapping.column("latitude"), f"{lat_text},{lon_text}",
                                    _("Not a latitude and longitude (a projected grid?); imported without them."),
                                    warning=True))
            return None, None
        return lat, lon


_DIRECTIVES = {"Y": r"(\d{4})", "m": r"(\d{1,2})", "d": r"(\d{1,2})", "H": r"(\d{1,2})", "M": r"(\d{1,2})",
               "S": r"(\d{1,2})"}
_DIRECTIVE_ORDER = "YmdHMS"


def _numeric_pattern(fmt: str) -> re.Pattern[str] | None:
    """A regular expression reading ``fmt`` as strptime would, for formats of year, month, day,
    hour, minute and second in that order (every real source's); None sends others to strptime.
    strptime costs 20 µs a call, about half of reading a row with its two dates."""
    parts = re.split(r"%(.)", fmt)
    literals, directives = parts[0::2], parts[1::2]
    # Without a separator between them, 1-or-2-digit fields are ambiguous: left to strptime.
    if len(directives) < 3 or "".join(directives) != _DIRECTIVE_ORDER[:len(directives)] or not all(literals[1:-1]):
        return None
    regex = "".join(re.escape(lit).replace(r"\ ", r"\s+") + _DIRECTIVES[d] for lit, d in zip(literals, directives, strict=False))
    return re.compile(regex + re.escape(literals[-1]))


def _example(mapping: Mapping) -> str:
    return datetime(2018, 1, 1, 19, 36, 29).strftime(mapping.date_formats[0]).replace("/0", "/")
