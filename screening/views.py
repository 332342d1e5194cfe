"""The ledger: the list with filters, a new entry, an entry's page with its moves, the dossier."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.selectors import events_for
from matters.errors import DomainError
from matters.models import Category
from matters.selectors import matters_visible_to
from matters.services import IncomingFile
from org.models import Area, User
from xinfang.web import request_user as user_of

from . import selectors, services
from .dossier import dossier_pdf
from .lifecycle import moves_for
from .models import EntryStatus, EvidenceFile, LedgerEntry, RiskLevel
from .web import chosen_unit, error_text, parse_date, parse_int


@login_required
@require_GET
def ledger(request: HttpRequest) -> HttpResponse:
    user, g = user_of(request), request.GET
    today = selectors.local_date(timezone.now())
    unit = chosen_unit(request, selectors.report_roots(user), default_first=False)
    f = selectors.LedgerFilter(
        status=g.get("status", "") if g.get("status") in EntryStatus.values else "",
        risk_level=g.get("risk_level", "") if g.get("risk_level") in RiskLevel.values else "",
        overdue=g.get("overdue") == "1", unit=unit, closed=g.get("closed") == "1", levels=tuple(g.getlist("level")),
        escalated=g.get("escalated") == "1", start=parse_date(g.get("start")), end=parse_date(g.get("end")))
    page = Paginator(selectors.ledger(user, f, today), 50).get_page(g.get("page"))
    return render(request, "screening/ledger.html", {
        "page": page, "f": f, "today": today, "statuses": EntryStatus.choices, "risk_levels": RiskLevel.choices,
        "roots": selectors.report_roots(user),
        "may_enter": selectors.units_for_entry(user).exists()})


def _form_context(user: User, values: dict[str, Any], errors: dict[str, str], error: str = "") -> dict[str, Any]:
    return {"units": selectors.units_for_entry(user), "areas": Area.objects.order_by("code"),
            "categories": Category.objects.order_by("path"), "risk_levels": RiskLevel.choices,
            "v": values, "errors": errors, "error": error}


@login_required
@require_http_methods(["GET", "POST"])
def new_entry(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if request.method == "GET":
        initial = {"area_id": str(user.unit.area_id)} if user.unit and user.unit.area_id else {}
        return render(request, "screening/new_entry.html", _form_context(user, initial, {}))
    p = request.POST
    data = services.EntryData(
        found_by_unit_id=parse_int(p.get("found_by_unit_id")), responsible_unit_id=parse_int(p.get("responsible_unit_id")),
        summary=p.get("summary", ""), area_id=parse_int(p.get("area_id")), people_involved=parse_int(p.get("people_involved")),
        risk_level=p.get("risk_level", ""), measures=p.get("measures", ""), deadline=parse_date(p.get("deadline")),
        category_id=parse_int(p.get("category_id")), matter_codes=p.get("matter_codes", "").split())
    try:
        entry = services.create_entry(data, actor=user, now=timezone.now())
    except DomainError as err:
        return render(request, "screening/new_entry.html", _form_context(user, p.dict(), err.fields, err.message),
                      status=err.status)
    return redirect("screening_entry", pk=entry.pk)


def _entry_or_404(user: User, pk: int) -> LedgerEntry:
    entry = selectors.entries_visible_to(user).filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


def _entry_context(user: User, entry: LedgerEntry, error: str = "") -> dict[str, Any]:
    today = selectors.local_date(timezone.now())
    return {
        "entry": entry, "error": error, "moves": moves_for(user, entry),
        "overdue": entry.deadline < today and entry.status != EntryStatus.CLOSED,
        "notes": entry.notes.select_related("author"),
        "escalations": entry.escalations.select_related("from_unit", "to_unit", "by"),
        "files": entry.evidence_files.all(),
        "matters": entry.related_matters.filter(pk__in=matters_visible_to(user).values("pk")),
        "events": events_for("ledgerentry", entry.pk),
    }


@login_required
@require_GET
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    return render(request, "screening/entry.html", _entry_context(user, _entry_or_404(user, pk)))


@login_required
@require_POST
def entry_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user, now, p = user_of(request), timezone.now(), request.POST
    entry = _entry_or_404(user, pk)
    upload = request.FILES.get("file")
    calls = {
        "start": lambda: services.start_work(entry.pk, actor=user, now=now),
        "note": lambda: services.add_note(entry.pk, actor=user, text=p.get("text", ""), now=now),
        "link": lambda: services.link_matters(entry.pk, actor=user, codes=p.get("matter_codes", "").split(), now=now),
        "escalate": lambda: services.escalate(entry.pk, actor=user, reason=p.get("reason", ""), now=now),
        "propose": lambda: services.propose_resolution(entry.pk, actor=user, evidence=p.get("evidence", ""), now=now,
                                                       file=IncomingFile.from_upload(upload) if upload else None),
        "sign_off": lambda: services.sign_off(entry.pk, actor=user, now=now),
        "reject": lambda: services.reject_resolution(entry.pk, actor=user, reason=p.get("reason", ""), now=now),
    }
    if action not in calls:
        raise Http404
    try:
        calls[action]()
    except LedgerEntry.DoesNotExist:
        raise Http404 from None
    except DomainError as err:
        entry.refresh_from_db()
        return render(request, "screening/entry.html", _entry_context(user, entry, error_text(err)), status=err.status)
    return redirect("screening_entry", pk=entry.pk)


@login_required
@require_GET
def dossier(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    entry = _entry_or_404(user, pk)
    response = HttpResponse(dossier_pdf(entry, actor=user), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="screening-{entry.pk}.pdf"'
    return response


@login_required
@require_GET
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    user = user_of(request)
    f = EvidenceFile.objects.filter(pk=pk, entry__in=selectors.entries_visible_to(user).values("pk")).first()
    if f is None:
        raise Http404
    return FileResponse(services.evidence_path(f).open("rb"), content_type=f.content_type, filename=f.filename)
