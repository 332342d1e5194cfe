"""Category suggestion at intake: an htmx fragment under the registration form's content."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from matters.models import Matter
from matters.selectors import get_matter_for
from org.models import User

from .classifier import suggest
from .precheck import precheck

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
