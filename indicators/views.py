"""The indicators page and its drill-down. Thin: parse the filters, compute, render."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from matters.forms import unit_choices
from org.models import Unit, User
from org.scope import units_in_scope

from .compute import Period, figures, parts
from .export import HEADERS, figure_row, to_pdf, to_xlsx
from .models import IndicatorDefinition
from .report_export import Report, Table, to_csv, to_json
from .services import record_export


def _filters(request: HttpRequest) -> tuple[User, Unit | None, Period, dict[str, Any]]:
    """From, until and unit; ``own=1`` narrows the unit to what it handles itself (a report's own row)."""
    user: User = request.user  # type: ignore[assignment]
    today = timezone.localdate()
    try:
        start = date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = today.replace(day=1)
    try:
        end = date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        end = today
    unit_id = request.GET.get("unit", "")
    unit = units_in_scope(user).filter(pk=int(unit_id)).first() if unit_id.isdigit() else None
    query = {"from": start.isoformat(), "to": end.isoformat(), "unit": unit.pk if unit else "",
             "own": "1" if unit and request.GET.get("own") == "1" else ""}
    return user, unit, Period(min(start, end), max(start, end)), query


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    user, unit, period, query = _filters(request)
    today = timezone.localdate()
    return render(request, "indicators/overview.html", {
        "sets": [(label, figures(user, unit, period, today, key)) for key, label in IndicatorDefinition.Set.choices],
        "period": period, "unit": unit, "query": query, "units": unit_choices(units_in_scope(user)),
    })


@login_required
@require_GET
def drill_down(request: HttpRequest, key: str, part: str) -> HttpResponse:
    user, unit, period, query = _filters(request)
    definition = IndicatorDefinition.objects.filter(key=key).first()
    if definition is None or part not in ("numerator", "denominator"):
        raise Http404
    num, den, n, m = parts(definition, user, unit, period, timezone.localdate(), own=query["own"] == "1")
    matters = num if part == "numerator" else den
    if matters is None:
        raise Http404
    page = Paginator(matters.select_related("handling_unit").order_by("-registered_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(request, "indicators/drill_down.html", {
        "definition": definition, "part": part, "page": page, "count": n if part == "numerator" else m,
        "period": period, "unit": unit, "query": query,
    })


@login_required
@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The overview as Excel or PDF; exporting is an event, like every view of data that leaves."""
    user, unit, period, _query = _filters(request)
    rows = figures(user, unit, period, timezone.localdate())
    scope = unit.name if unit else _("My whole scope")
    if fmt == "xlsx":
        data, mime = to_xlsx(rows, period, scope), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "pdf":
        data, mime = to_pdf(rows, period, scope), "application/pdf"
    elif fmt in ("csv", "json"):
        table = Report(f"信访工作指标 {period.start} 至 {period.end}", scope, [Table("指标", HEADERS, [figure_row(f) for f in rows])])
        data, mime = (to_csv(table), "text/csv; charset=utf-8") if fmt == "csv" else (to_json(table), "application/json")
    else:
        raise Http404
    record_export("indicators", fmt, actor=user, now=timezone.now(),
                  params={"from": period.start.isoformat(), "to": period.end.isoformat(), "unit": unit.pk if unit else None})
    response = HttpResponse(data, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="indicators-{period.start}-{period.end}.{fmt}"'
    return response
