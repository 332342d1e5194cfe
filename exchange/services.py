"""Use cases of data exchange: import a file, save a column mapping."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from matters.errors import InvalidInput, NotAllowed
from org.models import Role, Unit, User
from org.scope import covering_scope

from .importer import Progress, Report, execute
from .mapping import Mapping, find_mapping, from_spec, shipped_mappings
from .models import ImportMapping, ImportMode, ImportRun, ImportStatus
from .readers import FileRefused, read_table

IMPORT_ROLES = (Role.REGISTRAR, Role.REVIEWER)


def import_scope(actor: User) -> Unit:
    """The unit under which an importer may place matters: their registrar or reviewer scope."""
    scope = covering_scope(actor, actor.unit, IMPORT_ROLES) if actor.unit else None
    if scope is None:
        raise NotAllowed(_("Only a registrar or a petition-office reviewer may import work orders."))
    return scope


def import_file(data: bytes, filename: str, mapping: Mapping | str, *, actor: User | None, now: datetime,
                mode: str = ImportMode.ALL_OR_NOTHING, dry_run: bool = False, encoding: str = "auto",
                root: Unit | None = None, progress: Progress | None = None) -> ImportRun:
    """Dry-run or import one file. ``actor`` None is the command line, which imports under ``root``
    (default: the top of the organisation); a person imports under their own scope."""
    if mode not in ImportMode.values:
        raise InvalidInput(_("Unknown import mode."), fields={"mode": _("Choose all-or-nothing or skip bad rows.")})
    if isinstance(mapping, str):
        mapping = find_mapping(mapping)
    if actor is not None:
        root = import_scope(actor)
    root = root or Unit.objects.filter(parent__isnull=True).order_by("path").first()
    if root is None:
        raise InvalidInput(_("There is no organisation to import into."), fields={})
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        table = read_table(data, filename, encoding)
    except FileRefused as refusal:
        return _refused_file(refusal.message, filename, sha256, len(data), mapping, actor, mode, dry_run, now)
    return execute(table, mapping, root=root, actor=actor, mode=mode, dry_run=dry_run, filename=filename,
                   sha256=sha256, size=len(data), now=now, progress=progress)


def _refused_file(message: str, filename: str, sha256: str, size: int, mapping: Mapping, actor: User | None,
                  mode: str, dry_run: bool, now: datetime) -> ImportRun:
    with transaction.atomic():
        run = ImportRun.objects.create(filename=filename[:200], sha256=sha256, size=size, mapping_name=mapping.name,
                                       mode=mode, dry_run=dry_run, status=ImportStatus.REFUSED, actor=actor,
                                       started_at=now, finished_at=now, file_problem=message)
        record_event("import_refused", actor=actor, actor_label="" if actor else f"import:{mapping.name}", target=run,
                     at=now, after={"file": run.filename, "sha256": sha256, "reason": message})
    return run


def save_mapping(spec: dict[str, Any], *, actor: User, now: datetime) -> ImportMapping:
    """Save (or replace) a mapping made on the import page; shipped mappings cannot be overwritten."""
    import_scope(actor)
    mapping = from_spec(spec)
    if mapping.name in shipped_mappings():
        raise InvalidInput(_("A shipped mapping has this name; choose another."), fields={"name": _("Name taken.")})
    with transaction.atomic():
        saved, created = ImportMapping.objects.update_or_create(
            name=mapping.name, defaults={"label": mapping.label, "spec": mapping.to_spec(), "saved_by": actor, "saved_at": now})
        record_event("save_import_mapping", actor=actor, target=saved, at=now,
                     after={"name": saved.name, "created": created, "columns": mapping.columns})
    return saved


def report_of(run: ImportRun) -> Report:
    return Report(read=run.rows_read, imported=run.rows_imported, present=run.rows_present,
                  rejected=run.rows_rejected, file_problem=run.file_problem)
