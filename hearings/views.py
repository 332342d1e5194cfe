"""Hearing pages: the list, scheduling from a matter, a hearing's page and its actions, printable documents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.selectors import events_for
from matters import selectors as matter_selectors
from matters.errors import DomainError
from matters.models import Matter
from org.models import User
from xinfang.web import request_user as _user

from . import services
from .draw import EXCLUSION_LABELS, replay_draw
from .forms import (
    CancelForm,
    CloseForm,
    DrawForm,
    MinutesForm,
    NoticeForm,
    OpinionForm,
    RecuseForm,
    ScheduleForm,
)
from .lifecycle import MOVES, PANEL_STATES
from .models import DocumentKind, Hearing, HearingDocument, HearingState, PoolMember
from .selectors import hearings_visible_to


@login_required
@require_GET
def hearing_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    hearings = hearings_visible_to(_user(request))
    if state in HearingState.values:
        hearings = hearings.filter(state=state)
    return render(request, "hearings/list.html", {"hearings": hearings[:300], "states": HearingState.choices,
                                                  "state": state})


def _schedule_context(user: User, matter: Matter, form: ScheduleForm | None = None, error: str = "") -> dict[str, Any]:
    possible = services.purposes_open_to(user, matter)
    return {"matter": matter, "form": form or ScheduleForm(initial={"purpose": possible[0][0] if possible else ""}),
            "possible": possible, "error": error,
            "hearings": hearings_visible_to(user).filter(matter=matter)}


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest, matter_pk: int) -> HttpResponse:
    user = _user(request)
    try:
        matter = matter_selectors.get_matter_for(user, matter_pk)
    except Matter.DoesNotExist:
        raise Http404 from None
    if request.method == "GET":
        return render(request, "hearings/schedule.html", _schedule_context(user, matter))
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        return render(request, "hearings/schedule.html", _schedule_context(user, matter, form), status=422)
    d = form.cleaned_data
    try:
        hearing = services.schedule_hearing(matter.pk, actor=user, now=timezone.now(), purpose=d["purpose"],
                                            scheduled_for=d["scheduled_for"], place=d["place"])
    except DomainError as err:
        form.apply_domain_error(err)
        return render(request, "hearings/schedule.html", _schedule_context(user, matter, form, err.message),
                      status=err.status)
    messages.success(request, _("The hearing is scheduled; the matter's clock is paused until it concludes."))
    return redirect("hearings_detail", pk=hearing.pk)


def _hearing_or_404(user: User, pk: int) -> Hearing:
    hearing = hearings_visible_to(user).filter(pk=pk).first()
    if hearing is None:
        raise Http404
    return hearing


def _draw_rows(hearing: Hearing) -> list[dict[str, Any]]:
    draws = list(hearing.draws.select_related("drawn_by", "replaces__member"))
    ids = {pk for d in draws for pk in [*d.candidates, *[e[0] for e in d.excluded]]}
    names = dict(PoolMember.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [{
        "draw": d, "replayed": replay_draw(d) == d.chosen,
        "chosen": [names.get(pk, pk) for pk in d.chosen],
        "candidates": [names.get(pk, pk) for pk in d.candidates],
        "excluded": [(names.get(pk, pk), EXCLUSION_LABELS.get(reason, reason)) for pk, reason in d.excluded],
    } for d in draws]


FORMS: dict[str, type[forms.Form]] = {
    "draw": DrawForm, "recuse": RecuseForm, "notice": NoticeForm, "record_minutes": MinutesForm,
    "give_opinion": OpinionForm, "cancel": CancelForm, "close": CloseForm,
}


def _form(action: str, hearing: Hearing, data: Any = None) -> forms.Form:
    form = FORMS[action](data)
    if action == "notice":
        addressee: forms.ChoiceField = form.fields["addressee"]  # type: ignore[assignment]
        addressee.choices = services.notice_addressees(hearing)
    return form


def _context(user: User, hearing: Hearing, error: str = "", failed: tuple[str, forms.Form] | None = None) -> dict[str, Any]:
    may_act = services.may_act(user, hearing)
    actions = [a for a, m in MOVES.items() if hearing.state in m.sources] if may_act else []
    panel_open = may_act and hearing.state in PANEL_STATES
    shown = ([*actions, "draw", "recuse", "notice"] if panel_open else actions)
    forms_by_action = {a: _form(a, hearing) for a in shown}
    if failed:
        forms_by_action[failed[0]] = failed[1]
    documents = list(hearing.documents.select_related("issued_by", "addressee_unit"))
    return {
        "hearing": hearing, "matter": hearing.matter, "error": error, "may_act": may_act, "panel_open": panel_open,
        "moves": [(a, MOVES[a].label, forms_by_action[a]) for a in actions], "forms": forms_by_action,
        "seats": hearing.seats.select_related("member", "draw"), "draws": _draw_rows(hearing),
        "notices": [d for d in documents if d.kind == DocumentKind.NOTICE],
        "minutes": [d for d in documents if d.kind == DocumentKind.MINUTES],
        "opinions": [d for d in documents if d.kind == DocumentKind.OPINION],
        "events": events_for("hearing", hearing.pk),
    }


@login_required
@require_GET
def hearing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    return render(request, "hearings/hearing.html", _context(user, _hearing_or_404(user, pk)))


CALLS: dict[str, Callable[[Hearing, User, dict[str, Any]], object]] = {
    "draw": lambda h, u, d: services.draw_panel(h.pk, actor=u, now=timezone.now(), kind=d["kind"],
                                                size=d["size"] or 0, specialty=d["specialty"]),
    "recuse": lambda h, u, d: services.recuse(_seat_of(h, d["seat"]), actor=u, now=timezone.now(), reason=d["reason"]),
    "notice": lambda h, u, d: services.issue_notice(h.pk, actor=u, now=timezone.now(), addressee=d["addressee"],
                                                    text=d["text"]),
    "record_minutes": lambda h, u, d: services.record_minutes(h.pk, actor=u, now=timezone.now(), text=d["text"]),
    "give_opinion": lambda h, u, d: services.give_opinion(h.pk, actor=u, now=timezone.now(), text=d["text"]),
    "cancel": lambda h, u, d: services.cancel_hearing(h.pk, actor=u, now=timezone.now(), reason=d["reason"]),
    "close": lambda h, u, d: services.close_hearing(h.pk, actor=u, now=timezone.now()),
}


def _seat_of(hearing: Hearing, seat_id: int) -> int:
    """A seat of another hearing is not found here, whatever the id."""
    if not hearing.seats.filter(pk=seat_id).exists():
        raise Http404
    return seat_id


@login_required
@require_POST
def hearing_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    hearing = _hearing_or_404(user, pk)
    if action not in CALLS:
        raise Http404
    form = _form(action, hearing, request.POST)
    if not form.is_valid():
        return render(request, "hearings/hearing.html", _context(user, hearing, failed=(action, form)), status=422)
    try:
        CALLS[action](hearing, user, form.cleaned_data)
    except DomainError as err:
        form.apply_domain_error(err)  # type: ignore[attr-defined]
        hearing.refresh_from_db()
        return render(request, "hearings/hearing.html", _context(user, hearing, err.message, (action, form)),
                      status=err.status)
    messages.success(request, _("Done."))
    return redirect("hearings_detail", pk=hearing.pk)


@login_required
@require_GET
def document(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    doc = HearingDocument.objects.filter(pk=pk, hearing__in=hearings_visible_to(user).values("pk")).select_related(
        "hearing__matter", "hearing__organising_unit", "issued_by").first()
    if doc is None:
        raise Http404
    return render(request, "hearings/document.html", {"doc": doc, "hearing": doc.hearing, "matter": doc.hearing.matter,
                                                      "seats": doc.hearing.seats.filter(recused_at__isnull=True)
                                                      .select_related("member")})
