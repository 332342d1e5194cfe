"""The report pages (周调度, 月通报, 季攻坚, 年考核), their exports and drill-downs. Thin: parse the
filters, compute, render. The chosen unit goes through the scope rule: an id outside it is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from matters.forms import unit_choices
from matters.models import Matter
from org.models import Unit, User
from org.scope import units_in_scope

from . import assessment as assess
from .bulletin import Month, monthly_bulletin
from .campaign import PARTS, Quarter, entries, part_q, quarterly_campaign
from .dashboard import city_overview, unit_dashboard
from .dispatch import BUCKETS, Week, actions_on, flagged, weekly_dispatch
from .models import CountKind, IndicatorDefinition
from .report_export import Report, to_csv, to_json, to_pdf, to_xlsx
from .reports import assessment_report, bulletin_report, campaign_report, dispatch_report, row_name
from .services import record_export
from .units import Row, rows_for, scope_root

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def scope_unit(request: HttpRequest, user: User) -> Unit | None:
    unit_id = request.GET.get("unit", "")
    if not unit_id:
        return None
    unit = units_in_scope(user).filter(pk=int(unit_id)).first() if unit_id.isdigit() else None
    if unit is None:
        raise Http404
    return unit


def _context(request: HttpRequest) -> tuple[User, Unit | None, list[Row], dict[str, Any]]:
    user: User = request.user  # type: ignore[assignment]
    unit = scope_unit(request, user)
    return user, unit, rows_for(user, unit), {"unit": unit, "units": unit_choices(units_in_scope(user)),
                                              "unit_id": unit.pk if unit else ""}


def _scope_label(unit: Unit | None) -> str:
    return unit.name if unit else _("My whole scope")


def _one_row(request: HttpRequest, user: User) -> Row:
    """The row a drill-down opens: a unit in scope, with ``own=1`` for what it handles itself."""
    unit = scope_unit(request, user)
    if unit is None:
        raise Http404
    return Row(unit, request.GET.get("own") == "1")


def _export(report: Report, fmt: str, name: str, user: User, params: dict[str, Any]) -> HttpResponse:
    now = timezone.now()
    if fmt == "xlsx":
        data, mime = to_xlsx(report), XLSX
    elif fmt == "pdf":
        data, mime = to_pdf(report, made=now), "application/pdf"
    elif fmt == "csv":
        data, mime = to_csv(report), "text/csv; charset=utf-8"
    elif fmt == "json":
        data, mime = to_json(report), "application/json"
    else:
        raise Http404
    record_export(name, fmt, actor=user, now=now, params=params)
    response = HttpResponse(data, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{name}-{params.get("period", "")}.{fmt}"'
    return response


def _matter_page(request: HttpRequest, matters: QuerySet[Matter]) -> Any:
    return Paginator(matters.select_related("handling_unit").order_by("-registered_at", "-pk"), 50).get_page(
        request.GET.get("page"))


# --- 周调度 -----------------------------------------------------------------------------------------

def _week(request: HttpRequest) -> Week:
    return Week.parse(request.GET.get("week", ""), timezone.localdate())


@login_required
@require_GET
def dispatch(request: HttpRequest) -> HttpResponse:
    user, unit, rows, ctx = _context(request)
    week = _week(request)
    lines = weekly_dispatch(user, rows, week)
    report = dispatch_report(lines, week, _scope_label(unit))
    return render(request, "indicators/dispatch.html", {**ctx, "week": week, "lines": lines, "report": report})


@login_required
@require_GET
def dispatch_export(request: HttpRequest, fmt: str) -> HttpResponse:
    user, unit, rows, _ctx = _context(request)
    week = _week(request)
    report = dispatch_report(weekly_dispatch(user, rows, week), week, _scope_label(unit))
    return _export(report, fmt, "dispatch", user, {"period": week.iso, "unit": unit.pk if unit else None})


@login_required
@require_GET
def dispatch_matters(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    row, week, bucket = _one_row(request, user), _week(request), request.GET.get("bucket", "")
    if bucket not in BUCKETS:
        raise Http404
    page = _matter_page(request, flagged(user, [row], week, bucket))
    events = actions_on([m.pk for m in page.object_list], week)
    return render(request, "indicators/dispatch_matters.html", {
        "row": row, "row_name": row_name(row), "week": week, "bucket": bucket, "page": page,
        "items": [(m, events[m.pk]) for m in page.object_list]})


# --- 月通报 -----------------------------------------------------------------------------------------

def _bulletin(request: HttpRequest) -> tuple[User, Unit | None, dict[str, Any], Any]:
    user, unit, rows, ctx = _context(request)
    month = Month.parse(request.GET.get("month", ""), timezone.localdate())
    indicator_set = request.GET.get("set", "")
    if indicator_set not in IndicatorDefinition.Set.values:
        indicator_set = IndicatorDefinition.Set.PETITION
    b = monthly_bulletin(user, rows, month, timezone.localdate(), indicator_set=indicator_set,
                         sort_by=request.GET.get("sort", ""))
    return user, unit, {**ctx, "set": indicator_set, "sets": IndicatorDefinition.Set.choices,
                        "sort": request.GET.get("sort", "")}, b


@login_required
@require_GET
def bulletin(request: HttpRequest) -> HttpResponse:
    _user, unit, ctx, b = _bulletin(request)
    return render(request, "indicators/bulletin.html", {**ctx, "bulletin": b, "report": bulletin_report(b, _scope_label(unit))})


@login_required
@require_GET
def bulletin_export(request: HttpRequest, fmt: str) -> HttpResponse:
    user, unit, ctx, b = _bulletin(request)
    return _export(bulletin_report(b, _scope_label(unit)), fmt, "bulletin", user,
                   {"period": b.month.iso, "set": ctx["set"], "unit": unit.pk if unit else None})


# --- 季攻坚 -----------------------------------------------------------------------------------------

def _quarter(request: HttpRequest) -> Quarter:
    return Quarter.parse(request.GET.get("quarter", ""), timezone.localdate())


@login_required
@require_GET
def campaign(request: HttpRequest) -> HttpResponse:
    user, unit, rows, ctx = _context(request)
    quarter = _quarter(request)
    lines = quarterly_campaign(user, rows, quarter, timezone.localdate())
    return render(request, "indicators/campaign.html", {
        **ctx, "quarter": quarter, "lines": lines, "report": campaign_report(lines, quarter, _scope_label(unit))})


@login_required
@require_GET
def campaign_export(request: HttpRequest, fmt: str) -> HttpResponse:
    user, unit, rows, _ctx = _context(request)
    quarter = _quarter(request)
    report = campaign_report(quarterly_campaign(user, rows, quarter, timezone.localdate()), quarter, _scope_label(unit))
    return _export(report, fmt, "campaign", user, {"period": quarter.iso, "unit": unit.pk if unit else None})


@login_required
@require_GET
def campaign_entries(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    row, quarter, part = _one_row(request, user), _quarter(request), request.GET.get("part", "")
    if part not in PARTS:
        raise Http404
    found = entries(user, [row], quarter).filter(part_q(part, quarter, timezone.localdate())).order_by("listed_at", "pk")
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(request, "indicators/campaign_entries.html", {
        "row_name": row_name(row), "quarter": quarter, "part": part, "page": page})


# --- 年考核 -----------------------------------------------------------------------------------------

def _year(request: HttpRequest) -> int:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else timezone.localdate().year


@login_required
@require_GET
def assessment(request: HttpRequest) -> HttpResponse:
    user, unit, rows, ctx = _context(request)
    year = _year(request)
    book = assess.rulebook_for(year)
    scores = assess.annual_assessment(user, rows, year, timezone.localdate(), book)
    return render(request, "indicators/assessment.html", {
        **ctx, "year": year, "book": book, "scores": scores,
        "report": assessment_report(scores, book, year, _scope_label(unit)) if book else None})


@login_required
@require_GET
def assessment_export(request: HttpRequest, fmt: str) -> HttpResponse:
    user, unit, rows, _ctx = _context(request)
    year = _year(request)
    book = assess.rulebook_for(year)
    if book is None:
        raise Http404
    scores = assess.annual_assessment(user, rows, year, timezone.localdate(), book)
    return _export(assessment_report(scores, book, year, _scope_label(unit)), fmt, "assessment", user,
                   {"period": str(year), "unit": unit.pk if unit else None})


@login_required
@require_GET
def assessment_matters(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    row, year, kind = _one_row(request, user), _year(request), request.GET.get("count", "")
    if kind not in CountKind.values:
        raise Http404
    page = _matter_page(request, assess.count_matters(kind, user, row, year, timezone.localdate()))
    return render(request, "indicators/assessment_matters.html", {
        "row_name": row_name(row), "year": year, "label": CountKind(kind).label, "page": page})




# --- dashboards -------------------------------------------------------------------------------------

@login_required
@require_GET
def city_dashboard(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(request, "indicators/city_dashboard.html", {"overview": city_overview(user, timezone.localdate())})


@login_required
@require_GET
def unit_dashboard_view(request: HttpRequest) -> HttpResponse:
    """A unit's own dashboard: the chosen unit, else the user's own unit, else the top of the scope."""
    user: User = request.user  # type: ignore[assignment]
    unit = scope_unit(request, user)
    if unit is None and user.unit_id is not None:
        unit = units_in_scope(user).filter(pk=user.unit_id).first()
    unit = unit or scope_root(user, None)
    board = unit_dashboard(user, unit, timezone.localdate()) if unit else None
    return render(request, "indicators/unit_dashboard.html", {
        "board": board, "units": unit_choices(units_in_scope(user)), "unit_id": unit.pk if unit else ""})
