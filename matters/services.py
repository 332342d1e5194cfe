"""Use cases on matters. Every state change goes through one function here, inside a
transaction, under a row lock, checked against the lifecycle table, and recorded as an event."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from deadlines.models import PublishedYear
from deadlines.rules import CLOCKS, EXTENSION_MAX_DAYS, Clock
from documents.services import issue_for_transition
from intel import duplicates
from notify.services import notify_transition
from org.models import CONFIDENTIAL_UNIT_KINDS, Area, Role, Unit, User
from org.scope import covering_scope, holds_role_over

from . import search, selectors
from .clocks import (
    ClockContext,
    clock_context,
    open_deadlines,
    recompute,
    refresh_due_columns,
    start_clock,
    stop_clocks,
)
from .errors import IllegalTransition, InvalidInput, NotAllowed
from .lifecycle import CLOSING_WINDOWS, OPEN_STATES, TRANSITIONS, Scope, State, Transition
from .models import (
    MAX_REPRESENTATIVES,
    Attachment,
    Category,
    Channel,
    Deadline,
    HandlingKind,
    Matter,
    Petitioner,
    PetitionerKind,
    Representative,
)
from .personal_data import lookup_hash, normalise_id_number, normalise_phone
from .repeats import earlier_matter

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud over the phone cannot be misheard.
QUERY_CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
QUERY_CODE_LENGTH = 10
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PETITIONER = "petitioner"  # the event's actor label when the petitioner acted on the portal


def new_query_code() -> str:
    return new_query_codes(1)[0]


# The largest multiple of the alphabet's size within a byte: bytes below it map evenly onto the
# alphabet, the others are drawn again, so every symbol is equally likely.
_EVEN_BYTES = 256 // len(QUERY_CODE_ALPHABET) * len(QUERY_CODE_ALPHABET)


def new_query_codes(n: int) -> list[str]:
    """``n`` random codes from the system's secure source. Drawn as bytes in bulk: a bulk import
    needs 100,000 at once, which one ``secrets.choice`` per symbol made a 1.4 s affair."""
    symbols: list[str] = []
    while len(symbols) < n * QUERY_CODE_LENGTH:
        want = n * QUERY_CODE_LENGTH - len(symbols)
        symbols += [QUERY_CODE_ALPHABET[b % len(QUERY_CODE_ALPHABET)] for b in secrets.token_bytes(want + want // 8 + 8)
                    if b < _EVEN_BYTES][:want]
    return ["".join(symbols[i:i + QUERY_CODE_LENGTH]) for i in range(0, n * QUERY_CODE_LENGTH, QUERY_CODE_LENGTH)]


@dataclass
class IncomingFile:
    filename: str
    content_type: str
    data: bytes

    @classmethod
    def from_upload(cls, upload: UploadedFile) -> IncomingFile:
        return cls(upload.name or "", upload.content_type or "", upload.read())


@dataclass
class PetitionerData:
    name: str
    kind: str = PetitionerKind.PERSON
    phone: str = ""
    id_number: str = ""
    address: str = ""
    email: str = ""
    group_size: int | None = None
    representatives: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class RegistrationData:
    channel: str
    title: str
    content: str
    petitioner: PetitionerData
    handling_kind: str = HandlingKind.CLAIM
    category_id: int | None = None
    area_id: int | None = None
    address: str = ""
    handling_unit_id: int | None = None
    is_first: bool = True
    is_group: bool = False
    is_above_level: bool = False
    is_to_capital: bool = False
    attachments: list[IncomingFile] = field(default_factory=list)


def _local_date(now: datetime) -> date:
    return timezone.localtime(now).date()


_MAGIC = {"application/pdf": (b"%PDF",), "image/png": (b"\x89PNG",), "image/jpeg": (b"\xff\xd8\xff",)}


def check_file(f: IncomingFile, index: int, errors: dict[str, str]) -> None:
    key = f"attachments[{index}]"
    allowed = settings.ATTACHMENT_TYPES
    if f.content_type not in allowed:
        errors[key] = _("%(name)s: file type %(type)s is not accepted; accepted: PDF, JPEG, PNG, MP3, WAV, TXT.") % {
            "name": f.filename, "type": f.content_type or "?"}
    elif len(f.data) > settings.ATTACHMENT_MAX_BYTES:
        errors[key] = _("%(name)s is %(size)d bytes; the limit is %(max)d bytes.") % {
            "name": f.filename, "size": len(f.data), "max": settings.ATTACHMENT_MAX_BYTES}
    elif not f.data:
        errors[key] = _("%(name)s is empty.") % {"name": f.filename}
    elif f.content_type in _MAGIC and not f.data.startswith(_MAGIC[f.content_type]):
        errors[key] = _("%(name)s is not a real %(type)s file.") % {"name": f.filename, "type": f.content_type}


def store_file(f: IncomingFile, matter: Matter, now: datetime) -> Attachment:
    digest = hashlib.sha256(f.data).hexdigest()
    path = Path(settings.MEDIA_ROOT) / "attachments" / digest[:2] / digest
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(f.data)
        tmp.replace(path)
    return Attachment.objects.create(
        matter=matter, sha256=digest, filename=f.filename[:200], content_type=f.content_type, size=len(f.data), uploaded_at=now,
    )


def _validate_registration(data: RegistrationData, default_unit: Unit, assignable: QuerySet[Unit]) -> tuple[Unit, dict[str, str]]:
    errors: dict[str, str] = {}
    if data.channel not in Channel.values:
        errors["channel"] = _("Unknown channel.")
    if data.handling_kind not in HandlingKind.values:
        errors["handling_kind"] = _("Unknown kind of handling.")
    if not data.title.strip():
        errors["title"] = _("A title is required.")
    elif len(data.title) > 200:
        errors["title"] = _("The title is longer than 200 characters.")
    if not data.content.strip():
        errors["content"] = _("The content of the petition is required.")
    p = data.petitioner
    if not p.name.strip():
        errors["petitioner.name"] = _("The petitioner's name is required.")
    if p.kind not in PetitionerKind.values:
        errors["petitioner.kind"] = _("Unknown kind of petitioner.")
    if p.phone and not 7 <= len(normalise_phone(p.phone)) <= 12:
        errors["petitioner.phone"] = _("The phone number must have 7 to 12 digits.")
    if p.email.strip() and not EMAIL.fullmatch(p.email.strip()):
        errors["petitioner.email"] = _("This is not an email address.")
    if len(p.representatives) > MAX_REPRESENTATIVES:
        errors["petitioner.representatives"] = _("A group names at most five representatives (Art. 20).")
    if p.kind == PetitionerKind.GROUP and not (p.group_size and p.group_size > 1):
        errors["petitioner.group_size"] = _("A group needs the number of people, more than one.")
    if data.category_id is not None and not Category.objects.filter(pk=data.category_id).exists():
        errors["category_id"] = _("Unknown category.")
    if data.area_id is not None and not Area.objects.filter(pk=data.area_id).exists():
        errors["area_id"] = _("Unknown area.")
    for i, f in enumerate(data.attachments):
        check_file(f, i, errors)
    unit: Unit | None = default_unit
    if data.handling_unit_id is not None:
        unit = assignable.filter(pk=data.handling_unit_id).first()
        if unit is None:
            errors["handling_unit_id"] = _("That unit is not within your scope.")
    if unit is not None and data.handling_kind == HandlingKind.ACCUSATION and unit.kind not in CONFIDENTIAL_UNIT_KINDS:
        errors["handling_unit_id"] = _("An accusation may only go to a petition office or discipline inspection.")
    return unit, errors  # type: ignore[return-value]


def register_matter(data: RegistrationData, *, actor: User, now: datetime) -> Matter:
    """登记: record a petition from any channel and start its 15-day acceptance clock."""
    if actor.unit is None or not holds_role_over(actor, actor.unit, [Role.REGISTRAR]):
        raise NotAllowed(_("Only a registrar may register matters."))
    return _register(data, intake_unit=actor.unit, assignable=selectors.units_for_assignment(actor), actor=actor, now=now)


def submit_online(data: RegistrationData, *, intake_unit: Unit, now: datetime) -> Matter:
    """网上信访: the petitioner registers the matter themselves on the portal, at ``intake_unit``
    (the petition office receiving online petitions) or at the unit the legal-route guide named."""
    data.channel = Channel.WEB
    return _register(data, intake_unit=intake_unit, assignable=Unit.objects.all(), actor=None, now=now)


def _register(data: RegistrationData, *, intake_unit: Unit, assignable: QuerySet[Unit], actor: User | None,
              now: datetime) -> Matter:
    unit, errors = _validate_registration(data, intake_unit, assignable)
    if errors:
        raise InvalidInput(_("The registration has errors; nothing was saved."), fields=errors)
    p = data.petitioner
    phone, id_number = normalise_phone(p.phone), normalise_id_number(p.id_number)
    phone_hash, id_hash = lookup_hash(phone), lookup_hash(id_number)
    ctx = clock_context()
    with transaction.atomic():
        earlier = earlier_matter(phone_hash, id_hash, now=now)
        petitioner = Petitioner.objects.create(
            kind=p.kind, name=p.name.strip(), phone=phone, id_number=id_number, address=p.address, email=p.email.strip(),
            phone_hash=phone_hash, id_hash=id_hash, group_size=p.group_size,
        )
        for rep_name, rep_phone in p.representatives:
            Representative.objects.create(petitioner=petitioner, name=rep_name, phone=normalise_phone(rep_phone))
        matter = Matter(
            channel=data.channel, handling_kind=data.handling_kind, title=data.title.strip(), content=data.content,
            category_id=data.category_id, area_id=data.area_id, address=data.address, petitioner=petitioner,
            intake_unit=intake_unit, handling_unit=unit, registered_at=now,
            is_first=data.is_first and earlier is None, is_repeat=earlier is not None, repeat_of=earlier,
            is_group=data.is_group or p.kind == PetitionerKind.GROUP, is_above_level=data.is_above_level,
            is_to_capital=data.is_to_capital,
        )
        _save_with_fresh_code(matter)
        search.index_matters([(matter.pk, matter.title, matter.content)])
        duplicates.index_matters([(matter.pk, matter.title, matter.content)])
        for f in data.attachments:
            store_file(f, matter, now)
        start_clock(matter, Clock.ACCEPTANCE, _local_date(now), ctx)
        refresh_due_columns(matter, ctx)
        matter.save()
        record_event("register", actor=actor, actor_label="" if actor else PETITIONER, target=matter, at=now,
                     after={**_snapshot(matter), **({"repeat_of": earlier.pk} if earlier else {})})
    return matter


def _save_with_fresh_code(matter: Matter) -> None:
    for _attempt in range(5):
        matter.query_code = new_query_code()
        try:
            with transaction.atomic():
                matter.save()
            return
        except IntegrityError:
            if Matter.objects.filter(query_code=matter.query_code).exists():
                continue
            raise
    raise RuntimeError("could not draw a unique query code")


def _snapshot(matter: Matter) -> dict[str, Any]:
    return {
        "state": matter.state,
        "handling_unit": matter.handling_unit_id,
        "statutory_due": matter.statutory_due.isoformat() if matter.statutory_due else None,
    }


def _check_permission(t: Transition, matter: Matter, actor: User | None, by_petitioner: bool) -> Unit | None:
    """Returns the scope unit the actor acts from (needed for review bodies)."""
    if by_petitioner:
        if not t.by_petitioner:
            raise NotAllowed(_("Only the office can take “%(action)s”.") % {"action": t.label})
        return None
    if t.scope == Scope.SYSTEM:
        if actor is not None:
            raise NotAllowed(_("Only the system closes matters."))
        return None
    assert actor is not None
    if t.scope == Scope.HANDLING_UNIT:
        if holds_role_over(actor, matter.handling_unit, t.roles):
            return matter.handling_unit
    elif t.scope == Scope.ABOVE_HANDLING_UNIT:
        scope = covering_scope(actor, matter.handling_unit, t.roles, strictly_above=True)
        if scope is not None:
            return scope
    elif t.scope == Scope.ABOVE_REVIEW_UNIT and matter.review_unit is not None:
        scope = covering_scope(actor, matter.review_unit, t.roles, strictly_above=True)
        if scope is not None:
            return scope
    raise NotAllowed(_("You hold no role that allows “%(action)s” on this matter.") % {"action": t.label})


Mutation = Callable[[Matter, date, ClockContext, "Unit | None"], dict[str, Any]]


def _transition(
    action: str,
    matter_id: int,
    *,
    actor: User | None,
    now: datetime,
    reason: str = "",
    expected_version: int | None = None,
    mutate: Mutation | None = None,
    by_petitioner: bool = False,
) -> Matter:
    """``actor`` None is the system, or with ``by_petitioner`` the petitioner, who reached the
    matter through its query code and second factor."""
    t = TRANSITIONS[action]
    ctx = clock_context()
    today = _local_date(now)
    with transaction.atomic():
        base = Matter.objects.all() if actor is None else selectors.matters_visible_to(actor)
        matter = base.select_for_update().get(pk=matter_id)
        # State first: who may act can depend on what the state has set (the review body).
        if matter.state not in t.sources:
            raise IllegalTransition(
                _("“%(action)s” is not possible while the matter is %(state)s.")
                % {"action": t.label, "state": State(matter.state).label}
            )
        acting_scope = _check_permission(t, matter, actor, by_petitioner)
        if expected_version is not None and expected_version != matter.version:
            raise IllegalTransition(_("Someone else changed this matter since you opened it; reload and try again."))
        before = _snapshot(matter)
        details = mutate(matter, today, ctx, acting_scope) if mutate else {}
        stop_clocks(matter, t.stops, today)
        matter.state = t.target
        for clock in t.starts:
            start_clock(matter, clock, today, ctx)
        refresh_due_columns(matter, ctx)
        matter.version += 1
        if t.target == State.CLOSED:
            matter.closed_at = now
        if action in ("accept", "refuse") and matter.responded_at is None:
            matter.responded_at = now
        matter.save()
        record_event(action, actor=actor, actor_label=PETITIONER if by_petitioner else "", target=matter, at=now,
                     before=before, after={**_snapshot(matter), **details}, reason=reason)
        issue_for_transition(matter, action, unit=acting_scope or matter.handling_unit, now=now, details=details,
                             reason=reason)
        notify_transition(matter, action, now=now, details=details, previous_unit=acting_scope)
    return matter


def _require(value: str, field_name: str, message: str) -> str:
    if not value or not value.strip():
        raise InvalidInput(message, fields={field_name: message})
    return value.strip()


def _open_clock(matter: Matter, clock: Clock) -> Deadline | None:
    return Deadline.objects.filter(matter=matter, clock=clock, stopped_on__isnull=True).first()


def _require_within(matter: Matter, clock: Clock, today: date, what: str) -> None:
    deadline = _open_clock(matter, clock)
    if deadline is None or today > deadline.due:
        ended = deadline.due.isoformat() if deadline else "—"
        raise IllegalTransition(_("%(what)s: the period ended on %(date)s.") % {"what": what, "date": ended})


# --- the transitions, one function each ---------------------------------------------------


def forward_matter(matter_id: int, *, actor: User, now: datetime, to_unit_id: int, reason: str = "",
                   expected_version: int | None = None) -> Matter:
    """转送/交办: hand the matter to the competent unit, which gets 15 days to decide and 5 working days to object."""

    def mutate(matter: Matter, today: date, ctx: ClockContext, scope: Unit | None) -> dict[str, Any]:
        unit = Unit.objects.filter(pk=to_unit_id).first()
        if unit is None or not selectors.units_for_assignment(actor).filter(pk=unit.pk).exists():
            raise InvalidInput(_("That unit is not within your scope."), fields={"to_unit_id": _("Not within your scope.")})
        if unit.pk == matter.handling_unit_id:
            raise InvalidInput(_("The matter is already with that unit."), fields={"to_unit_id": _("Choose another unit.")})
        if matter.handling_kind == HandlingKind.ACCUSATION and unit.kind not in CONFIDENTIAL_UNIT_KINDS:
            raise InvalidInput(
                _("An accusation may only go to a petition office or discipline inspection, never to the accused unit."),
                fields={"to_unit_id": _("Not allowed for an accusation.")},
            )
        matter.handling_unit = unit
        return {"to_unit_name": unit.name}

    return _transition("forward", matter_id, actor=actor, now=now, reason=reason, mutate=mutate,
                       expected_version=expected_version)


def object_to_assignment(matter_id: int, *, actor: User, now: datetime, reason: str,
                         expected_version: int | None = None) -> Matter:
    """异议: the receiving unit says it is not competent, within 5 working days; the matter goes back."""
    _require(reason, "reason", _("Say why your unit is not competent."))

    def mutate(matter: Matter, today: date, ctx: ClockContext, scope: Unit | None) -> dict[str, Any]:
        _require_within(matter, Clock.OBJECTION, today, _("Objection"))
        matter.handling_unit = matter.intake_unit
        return {}

    return _transition("object", matter_id, actor=actor, now=now, reason=reason, mutate=mutate,
                       expected_version=expected_version)


def accept_matter(matter_id: int, *, actor: User, now: datetime, expected_version: int | None = None) -> Matter:
    """受理: starts the 60-day handling clock and any local target."""
    return _transition("accept", matter_id, actor=actor, now=now, expected_version=expected_version)


def refuse_matter(matter_id: int, *, actor: User, now: datetime, reason: str, legal_route: str = "",
                  expected_version: int | None = None) -> Matter:
    """不予受理: with the reason and, for a claim with a statutory route, that route (Art. 28, 31)."""
    _require(reason, "reason", _("A reason is required."))

    def mutate(matter: Matter, today: date, ctx: ClockContext, scope: Unit | None) -> dict[str, Any]:
        if matter.handling_kind == HandlingKind.CLAIM and not legal_route.strip():
            raise InvalidInput(_("Name the legal route the petitioner should take."),
                               fields={"legal_route": _("Required for a claim.")})
        matter.decision_text, matter.legal_route = reason.strip(), legal_route.strip()
        return {"legal_route": matter.legal_route}

    return _transition("refuse", matter_id, actor=actor, now=now, reason=reason, mutate=mutate,
                       expected_version=expected_version)


def merge_matter(matter_id: int, *, actor: User, now: datetime, into_id: int, reason: str = "",
                 expected_version: int | None = None) -> Matter:
    """合并: a duplicate of an open matter is linked to it."""

    def mutate(matter: Matter, today: date, ctx: ClockContext, scope: Unit | None) -> dict[str, Any]:
        target = selectors.matters_visible_to(actor).filter(pk=into_id).first()
        if target is None or target.pk == matter.pk or target.state in (State.MERGED, State.NOT_ACCEPTED, State.CLOSED):
            raise InvalidInput(_("Merge only into another open matter you can see."),
                               fields={"into_id": _("Not an open matter in your scope.")})
        matter.merged_into = target
        return {"into": target.pk, "into_code": target.query_code}

    return _transition("merge", matter_id, actor=actor, now=now, reason=reason, mutate=mutate,
                       expected_version=expected_version)


def extend_matter(matter_id: int, *, actor: User, now: datetime, days: int, reason: str,
                  expected_version: int | None = None) -> Matter:
    """延期: before the 60 days end, at most 30 more days, with the reason told to the petitioner (Art. 34)."""
    _require(reason, "reason", _("The reason is told to the petitioner and is required."))
    if not 1 <= days <= EXTENSION_MAX_DAYS:
        raise InvalidInput(_("An extension is 1 to 30 days."), fields={"days": _("1 to 30 days.")})

    def mutate(matter: Matter, today: date, ctx: ClockContext, scope: Unit | None) -> dict[str, Any]:
        handling = _open_clock(matter, Clock.HANDLING)
        if handling is None or today > handling.due:
            raise IllegalTransition(_("An extension must be decided before the handling period ends."))
        before_due = handling.due
        handling.days += days
        recompute(handling, ctx)
        handling.save()
        return {"days": days, "due_before": before_due.isoformat(), "due_after": handling.due.isoformat()}

    return _transition("extend", matter_id, actor=actor, now=now, reason=reason, mutate=mutate,
                       expected_version=expected_version)


def reply_matter(matter_id: int, *, actor: User, now: datetime, text: str, expected_version: int | None = None) -> Matter:
    """答复: the written reply opens the 30-day window to ask for review."""
    _require(text, "text", _("The written reply is required."))

    def mutate(matter: Matter, today: date, ctx: ClockContext, scope: Unit | None) -> dict[str, Any]:
        from joint.rules import reply_blocker

        if (why := reply_blocker(matter)):
            raise IllegalTransition(why)
        matter.reply_text = text.strip()
        return {}

    return _transition("reply", matter_id, actor=actor, now=now, mutate=mutate, expected_version=expected_version)


def record_follow_up(matter_id: int, *, actor: User, now: datetime, note: str, expected_version: int | None = None) -> Matter:
    """回访."""
    _require(note, "note", _("Note what the petitioner said."))
    return _transition("follow_up", matter_id, actor=actor, now=now, reason=note, expected_version=expected_version)


def _request_within_window(action: str, window: Clock, what: str, matter_id: int, *, actor: User | None,
                           now: datetime, reason: str, expected_version: int | None, by_petitioner: bool) -> Matter:
    def mutate(matter: Matter, today: date, ctx: ClockContext, scope: Unit | None) -> dict[str, Any]:
        _require_within(matter, window, today, what)
        return {}

    return _transition(action, matter_id, actor=actor, now=now, reason=reason, mutate=mutate,
                       expected_version=expected_version, by_petitioner=by_petitioner)


def request_review(matter_id: int, *, actor: User | None, now: datetime, reason: str = "",
                   expected_version: int | None = None, by_petitioner: bool = False) -> Matter:
    """申请复查: within 30 days of the reply (Art. 35); recorded by a registrar or asked online."""
    return _request_within_window("request_review", Clock.REVIEW_REQUEST, _("Review request"), matter_id,
                                  actor=actor, now=now, reason=reason, expected_version=expected_version,
                                  by_petitioner=by_petitioner)


def decide_review(matter_id: int, *, actor: User, now: datetime, decision: str,
                  expected_version: int | None = None) -> Matter:
    """复查: decided by the body above the handling unit within 30 days."""
    _require(decision, "decision", _("The review decision is required."))

    def mutate(matter: Matter, today: date, ctx: ClockContext, scope: Unit | None) -> dict[str, Any]:
        matter.review_unit, matter.decision_text = scope, decision.strip()
        return {"review_unit": scope.pk if scope else None}

    return _transition("decide_review", matter_id, actor=actor, now=now, mutate=mutate, expected_version=expected_version)


def request_re_review(matter_id: int, *, actor: User | None, now: datetime, reason: str = "",
                      expected_version: int | None = None, by_petitioner: bool = False) -> Matter:
    """申请复核: within 30 days of the review decision (Art. 36); recorded by a registrar or asked online."""
    return _request_within_window("request_re_review", Clock.RE_REVIEW_REQUEST, _("Re-review request"), matter_id,
                                  actor=actor, now=now, reason=reason, expected_version=expected_version,
                                  by_petitioner=by_petitioner)


def decide_re_review(matter_id: int, *, actor: User, now: datetime, decision: str,
                     expected_version: int | None = None) -> Matter:
    """复核: final (终结); the matter closes at once."""
    _require(decision, "decision", _("The re-review decision is required."))

    def mutate(matter: Matter, today: date, ctx: ClockContext, scope: Unit | None) -> dict[str, Any]:
        matter.decision_text = decision.strip()
        return {"re_review_unit": scope.pk if scope else None}

    with transaction.atomic():
        matter = _transition("decide_re_review", matter_id, actor=actor, now=now, mutate=mutate,
                             expected_version=expected_version)
        return _transition("close", matter.pk, actor=None, now=now, reason=_("Re-review is final."))


def close_lapsed_matters(*, now: datetime) -> int:
    """办结 job: close matters whose review window lapsed. Scan, lock, recheck, act."""
    today = _local_date(now)
    closed = 0
    for state, clock in CLOSING_WINDOWS.items():
        ids = list(
            Deadline.objects.filter(clock=clock, stopped_on__isnull=True, due__lt=today, matter__state=state)
            .values_list("matter_id", flat=True)
        )
        for matter_id in ids:
            try:
                _transition("close", matter_id, actor=None, now=now, reason=_("The review window lapsed."))
                closed += 1
            except IllegalTransition:
                continue  # someone acted on it meanwhile
    return closed


# --- clocks: pause and resume, outside the state table -----------------------------------

CLOCK_ACTION_ROLES = frozenset({Role.UNIT_HEAD, Role.REVIEWER})


def _clock_action(matter_id: int, *, actor: User, now: datetime, reason: str, pause: bool) -> Matter:
    _require(reason, "reason", _("A reason is required to pause or resume the clock."))
    ctx = clock_context()
    today = _local_date(now)
    with transaction.atomic():
        matter = selectors.matters_visible_to(actor).select_for_update().get(pk=matter_id)
        if not holds_role_over(actor, matter.handling_unit, CLOCK_ACTION_ROLES):
            raise NotAllowed(_("Only the unit head or the petition office may pause or resume the clock."))
        running = [d for d in open_deadlines(matter) if CLOCKS[Clock(d.clock)].office_obligation]
        targets = [d for d in running if d.paused != pause]
        if not targets:
            raise IllegalTransition(_("No running clock to pause.") if pause else _("No paused clock to resume."))
        before = _snapshot(matter)
        for d in targets:
            if pause:
                d.pauses = [*d.pauses, [today.isoformat(), None]]
            else:
                d.pauses = [*d.pauses[:-1], [d.pauses[-1][0], today.isoformat()]]
            recompute(d, ctx)
            d.save()
        refresh_due_columns(matter, ctx)
        matter.version += 1
        matter.save()
        record_event("pause_clock" if pause else "resume_clock", actor=actor, target=matter, at=now,
                     before=before, after=_snapshot(matter), reason=reason)
    return matter


def pause_clock(matter_id: int, *, actor: User, now: datetime, reason: str) -> Matter:
    """Stop the clocks, e.g. for a hearing or an appraisal; that time does not count."""
    return _clock_action(matter_id, actor=actor, now=now, reason=reason, pause=True)


def resume_clock(matter_id: int, *, actor: User, now: datetime, reason: str) -> Matter:
    return _clock_action(matter_id, actor=actor, now=now, reason=reason, pause=False)


RECLASSIFY_ROLES = frozenset({Role.REGISTRAR, Role.REVIEWER})


def may_reclassify(user: User, matter: Matter) -> bool:
    return matter.state in OPEN_STATES and holds_role_over(user, matter.handling_unit, RECLASSIFY_ROLES)


def reclassify_matter(matter_id: int, *, actor: User, now: datetime, handling_kind: str, reason: str,
                      expected_version: int | None = None) -> Matter:
    """依法分类处理: change the kind of handling of an open matter, with the reason recorded."""
    _require(reason, "reason", _("Say why the kind of handling changes."))
    if handling_kind not in HandlingKind.values:
        raise InvalidInput(_("Unknown kind of handling."), fields={"handling_kind": _("Unknown kind of handling.")})
    with transaction.atomic():
        matter = selectors.matters_visible_to(actor).select_for_update().get(pk=matter_id)
        if matter.state not in OPEN_STATES:
            raise IllegalTransition(_("The matter is finished; its kind of handling can no longer change."))
        if not may_reclassify(actor, matter):
            raise NotAllowed(_("Only the registrar or the petition office may change the kind of handling."))
        if expected_version is not None and expected_version != matter.version:
            raise IllegalTransition(_("Someone else changed this matter since you opened it; reload and try again."))
        if handling_kind == matter.handling_kind:
            raise InvalidInput(_("The matter already has that kind of handling."),
                               fields={"handling_kind": _("Choose another kind.")})
        if handling_kind == HandlingKind.ACCUSATION and matter.handling_unit.kind not in CONFIDENTIAL_UNIT_KINDS:
            raise InvalidInput(
                _("An accusation may only be handled by a petition office or discipline inspection; "
                  "forward it there first."),
                fields={"handling_kind": _("Not allowed at this unit.")},
            )
        before = {**_snapshot(matter), "handling_kind": matter.handling_kind}
        matter.handling_kind = handling_kind
        matter.version += 1
        matter.save()
        record_event("reclassify", actor=actor, target=matter, at=now, before=before,
                     after={**_snapshot(matter), "handling_kind": handling_kind}, reason=reason)
    return matter


def reveal_petitioner(matter_id: int, *, actor: User, now: datetime) -> Petitioner:
    """Showing unmasked personal data is itself an event (§12)."""
    with transaction.atomic():
        matter = selectors.get_matter_for(actor, matter_id)
        record_event("view_personal_data", actor=actor, target=matter, at=now)
        return matter.petitioner


def publish_holiday_notice(year: int, *, actor: User, now: datetime, note: str = "") -> int:
    """Mark a year's holiday notice as entered and recompute every open deadline; returns how many changed."""
    ctx_changed = 0
    with transaction.atomic():
        PublishedYear.objects.update_or_create(year=year, defaults={"note": note})
        ctx = ClockContext()  # fresh: the calendar just changed
        touched: set[int] = set()
        for d in Deadline.objects.filter(stopped_on__isnull=True).select_for_update():
            old = (d.due, d.provisional)
            recompute(d, ctx)
            if (d.due, d.provisional) != old:
                d.save()
                touched.add(d.matter_id)
                ctx_changed += 1
        for matter in Matter.objects.filter(pk__in=touched).select_for_update():
            refresh_due_columns(matter, ctx)
            matter.save()
        record_event("publish_holiday_notice", actor=actor, at=now, after={"year": year, "deadlines_changed": ctx_changed})
    return ctx_changed


# Action name → service, for the API and the UI. Each takes (matter_id, actor=, now=, **params).
ACTIONS: dict[str, Callable[..., Any]] = {
    "forward": forward_matter,
    "object": object_to_assignment,
    "accept": accept_matter,
    "refuse": refuse_matter,
    "merge": merge_matter,
    "extend": extend_matter,
    "reply": reply_matter,
    "follow_up": record_follow_up,
    "request_review": request_review,
    "decide_review": decide_review,
    "request_re_review": request_re_review,
    "decide_re_review": decide_re_review,
    "pause": pause_clock,
    "resume": resume_clock,
    "reclassify": reclassify_matter,
}
