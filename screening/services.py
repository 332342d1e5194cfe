"""Every change to screening data: filing reports, the ledger entry's moves, reminders.

Each is one function in one transaction that records its event; the clock comes in as ``now``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.services import record_event
from matters.errors import IllegalTransition, InvalidInput, NotAllowed
from matters.models import Category, Matter
from matters.selectors import get_matter_by_code_for
from matters.services import IncomingFile, check_file
from notify.services import staff_of
from org.models import Area, Unit, User

from .cadence import cadence_of, is_late, period_containing
from .lifecycle import MOVES, RULES, WORKERS, may
from .models import (
    Escalation,
    EvidenceFile,
    LedgerEntry,
    ProgressNote,
    RiskLevel,
    ScreeningPolicy,
    ScreeningReminder,
    ScreeningReport,
)
from .selectors import entries_visible_to, local_date, missing_reports, report_for, unreported_entries


def file_report(unit_id: int, *, actor: User, day: date, nil: bool, now: datetime, note: str = "") -> ScreeningReport:
    """A unit's report for the period containing ``day``: the entries it found then, or nil.

    A report filed after the period (and the policy's grace days) is flagged late."""
    policy, today = ScreeningPolicy.current(), local_date(now)
    with transaction.atomic():
        unit = Unit.objects.select_for_update().filter(pk=unit_id).first()
        if unit is None or not RULES["worker"](actor, unit):
            raise NotAllowed(_("A handler or the head of the unit files its screening report."))
        cadence = cadence_of(unit, policy)
        if cadence is None:
            raise IllegalTransition(_("This unit files no screening reports."))
        period = period_containing(cadence, day)
        if period.start > today:
            raise InvalidInput(_("The period has not begun."), fields={"day": _("Choose a period that has begun.")})
        if report_for(unit, period) is not None:
            raise IllegalTransition(_("The report for this period is already filed."))
        entries = list(unreported_entries(unit, period).select_for_update())
        if nil and entries:
            raise InvalidInput(_("Entries were found in this period; file them instead of a nil report."),
                               fields={"nil": ngettext("%(n)d entry found in the period.", "%(n)d entries found in the period.",
                                                       len(entries)) % {"n": len(entries)}})
        if not nil and not entries:
            raise InvalidInput(_("No entries were found in this period; file a nil report."),
                               fields={"nil": _("No entries to list.")})
        report = ScreeningReport.objects.create(
            unit=unit, cadence=cadence, period_start=period.start, period_end=period.end, is_nil=nil,
            note=note.strip(), late=is_late(period, today, policy), filed_by=actor, filed_at=now)
        LedgerEntry.objects.filter(pk__in=[e.pk for e in entries]).update(report=report)
        # a filed report settles the reminders about it
        ScreeningReminder.objects.filter(unit=unit, period_start=period.start, period_end=period.end,
                                         read_at__isnull=True).update(read_at=now)
        record_event("screening_report", actor=actor, target=report, at=now, after={
            "unit": unit.pk, "start": period.start, "end": period.end, "nil": nil, "late": report.late,
            "entries": [e.pk for e in entries]})
    return report


@dataclass
class EntryData:
    found_by_unit_id: int | None
    responsible_unit_id: int | None
    summary: str
    area_id: int | None
    people_involved: int | None
    risk_level: str
    measures: str
    deadline: date | None
    category_id: int | None = None
    matter_codes: list[str] = field(default_factory=list)


def _matters(actor: User, codes: list[str], errors: dict[str, str]) -> list[Matter]:
    """Only matters the actor sees may be linked; an unseen code reads as unknown."""
    found: list[Matter] = []
    unknown: list[str] = []
    for code in codes:
        matter = get_matter_by_code_for(actor, code)
        if matter is None:
            unknown.append(code)
        else:
            found.append(matter)
    if unknown:
        errors["matter_codes"] = _("No matter you can see has the query code %(codes)s.") % {"codes": "、".join(unknown)}
    return found


def _validate(data: EntryData, actor: User, today: date) -> tuple[Unit, Unit, Area, Category | None, list[Matter]]:
    errors: dict[str, str] = {}
    found_by = Unit.objects.filter(pk=data.found_by_unit_id).first() if data.found_by_unit_id else None
    responsible = Unit.objects.filter(pk=data.responsible_unit_id).first() if data.responsible_unit_id else None
    area = Area.objects.filter(pk=data.area_id).first() if data.area_id else None
    category = Category.objects.filter(pk=data.category_id).first() if data.category_id else None
    if found_by is None:
        errors["found_by_unit_id"] = _("Choose the unit that found it.")
    if responsible is None:
        errors["responsible_unit_id"] = _("Choose the responsible unit.")
    elif found_by is not None and not responsible.is_within(found_by):
        errors["responsible_unit_id"] = _("The responsible unit is the finding unit or a unit below it.")
    if not data.summary.strip():
        errors["summary"] = _("Say what the dispute is about.")
    if area is None:
        errors["area_id"] = _("Choose the place.")
    if data.category_id and category is None:
        errors["category_id"] = _("Unknown category.")
    if data.people_involved is None or data.people_involved < 1:
        errors["people_involved"] = _("Give the number of people involved, at least 1.")
    if data.risk_level not in RiskLevel.values:
        errors["risk_level"] = _("Choose the risk level.")
    if not data.measures.strip():
        errors["measures"] = _("Say what will be done.")
    if data.deadline is None or data.deadline < today:
        errors["deadline"] = _("Give a deadline from today on.")
    matters = _matters(actor, data.matter_codes, errors)
    if errors:
        raise InvalidInput(_("Nothing was saved; please correct the marked fields."), fields=errors)
    assert found_by is not None and responsible is not None and area is not None
    return found_by, responsible, area, category, matters


def create_entry(data: EntryData, *, actor: User, now: datetime) -> LedgerEntry:
    """Enter a latent dispute in the ledger. If the finding unit already filed this period's
    report, the entry joins it, and a nil report stops being nil."""
    today = local_date(now)
    found_by, responsible, area, category, matters = _validate(data, actor, today)
    assert data.people_involved is not None and data.deadline is not None
    if not RULES["worker"](actor, found_by):
        raise NotAllowed(_("A handler or the head of the finding unit enters its risks."))
    with transaction.atomic():
        # the unit's row serialises this with file_report, so no entry slips past a report being filed
        Unit.objects.select_for_update().filter(pk=found_by.pk).first()
        report = None
        if cadence_of(found_by, ScreeningPolicy.current()) is not None:
            report = ScreeningReport.objects.filter(unit=found_by, period_start__lte=today, period_end__gte=today).first()
        entry = LedgerEntry.objects.create(
            summary=data.summary.strip(), category=category, area=area, people_involved=data.people_involved,
            risk_level=data.risk_level, found_by_unit=found_by, found_on=today, responsible_unit=responsible,
            measures=data.measures.strip(), deadline=data.deadline, report=report, created_by=actor, created_at=now)
        entry.related_matters.set(matters)
        record_event("screening_entry", actor=actor, target=entry, at=now, after={
            "found_by": found_by.pk, "responsible": responsible.pk, "risk": entry.risk_level,
            "people": entry.people_involved, "deadline": entry.deadline, "matters": [m.pk for m in matters]})
        if report is not None and report.is_nil:
            report.is_nil = False
            report.save(update_fields=["is_nil"])
            record_event("screening_report_amended", actor=actor, target=report, at=now,
                         before={"nil": True}, after={"nil": False, "entry": entry.pk})
    return entry


def _locked(actor: User, entry_id: int, move: str) -> LedgerEntry:
    """The entry under lock, after checking that ``move`` is possible now and the actor may make it."""
    entry = entries_visible_to(actor).select_for_update(of=("self",)).get(pk=entry_id)
    m = MOVES[move]
    if entry.status not in m.sources:
        raise IllegalTransition(_("Not possible while the entry is %(status)s.") % {"status": entry.get_status_display()})
    if move == "escalate" and entry.responsible_unit.parent_id is None:
        raise IllegalTransition(_("The responsible unit has no parent unit to escalate to."))
    if not may(actor, entry, move):
        if m.who == "approver":
            raise NotAllowed(_("A unit head of the responsible unit or a supervisor above, other than the proposer, decides."))
        raise NotAllowed(_("Only a handler or head of the responsible unit may do this."))
    return entry


def _set_status(entry: LedgerEntry, move: str) -> dict[str, str]:
    before = entry.status
    target = MOVES[move].target
    if target is not None:
        entry.status = target
    return {"from": before, "to": entry.status}


def start_work(entry_id: int, *, actor: User, now: datetime) -> LedgerEntry:
    with transaction.atomic():
        entry = _locked(actor, entry_id, "start")
        change = _set_status(entry, "start")
        entry.save(update_fields=["status"])
        record_event("screening_start", actor=actor, target=entry, at=now, after=change)
    return entry


def add_note(entry_id: int, *, actor: User, text: str, now: datetime) -> ProgressNote:
    if not text.strip():
        raise InvalidInput(_("Write what was done."), fields={"text": _("Required.")})
    with transaction.atomic():
        entry = _locked(actor, entry_id, "note")
        note = ProgressNote.objects.create(entry=entry, author=actor, at=now, text=text.strip())
        record_event("screening_note", actor=actor, target=entry, at=now, after={"note": note.pk})
    return note


def link_matters(entry_id: int, *, actor: User, codes: list[str], now: datetime) -> LedgerEntry:
    with transaction.atomic():
        entry = _locked(actor, entry_id, "link")
        errors: dict[str, str] = {}
        matters = _matters(actor, [c for c in codes if c.strip()], errors)
        if not matters and not errors:
            errors["matter_codes"] = _("Give at least one query code.")
        if errors:
            raise InvalidInput(_("No matter was linked."), fields=errors)
        entry.related_matters.add(*matters)
        record_event("screening_link", actor=actor, target=entry, at=now, after={"matters": [m.pk for m in matters]})
    return entry


def escalate(entry_id: int, *, actor: User, reason: str, now: datetime) -> Escalation:
    """上交: the parent unit becomes responsible, and takes the entry up from the start."""
    if not reason.strip():
        raise InvalidInput(_("Say why the entry goes up."), fields={"reason": _("Required.")})
    with transaction.atomic():
        entry = _locked(actor, entry_id, "escalate")
        from_unit = entry.responsible_unit
        to_unit = from_unit.parent
        assert to_unit is not None  # the move table refuses escalation from the root
        row = Escalation.objects.create(entry=entry, from_unit=from_unit, to_unit=to_unit, by=actor, at=now,
                                        reason=reason.strip())
        change = _set_status(entry, "escalate")
        entry.responsible_unit = to_unit
        entry.save(update_fields=["status", "responsible_unit"])
        record_event("screening_escalate", actor=actor, target=entry, at=now, reason=row.reason,
                     before={"responsible": from_unit.pk}, after={"responsible": to_unit.pk, **change})
    return row


def _store(f: IncomingFile) -> str:
    digest = hashlib.sha256(f.data).hexdigest()
    path = Path(settings.MEDIA_ROOT) / "screening" / digest[:2] / digest
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(f.data)
        tmp.replace(path)
    return digest


def evidence_path(f: EvidenceFile) -> Path:
    return Path(settings.MEDIA_ROOT) / "screening" / f.sha256[:2] / f.sha256


def propose_resolution(entry_id: int, *, actor: User, evidence: str, now: datetime,
                       file: IncomingFile | None = None) -> LedgerEntry:
    """The responsible unit says the dispute is resolved, with the evidence, and asks for 销号."""
    errors: dict[str, str] = {}
    if not evidence.strip():
        errors["evidence"] = _("Sign-off needs evidence.")
    if file is not None:
        check_file(file, 0, errors)
    if errors:
        raise InvalidInput(_("Nothing was proposed; please correct the marked fields."), fields=errors)
    with transaction.atomic():
        entry = _locked(actor, entry_id, "propose")
        change = _set_status(entry, "propose")
        entry.evidence, entry.proposed_by, entry.proposed_at = evidence.strip(), actor, now
        entry.save(update_fields=["status", "evidence", "proposed_by", "proposed_at"])
        stored = None
        if file is not None:
            stored = EvidenceFile.objects.create(entry=entry, sha256=_store(file), filename=file.filename[:200],
                                                 content_type=file.content_type, size=len(file.data),
                                                 uploaded_by=actor, uploaded_at=now)
        record_event("screening_propose", actor=actor, target=entry, at=now,
                     after={**change, "file": stored.pk if stored else None})
    return entry


def sign_off(entry_id: int, *, actor: User, now: datetime) -> LedgerEntry:
    """销号: a unit head of the responsible unit or a supervisor above, not the proposer. The
    responsible unit at this moment is the level the entry was resolved at."""
    with transaction.atomic():
        entry = _locked(actor, entry_id, "sign_off")
        change = _set_status(entry, "sign_off")
        entry.closed_by, entry.closed_at, entry.closed_unit = actor, now, entry.responsible_unit
        entry.save(update_fields=["status", "closed_by", "closed_at", "closed_unit"])
        record_event("screening_sign_off", actor=actor, target=entry, at=now,
                     after={**change, "closed_unit": entry.responsible_unit_id})
    return entry


def reject_resolution(entry_id: int, *, actor: User, reason: str, now: datetime) -> LedgerEntry:
    if not reason.strip():
        raise InvalidInput(_("Say why the resolution is not accepted."), fields={"reason": _("Required.")})
    with transaction.atomic():
        entry = _locked(actor, entry_id, "reject")
        change = _set_status(entry, "reject")
        entry.proposed_by, entry.proposed_at = None, None
        entry.save(update_fields=["status", "proposed_by", "proposed_at"])
        record_event("screening_reject", actor=actor, target=entry, at=now, after=change, reason=reason.strip())
    return entry


def remind_missing(*, now: datetime) -> int:
    """One reminder per missing (unit, period) to each of the unit's handlers and heads; a second
    run finds them already told and sends nothing."""
    made = 0
    for root in Unit.objects.filter(parent__isnull=True):
        for missing in missing_reports(root, now):
            told = []
            with transaction.atomic():
                for user in staff_of(missing.unit, WORKERS):
                    try:
                        with transaction.atomic():
                            ScreeningReminder.objects.create(unit=missing.unit, period_start=missing.period.start,
                                                             period_end=missing.period.end, user=user, created_at=now)
                        told.append(user.pk)
                    except IntegrityError:
                        continue
                if told:
                    record_event("screening_remind", target=missing.unit, at=now, after={
                        "start": missing.period.start, "end": missing.period.end, "users": told})
            made += len(told)
    return made
