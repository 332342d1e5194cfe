"""Category suggestion at intake: an htmx fragment under the registration form's content."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .classifier import suggest

MIN_TEXT = 10  # fewer characters than this give no useful suggestion


@login_required
@require_GET
def suggestions(request: HttpRequest) -> HttpResponse:
    title, content = request.GET.get("title", "")[:200], request.GET.get("content", "")[:5000]
    rows = suggest(title, content) if len(title + content) >= MIN_TEXT else []
    return render(request, "intel/_suggestions.html", {"rows": rows})
