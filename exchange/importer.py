"""Importing work orders (12345 and other sources) as matters, in bulk.

Two passes: the first reads every row and reports every problem; the second writes, in one
transaction, so a refused import leaves nothing behind. Rows whose work-order number is already
imported from the same source are counted as present and left alone, which makes re-import
idempotent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from audit.services import EventSpec, record_events
from deadlines.rules import Clock
from intel import duplicates
from matters import search
from matters.clocks import batch_clock_context, clock_context, refresh_due_columns, start_clock
from matters.lifecycle import State
from matters.models import Category, Matter, Petitioner
from matters.personal_data import encrypt
from matters.services import new_query_codes
from org.models import Area, Unit, UnitKind, User
from org.services import create_unit
from xinfang.bulk import insert_values

from .mapping import Mapping
from .models import ImportedRecord, ImportMode, ImportRun, ImportStatus
from .readers import Table
from .workorders import Problem, RowReader, WorkOrder, missing_columns

CHUNK = 2000
IMPORTED_UNITS = "导入单位"
IMPORTED_CATEGORIES = "导入分类"
CALLER = "12345来电人"  # the source has no petitioner; each order gets its own, so none look like repeats

Progress = Callable[[int, int], None]


@dataclass
class Report:
    """What a dry run or an import found; the totals a user checks against the file."""

    read: int = 0
    imported: int = 0
    present: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    file_problem: str = ""
    missing_optional: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.file_problem)


@dataclass
class Plan:
    report: Report
    new_orders: list[WorkOrder]


def plan_import(table: Table, mapping: Mapping) -> Plan:
    """First pass: every row read, every problem listed, and which rows are already imported."""
    report = Report(read=len(table.rows))
    required, report.missing_optional = missing_columns(mapping, table.header)
    if required:
        report.file_problem = _("Required columns are missing: %(columns)s. The file has: %(header)s.") % {
            "columns": ", ".join(required), "header": ", ".join(table.header[:30])}
        return Plan(report, [])
    reader, orders = RowReader(mapping), []
    first_row_of: dict[str, int] = {}
    for i, raw in enumerate(table.rows, start=2):
        order, problems = reader.read(i, raw)
        ext = raw.get(mapping.column("external_id"), "").strip()
        if ext and ext in first_row_of:
            problems.append(Problem(i, mapping.column("external_id"), ext,
                                    _("The same work-order number as row %(row)d.") % {"row": first_row_of[ext]}))
            order = None
        elif ext:
            first_row_of[ext] = i
        report.problems += problems
        if order is not None:
            orders.append(order)
    report.rejected = len({p.row for p in report.problems if not p.warning})
    present = _already_imported(mapping.source, [o.external_id for o in orders])
    report.present = len(present)
    return Plan(report, [o for o in orders if o.external_id not in present])


def _already_imported(source: str, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), 5000):
        found.update(ImportedRecord.objects.filter(source=source, external_id__in=ids[start:start + 5000])
                     .values_list("external_id", flat=True))
    return found


class Writer:
    """Second pass: the matters, their events and their index entries, a chunk at a time."""

    def __init__(self, mapping: Mapping, *, root: Unit, actor: User | None, run: ImportRun, now: datetime) -> None:
        self.mapping, self.root, self.actor, self.run, self.now = mapping, root, actor, run, now
        self.units = _UnitNames(root, now)
        self.categories = _CategoryPaths()
        self.areas = _AreaNames(mapping)
        self.hotline = self.units.resolve(mapping.hotline_unit or _("12345 hotline"))
        self.caller = encrypt(CALLER)
        self.matter_defaults = _defaults(Matter)
        self.label = "" if actor else f"import:{mapping.name}"

    def write(self, orders: list[WorkOrder], progress: Progress | None) -> int:
        with batch_clock_context():
            for start in range(0, len(orders), CHUNK):
                self._chunk(orders[start:start + CHUNK])
                if progress:
                    progress(min(start + CHUNK, len(orders)), len(orders))
        return len(orders)

    def _chunk(self, orders: list[WorkOrder]) -> None:
        # Rows as plain dicts: building 100,000s of model instances cost more than writing them.
        person = {**_defaults(Petitioner), "name": self.caller}
        petitioner_ids = insert_values(Petitioner, [person] * len(orders), returning=True, prepared=frozenset({"name"}))
        codes = _fresh_codes(len(orders))
        rows = [self._matter(o, p, c) for o, p, c in zip(orders, petitioner_ids, codes, strict=True)]
        for row, pk in zip(rows, insert_values(Matter, rows, returning=True), strict=True):
            row["id"] = pk
        record = _defaults(ImportedRecord)
        insert_values(ImportedRecord, [
            {**record, "source": self.mapping.source, "external_id": o.external_id, "matter_id": m["id"],
             "appeal_type": o.appeal_type, "source_status": o.status, "dispatched_at": o.dispatched_at, "run_id": self.run.pk}
            for o, m in zip(orders, rows, strict=True)])
        record_events([e for o, m in zip(orders, rows, strict=True) for e in self._events(o, m)])
        search.index_matters([(m["id"], m["title"], m["content"]) for m in rows])
        # Only live matters are ever offered as likely duplicates at intake; old closed orders would
        # fill the index for nothing.
        since = self.now - timedelta(days=duplicates.WINDOW_DAYS)
        duplicates.index_matters([(m["id"], m["title"], m["content"]) for m in rows if m["state"] != State.CLOSED
                                  or m["registered_at"] >= since or (m["closed_at"] or since) > since])
        started = {m["id"]: o for o, m in zip(orders, rows, strict=True) if m["state"] == State.ACCEPTED}
        ctx = clock_context()
        for matter in Matter.objects.filter(pk__in=started):
            o = started[matter.pk]
            start_clock(matter, Clock.HANDLING, (o.dispatched_at or o.created_at).date(), ctx)
            refresh_due_columns(matter, ctx)
            matter.save(update_fields=["statutory_due", "due_soon_from", "clock_paused", "due_provisional"])

    def _matter(self, o: WorkOrder, petitioner_id: int, code: str) -> dict[str, Any]:
        unit = self.units.resolve(o.handling_unit) if o.handling_unit else self.hotline
        reply = "\n\n".join(dict.fromkeys(text for _c, text in o.results))
        return {
            **self.matter_defaults, "query_code": code, "channel": self.mapping.channel, "handling_kind": o.handling_kind,
            "state": State.CLOSED if o.archived else State.ACCEPTED, "title": o.title, "content": o.content,
            "category_id": self.categories.resolve(o.categories), "area_id": self.areas.resolve(o.areas),
            "address": o.address, "latitude": o.latitude, "longitude": o.longitude, "petitioner_id": petitioner_id,
            "intake_unit_id": self.hotline.pk, "handling_unit_id": unit.pk, "registered_at": o.created_at,
            "closed_at": (o.dispatched_at or o.created_at) if o.archived else None, "reply_text": reply,
        }

    def _events(self, o: WorkOrder, m: dict[str, Any]) -> Iterable[EventSpec]:
        who: dict[str, Any] = {"actor": self.actor, "actor_label": self.label, "target_ref": ("matter", m["id"])}
        handled_at = max(o.dispatched_at or o.created_at, o.created_at)
        # The order arrives accepted; an archived one closes in the event after, so the events read
        # in order give the matter's state at each point.
        yield EventSpec("import_workorder", **who, at=o.created_at, after={
            "state": State.ACCEPTED, "handling_unit": m["handling_unit_id"], "source": self.mapping.source,
            "external_id": o.external_id, "appeal_type": o.appeal_type, "run": self.run.pk,
            "dispatched_at": o.dispatched_at.isoformat() if o.dispatched_at else None, "source_status": o.status})
        before = {"state": State.ACCEPTED} if o.archived else None
        closed = {"state": State.CLOSED} if o.archived else {}
        if o.results:
            # One result of the source, in up to three facets (latest handling, closing report, reply
            # to the citizen) that often repeat each other: one event, each distinct text once. An
            # archived order's result is also its closing, one fact of the source and so one event:
            # two sealed events a row instead of three, the chain being most of an import's cost.
            texts = dict.fromkeys(text for _c, text in o.results)
            yield EventSpec("imported_reply", **who, at=handled_at, reason="\n\n".join(texts), before=before,
                            after={**closed, "source_columns": [c for c, _t in o.results], "source_status": o.status})
        elif o.archived:
            yield EventSpec("close", **who, at=handled_at, before=before, after=closed, reason=o.status)


def _defaults(model: type[models.Model]) -> dict[str, Any]:
    return {f.attname: f.get_default() for f in model._meta.concrete_fields if not f.primary_key}


def _fresh_codes(n: int) -> list[str]:
    codes: list[str] = []
    while len(codes) < n:
        batch = set(new_query_codes(n - len(codes))) - set(codes)
        taken = set(Matter.objects.filter(query_code__in=batch).values_list("query_code", flat=True))
        codes += sorted(batch - taken)
    return codes


class _UnitNames:
    """A unit by its exact name within the importer's scope; unknown ones are created under one
    "imported units" node, for an administrator to merge into the real tree later."""

    def __init__(self, root: Unit, now: datetime) -> None:
        self.root, self.now = root, now
        self.by_name: dict[str, Unit] = {}
        for unit in Unit.objects.filter(path__startswith=root.path).order_by("path"):
            self.by_name.setdefault(unit.name, unit)
        self._parent: Unit | None = None

    def resolve(self, name: str) -> Unit:
        unit = self.by_name.get(name)
        if unit is None:
            if self._parent is None:
                self._parent = self.by_name.get(IMPORTED_UNITS) or create_unit(
                    IMPORTED_UNITS, kind=UnitKind.FUNCTIONAL, level_name=self.root.level_name, parent=self.root, now=self.now)
                self.by_name[IMPORTED_UNITS] = self._parent
            unit = self.by_name[name] = create_unit(name, kind=UnitKind.FUNCTIONAL, level_name=self.root.level_name,
                                                    parent=self._parent, now=self.now)
        return unit


class _CategoryPaths:
    """A category path found in the taxonomy as it is, else added under the imported branch."""

    def __init__(self) -> None:
        self.by_path = dict(Category.objects.values_list("path", "id"))

    def resolve(self, levels: list[str]) -> int | None:
        if not levels:
            return None
        path = "/".join(levels)
        if path in self.by_path:
            return self.by_path[path]
        parent_id, built = None, ""
        for name in [IMPORTED_CATEGORIES, *levels]:
            built = f"{built}/{name}" if built else name
            if built not in self.by_path:
                depth = built.count("/") + 1
                self.by_path[built] = Category.objects.create(name=name, level=depth, parent_id=parent_id, path=built[:200]).pk
            parent_id = self.by_path[built]
        return parent_id


class _AreaNames:
    """Area levels by name beneath the mapping's city area; "全市" means the city itself."""

    def __init__(self, mapping: Mapping) -> None:
        self.mapping = mapping
        self.children: dict[tuple[int | None, str], int] = {
            (parent, name): pk for pk, parent, name in Area.objects.values_list("pk", "parent_id", "name")}

    def _child(self, parent: int | None, name: str) -> int:
        key = (parent, name)
        if key not in self.children:
            code = "imp-" + hashlib.sha1(f"{parent}/{name}".encode()).hexdigest()[:12]
            self.children[key] = Area.objects.get_or_create(code=code, defaults={"name": name, "parent_id": parent})[0].pk
        return self.children[key]

    def resolve(self, levels: list[str]) -> int | None:
        if not self.mapping.city_area:
            return None
        current = self._child(None, self.mapping.city_area)
        for name in levels:
            if name not in self.mapping.whole_area_values:
                current = self._child(current, name)
        return current if levels else None


def execute(table: Table, mapping: Mapping, run: ImportRun, *, root: Unit, now: datetime,
            progress: Progress | None = None) -> ImportRun:
    """Check the file and, unless it is a dry run or refused, import it, recording the outcome on ``run``."""
    plan = plan_import(table, mapping)
    report = plan.report
    refused = report.refused or (run.mode == ImportMode.ALL_OR_NOTHING and bool(report.rejected))
    run.rows_read, run.rows_present, run.rows_rejected = report.read, report.present, report.rejected
    run.problems, run.file_problem = [p.as_dict() for p in report.problems], report.file_problem
    label = "" if run.actor else f"import:{mapping.name}"
    _roomy_page_cache()
    with transaction.atomic():
        if run.dry_run or refused:
            run.status = ImportStatus.CHECKED if run.dry_run else ImportStatus.REFUSED
            verb = "import_checked" if run.dry_run else "import_refused"
        else:
            run.status, verb = ImportStatus.DONE, "import_workorders"
            run.save()
            run.rows_imported = Writer(mapping, root=root, actor=run.actor, run=run, now=now).write(plan.new_orders, progress)
        run.finished_at = now
        run.save()
        record_events([EventSpec(verb, actor=run.actor, actor_label=label, target=run, at=now, after=_totals(run))])
    return run


def _roomy_page_cache() -> None:
    # A bulk import inserts into the event chain's unique hash index at random places; with SQLite's
    # 2 MB default cache each insert past ~50k rows read pages back from disk. The connections now
    # have 64 MB (settings); 256 MB for an importing one keeps a 100k-row import's index pages in memory.
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("PRAGMA cache_size = -262144")


def _totals(run: ImportRun) -> dict[str, object]:
    return {"file": run.filename, "sha256": run.sha256, "mapping": run.mapping_name, "mode": run.mode,
            "read": run.rows_read, "imported": run.rows_imported, "present": run.rows_present,
            "rejected": run.rows_rejected}
