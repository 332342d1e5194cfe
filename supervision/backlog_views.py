"""The backlog list, a backlog case's page and dossier, listing from the matter page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit.selectors import events_for
from matters.errors import DomainError
from matters.models import Matter
from notify.services import HANDLERS
from org.models import Role, User
from org.scope import holds_role_over
from xinfang.web import request_user as _user

from . import backlog
from .models import BacklogEntry, BacklogSource, BacklogState, Campaign


@login_required
@require_GET
def backlog_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    entries = backlog.backlog_visible_to(user)
    campaign = request.GET.get("campaign", "")
    if campaign.isdigit():
        entries = entries.filter(campaign_id=int(campaign))
    return render(request, "supervision/backlog.html", {
        "entries": entries[:300], "progress": backlog.campaign_progress(user), "campaign": campaign})


def _entry_or_404(user: User, pk: int) -> BacklogEntry:
    entry = backlog.backlog_visible_to(user).filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


def _context(user: User, entry: BacklogEntry, error: str = "") -> dict[str, Any]:
    unit = entry.matter.handling_unit
    return {
        "entry": entry, "matter": entry.matter, "progress": entry.progress.select_related("author"), "error": error,
        "events": events_for("backlogentry", entry.pk),
        "may_record": entry.state != BacklogState.SIGNED_OFF and holds_role_over(user, unit, [*HANDLERS, Role.SUPERVISOR]),
        "may_request": entry.state == BacklogState.LISTED and holds_role_over(user, unit, HANDLERS),
        "may_decide": entry.state == BacklogState.SIGN_OFF_REQUESTED and holds_role_over(user, unit, [Role.SUPERVISOR])
        and entry.requested_by_id != user.pk,
    }


@login_required
@require_GET
def backlog_entry(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    return render(request, "supervision/backlog_entry.html", _context(user, _entry_or_404(user, pk)))


@login_required
@require_POST
def backlog_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user, now = _user(request), timezone.now()
    entry = _entry_or_404(user, pk)
    post = request.POST
    calls = {
        "progress": lambda: backlog.add_progress(entry.pk, actor=user, text=post.get("text", ""), now=now),
        "request": lambda: backlog.request_sign_off(entry.pk, actor=user, evidence=post.get("evidence", ""), now=now),
        "approve": lambda: backlog.decide_sign_off(entry.pk, actor=user, approve=True, now=now),
        "refuse": lambda: backlog.decide_sign_off(entry.pk, actor=user, approve=False, reason=post.get("reason", ""), now=now),
    }
    if action not in calls:
        raise Http404
    try:
        calls[action]()
    except DomainError as err:
        entry.refresh_from_db()
        detail = " ".join([err.message, *[str(v) for v in err.fields.values()]])
        return render(request, "supervision/backlog_entry.html", _context(user, entry, detail), status=err.status)
    return redirect("supervision_backlog_entry", pk=entry.pk)


@login_required
@require_GET
def dossier(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    entry = _entry_or_404(user, pk)
    response = HttpResponse(backlog.dossier_pdf(entry.pk, actor=user), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="dossier-{entry.matter.query_code}.pdf"'
    return response


@login_required
@require_POST
def list_for_matter(request: HttpRequest, matter_pk: int) -> HttpResponse:
    user = _user(request)
    campaign = request.POST.get("campaign_id", "")
    try:
        entry = backlog.list_matter(matter_pk, actor=user, source=request.POST.get("source", ""),
                                    reason=request.POST.get("reason", ""), now=timezone.now(),
                                    campaign_id=int(campaign) if campaign.isdigit() else None)
    except Matter.DoesNotExist:
        raise Http404
    except DomainError as err:
        messages.error(request, " ".join([err.message, *[str(v) for v in err.fields.values()]]))
        return redirect("matter_detail", pk=matter_pk)
    messages.success(request, _("Listed on the backlog."))
    return redirect("supervision_backlog_entry", pk=entry.pk)


def listing_choices() -> dict[str, Any]:
    return {"sources": BacklogSource.choices, "campaigns": list(Campaign.objects.all()[:20])}
