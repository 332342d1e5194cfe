"""The public side: open calls, sending a suggestion, following it with the query code, and what
became of adopted suggestions. No account; no proposer is ever shown."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from matters.errors import DomainError
from portal.limits import limited as _limited

from . import selectors, services
from .forms import SuggestionForm, TrackForm
from .models import Call, Suggestion

SESSION_SEEN = "suggestions_seen"
SESSION_SUBMITTED = "suggestions_submitted"
PAGE_SIZE = 20



def _grant(request: HttpRequest, suggestion: Suggestion) -> None:
    request.session[SESSION_SEEN] = sorted({*request.session.get(SESSION_SEEN, []), suggestion.pk})


@require_GET
def calls(request: HttpRequest) -> HttpResponse:
    return render(request, "suggestions/portal/calls.html", {
        "calls": selectors.open_calls(timezone.localdate()), "track": TrackForm()})


def _open_call(pk: int) -> Call:
    call = Call.objects.filter(pk=pk).first()
    if call is None or not call.is_open(timezone.localdate()):
        raise Http404
    return call


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    call = _open_call(pk)
    status = 200
    form = SuggestionForm(request.POST or None)
    if request.method == "POST":
        if form.is_bot():
            return render(request, "portal/refused.html", {"message": _("The form could not be accepted.")}, status=400)
        if _limited(request, "suggestion-submit", settings.PORTAL_SUBMIT_RATE, increment=True):
            return render(request, "portal/refused.html", {
                "message": _("Too many suggestions from this connection in a short time. Please try again later.")}, status=429)
        status = 422
        if form.is_valid():
            try:
                suggestion = services.submit_suggestion(call.pk, form.to_data(), now=timezone.now())
            except DomainError as err:
                form.apply_domain_error(err)
                status = err.status
            else:
                _grant(request, suggestion)
                request.session[SESSION_SUBMITTED] = suggestion.pk
                return redirect("suggestions_portal_submitted")
    return render(request, "suggestions/portal/submit.html", {"call": call, "form": form}, status=status)


@require_GET
def submitted(request: HttpRequest) -> HttpResponse:
    pk = request.session.get(SESSION_SUBMITTED)
    suggestion = Suggestion.objects.filter(pk=pk).first() if pk else None
    if suggestion is None:
        raise Http404
    return render(request, "suggestions/portal/submitted.html", {"suggestion": suggestion})


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """A wrong code counts against the connection, so codes cannot be guessed by trying many."""
    form = TrackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        rate = settings.PORTAL_TRACK_FAILURES_RATE
        if _limited(request, "suggestion-track", rate, increment=False):
            form.add_error(None, _("Too many wrong attempts. Please wait a few minutes before trying again."))
            status = 429
        elif form.is_valid():
            suggestion = selectors.find_by_code(form.cleaned_data["code"])
            if suggestion is not None:
                _grant(request, suggestion)
                return redirect("suggestions_portal_status", code=suggestion.query_code)
            _limited(request, "suggestion-track", rate, increment=True)
            form.add_error("code", _("No suggestion has this query code. Check it and try again."))
            status = 404
        else:
            status = 422
    return render(request, "suggestions/portal/track.html", {"track": form}, status=status)


@require_GET
def status(request: HttpRequest, code: str) -> HttpResponse:
    suggestion = selectors.find_by_code(code)
    if suggestion is None or suggestion.pk not in request.session.get(SESSION_SEEN, []):
        raise Http404
    # A duplicate's answer is the answer of the suggestion it was merged into.
    outcome = suggestion.merged_into or suggestion
    return render(request, "suggestions/portal/status.html", {
        "suggestion": suggestion, "outcome": outcome, "updates": outcome.updates.order_by("at", "pk")})


@require_GET
def adopted(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.adopted_publicly(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "suggestions/portal/adopted.html", {"page": page})
