"""Screening reports: filing the unit's report, the missing-reports board, the level-of-resolution
report and the monthly roll-up."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from matters.errors import DomainError
from xinfang.web import request_user as user_of

from . import selectors, services
from .cadence import COMMUNITY, STREET, cadence_of, period_containing
from .models import Cadence, ScreeningPolicy, ScreeningReminder
from .web import chosen_unit, error_text, parse_date, parse_int


@login_required
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    user, now = user_of(request), timezone.now()
    units = selectors.filing_units(user)
    mine = [u for u in units if u.pk == user.unit_id] + [u for u in units if u.pk != user.unit_id]
    unit = chosen_unit(request, mine)
    context: dict[str, Any] = {"units": mine, "unit": unit,
                               "reminders": ScreeningReminder.objects.filter(user=user, read_at__isnull=True).select_related("unit")[:20]}
    if unit is not None:
        policy = ScreeningPolicy.current()
        cadence = cadence_of(unit, policy)
        assert cadence is not None
        period = period_containing(cadence, selectors.local_date(now))
        context.update({
            "cadence_label": Cadence(cadence).label, "grace_days": policy.grace_days, "period": period, "report": selectors.report_for(unit, period),
            "found": selectors.unreported_entries(unit, period), "recent": selectors.recent_reports(unit),
            "missing": [(m.period, selectors.unreported_entries(unit, m.period).exists())
                        for m in selectors.missing_reports(unit, now) if m.unit.pk == unit.pk],
        })
    return render(request, "screening/reports.html", context)


@login_required
@require_POST
def file_report(request: HttpRequest) -> HttpResponse:
    user, p = user_of(request), request.POST
    unit_id, day = parse_int(p.get("unit_id")), parse_date(p.get("day"))
    if unit_id is None or day is None:
        raise Http404
    try:
        services.file_report(unit_id, actor=user, day=day, nil=p.get("nil") == "1", note=p.get("note", ""),
                             now=timezone.now())
        messages.success(request, _("The report is filed."))
    except DomainError as err:
        messages.error(request, error_text(err))
    return redirect(reverse("screening_reports") + "?" + urlencode({"unit": unit_id}))


@login_required
@require_GET
def missing(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    roots = selectors.report_roots(user)
    root = chosen_unit(request, roots)
    rows = selectors.missing_reports(root, timezone.now()) if root else []
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "screening/missing.html", {
        "roots": roots, "root": root, "page": page, "policy": ScreeningPolicy.current(),
        "reminded": selectors.reminded(list(page.object_list))})


@login_required
@require_GET
def levels(request: HttpRequest) -> HttpResponse:
    user, g = user_of(request), request.GET
    roots = selectors.report_roots(user)
    root = chosen_unit(request, roots)
    today = selectors.local_date(timezone.now())
    start, end = parse_date(g.get("start")) or today - timedelta(days=29), parse_date(g.get("end")) or today
    report = selectors.resolution_levels(user, root, start, end) if root else None
    drill: dict[str, str] = {"unit": str(root.pk), "start": start.isoformat(), "end": end.isoformat()} if root else {}
    this_month = period_containing(Cadence.MONTHLY, today)
    return render(request, "screening/levels.html", {
        "roots": roots, "root": root, "report": report, "start": start, "end": end, "drill": urlencode(drill),
        "months": [this_month, this_month.previous()], "community": COMMUNITY, "street": STREET})


@login_required
@require_GET
def rollup(request: HttpRequest) -> HttpResponse:
    user, now = user_of(request), timezone.now()
    roots = selectors.report_roots(user)
    root = chosen_unit(request, roots)
    month_day = parse_date((request.GET.get("month") or "") + "-01") or selectors.local_date(now)
    result = selectors.monthly_rollup(root, month_day, now) if root else None
    previous = (month_day.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    return render(request, "screening/rollup.html", {"roots": roots, "root": root, "rollup": result,
                                                     "month": month_day.strftime("%Y-%m"), "previous": previous})
