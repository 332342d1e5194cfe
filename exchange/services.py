"""Use cases of data exchange: import a file (now, or in the background with progress), save a
column mapping."""

from __future__ import annotations

import hashlib
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from matters.errors import InvalidInput, NotAllowed
from org.models import Role, Unit, User
from org.scope import covering_scope

from .importer import Progress, execute
from .mapping import Mapping, find_mapping, from_spec, shipped_mappings
from .models import ImportMapping, ImportMode, ImportRun, ImportStatus
from .readers import FileRefused, read_table

IMPORT_ROLES = (Role.REGISTRAR, Role.REVIEWER)


def _scope(actor: User) -> Unit | None:
    return covering_scope(actor, actor.unit, IMPORT_ROLES) if actor.unit else None


def import_scope(actor: User) -> Unit:
    """The unit under which an importer may place matters: their registrar or reviewer scope."""
    scope = _scope(actor)
    if scope is None:
        raise NotAllowed(_("Only a registrar or a petition-office reviewer may import work orders."))
    return scope


def may_import(actor: User) -> bool:
    return _scope(actor) is not None


def import_file(data: bytes, filename: str, mapping: Mapping | str, *, actor: User | None, now: datetime,
                mode: str = ImportMode.ALL_OR_NOTHING, dry_run: bool = False, encoding: str = "auto",
                root: Unit | None = None, progress: Progress | None = None) -> ImportRun:
    """Dry-run or import one file now. ``actor`` None is the command line, which imports under
    ``root`` (default: the top of the organisation); a person imports under their own scope."""
    mapping, root = _check(mapping, actor, mode, root)
    run = ImportRun(filename=filename[:200], sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                    mapping_name=mapping.name, mode=mode, dry_run=dry_run, actor=actor, started_at=now,
                    status=ImportStatus.RUNNING)
    return _run(data, encoding, mapping, run, root, now, progress)


def _check(mapping: Mapping | str, actor: User | None, mode: str, root: Unit | None) -> tuple[Mapping, Unit]:
    if mode not in ImportMode.values:
        raise InvalidInput(_("Unknown import mode."), fields={"mode": _("Choose all-or-nothing or skip bad rows.")})
    if isinstance(mapping, str):
        mapping = find_mapping(mapping)
    if actor is not None:
        root = import_scope(actor)
    root = root or Unit.objects.filter(parent__isnull=True).order_by("path").first()
    if root is None:
        raise InvalidInput(_("There is no organisation to import into."), fields={})
    return mapping, root


def _run(data: bytes, encoding: str, mapping: Mapping, run: ImportRun, root: Unit, now: datetime,
         progress: Progress | None) -> ImportRun:
    try:
        table = read_table(data, run.filename, encoding)
    except FileRefused as refusal:
        with transaction.atomic():
            run.status, run.file_problem, run.finished_at = ImportStatus.REFUSED, refusal.message, now
            run.save()
            record_event("import_refused", actor=run.actor, actor_label="" if run.actor else f"import:{mapping.name}",
                         target=run, at=now, after={"file": run.filename, "sha256": run.sha256, "reason": refusal.message})
        return run
    return execute(table, mapping, run, root=root, now=now, progress=progress)


# --- in the background, from the import page ------------------------------------------------

def stored_path(sha256: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / sha256


def keep_upload(data: bytes) -> str:
    """Keep an uploaded file by its hash, so the import after a dry run reads the very same bytes."""
    digest = hashlib.sha256(data).hexdigest()
    path = stored_path(digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.with_suffix(".part").write_bytes(data)
        path.with_suffix(".part").replace(path)
    return digest


def progress_of(run: ImportRun) -> tuple[int, int]:
    done, total = cache.get(f"import-progress:{run.pk}", (0, 0))
    return done, total


_threads: dict[int, threading.Thread] = {}


def start_import(sha256: str, filename: str, mapping_name: str, *, actor: User, mode: str, encoding: str,
                 now: datetime) -> ImportRun:
    """Record a running import of a kept upload and carry it out in a thread; the page polls its progress."""
    mapping, root = _check(mapping_name, actor, mode, None)
    path = stored_path(sha256)
    if not path.exists():
        raise InvalidInput(_("The checked file is no longer kept; upload it again."), fields={"file": _("Upload again.")})
    run = ImportRun.objects.create(filename=filename[:200], sha256=sha256, size=path.stat().st_size,
                                   mapping_name=mapping.name, mode=mode, dry_run=False, actor=actor, started_at=now,
                                   status=ImportStatus.RUNNING)

    def work() -> None:
        try:
            _run(path.read_bytes(), encoding, mapping, run, root, timezone.now(),
                 lambda done, total: cache.set(f"import-progress:{run.pk}", (done, total), 3600))
        except Exception as err:  # the page must say it failed rather than spin forever
            ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.FAILED, file_problem=str(err)[:500],
                                                       finished_at=timezone.now())
            raise
        finally:
            close_old_connections()

    thread = _threads[run.pk] = threading.Thread(target=work, name=f"import-{run.pk}", daemon=True)
    thread.start()
    return run


def wait_for(run_id: int, timeout: float = 60) -> None:
    """Block until a background import ends (tests, and the command line if it ever starts one)."""
    thread = _threads.pop(run_id, None)
    if thread is not None:
        thread.join(timeout)


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


def create_open311_client(name: str, *, now: datetime) -> tuple[Any, str]:
    """Register an application for the GeoReport API; returns it and its api_key, shown only once."""
    import secrets

    from matters.personal_data import lookup_hash

    from .models import Open311Client

    if not name.strip():
        raise InvalidInput(_("Name the application."), fields={"name": _("Required.")})
    key = secrets.token_urlsafe(24)
    with transaction.atomic():
        client = Open311Client.objects.create(name=name.strip()[:100], key_hash=lookup_hash(key), created_at=now)
        record_event("create_open311_client", target=client, at=now, after={"name": client.name})
    return client, key
