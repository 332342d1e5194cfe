"""Category suggestion at intake: an htmx fragment under the registration form's content."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from matters.models import Matter
from matters.selectors import get_matter_for, matters_visible_to
from org.models import User

from .classifier import suggest
from .hotspots import Message, find_hotspots
from .precheck import precheck
from .selectors import likely_duplicates_for
from .trend import trend_chart

MIN_TEXT = 10  # fewer characters than this give no useful suggestion


@login_required
@require_GET
def suggestions(request: HttpRequest) -> HttpResponse:
    title, content = request.GET.get("title", "")[:200], request.GET.get("content", "")[:5000]
    rows = suggest(title, content) if len(title + content) >= MIN_TEXT else []
    return render(request, "intel/_suggestions.html", {"rows": rows})


@login_required
@require_POST
def reply_precheck(request: HttpRequest, matter_pk: int) -> HttpResponse:
    """答复预审 of a draft reply, before it is sent: the checks with their reasons, for the person
    who signs it to decide."""
    user: User = request.user  # type: ignore[assignment]
    try:
        matter = get_matter_for(user, matter_pk)
    except Matter.DoesNotExist:
        raise Http404
    result = precheck(matter.content, request.POST.get("text", ""), subject=matter.title)
    return render(request, "intel/_precheck.html", {"result": result})


@login_required
@require_GET
def duplicates_fragment(request: HttpRequest) -> HttpResponse:
    """最多访一次: at registration, the open or recent matters this petition may repeat."""
    user: User = request.user  # type: ignore[assignment]
    g = request.GET
    title, content = g.get("title", "")[:200], g.get("content", "")[:5000]
    phone, id_number = g.get("petitioner_phone", ""), g.get("petitioner_id_number", "")
    rows = []
    if len(title + content) >= MIN_TEXT or phone or id_number:
        rows = likely_duplicates_for(user, title, content, phone=phone, id_number=id_number, now=timezone.now())
    return render(request, "intel/_duplicates.html", {"rows": rows})


HOTSPOT_DAYS = 90  # the page looks at matters registered in the last 90 days
HOTSPOT_MAX_MATTERS = 3000  # clustering memory grows with the square of the count


@login_required
@require_GET
def hotspots_page(request: HttpRequest) -> HttpResponse:
    """热点: clusters of recent matters in the user's scope by topic × place × time, with growth."""
    user: User = request.user  # type: ignore[assignment]
    now = timezone.now()
    recent = list(matters_visible_to(user).filter(registered_at__gte=now - timedelta(days=HOTSPOT_DAYS))
                  .order_by("-registered_at").values_list("pk", "title", "content", "registered_at")[:HOTSPOT_MAX_MATTERS])
    found = find_hotspots((Message(id=pk, subject=t, text=c, time=at) for pk, t, c, at in recent),
                          window_days=30, min_size=3, now=now)[:20]
    titles = dict(matters_visible_to(user).filter(pk__in=[i for h in found for i in h.ids[:5]]).values_list("pk", "title"))
    chart = trend_chart(found, {pk: at for pk, _t, _c, at in recent}, now=now, days=HOTSPOT_DAYS)
    return render(request, "intel/hotspots.html", {"hotspots": found, "titles": titles, "days": HOTSPOT_DAYS,
                                                   "count": len(recent), "chart": chart})
