"""Staff pages: calls with their counts, the queue, a suggestion with the moves the user may make.
Thin: parse, call a service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit.selectors import events_for
from matters.errors import DomainError
from org.models import User
from org.scope import units_in_scope
from xinfang.web import request_user as _user

from . import selectors, services
from .forms import AssignForm, CallForm, DecisionForm, MergeForm, OpinionForm, QueueFilter, UpdateForm
from .models import Suggestion
from .workflow import DECISIONS, MOVES, OFFICE

PAGE_SIZE = 50



def _error(request: HttpRequest, err: DomainError) -> None:
    messages.error(request, " ".join([err.message, *[str(v) for v in err.fields.values()]]))


def _calls_page(request: HttpRequest, form: CallForm | None = None, status: int = 200) -> HttpResponse:
    user = _user(request)
    office_units = units_in_scope(user, OFFICE)
    rows = selectors.call_rows(user)
    return render(request, "suggestions/calls.html", {
        "rows": rows, "today": timezone.localdate(),
        "closable": {r.call.pk for r in rows if services.may_manage_call(user, r.call)},
        "form": form or (CallForm(units=office_units) if office_units.exists() else None),
    }, status=status)


@login_required
@require_GET
def calls(request: HttpRequest) -> HttpResponse:
    return _calls_page(request)


@login_required
@require_POST
def call_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = CallForm(request.POST, units=units_in_scope(user, OFFICE))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.create_call(actor=user, topic=d["topic"], description=d["description"],
                                 organising_unit_id=d["organising_unit"].pk if d["organising_unit"] else None,
                                 opens_on=d["opens_on"], closes_on=d["closes_on"], now=timezone.now())
        except DomainError as err:
            form.apply_domain_error(err)
            messages.error(request, err.message)
            return _calls_page(request, form, err.status)
        messages.success(request, _("The call is published."))
        return redirect("suggestions_calls")
    return _calls_page(request, form, 422)


@login_required
@require_POST
def call_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    if not selectors.calls_visible_to(user).filter(pk=pk).exists():
        raise Http404
    try:
        services.close_call(pk, actor=user, now=timezone.now())
        messages.success(request, _("The call is closed."))
    except DomainError as err:
        _error(request, err)
    return redirect("suggestions_calls")


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = QueueFilter(request.GET or None, calls=selectors.calls_visible_to(user), units=units_in_scope(user))
    rows = selectors.suggestions_visible_to(user).select_related("call", "evaluating_unit")
    if form.is_valid():
        d = form.cleaned_data
        rows = rows.filter(call=d["call"]) if d["call"] else rows
        rows = rows.filter(state=d["state"]) if d["state"] else rows
        rows = rows.filter(evaluating_unit=d["unit"]) if d["unit"] else rows
    page = Paginator(rows.order_by("-received_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "suggestions/queue.html", {"form": form, "page": page})


def _suggestion_or_404(user: User, pk: int) -> Suggestion:
    s = selectors.suggestions_visible_to(user).select_related("call", "receiving_unit", "evaluating_unit", "merged_into").filter(pk=pk).first()
    if s is None:
        raise Http404
    return s


def _forms(user: User, bound: dict[str, forms.Form]) -> dict[str, forms.Form]:
    office_units = units_in_scope(user, OFFICE)
    made: dict[str, forms.Form] = {
        "assign": AssignForm(units=office_units), "merge": MergeForm(), "evaluate": OpinionForm(),
        "report": UpdateForm(), "implement": UpdateForm(prefix="implement"),
        **{action: DecisionForm(prefix=action) for action in DECISIONS}}
    return {**made, **bound}


def _detail(request: HttpRequest, s: Suggestion, bound: dict[str, forms.Form] | None = None, status: int = 200) -> HttpResponse:
    user = _user(request)
    all_forms = _forms(user, bound or {})
    actions = [(action, MOVES[action].label, all_forms[action]) for action in services.allowed_actions(user, s)]
    return render(request, "suggestions/detail.html", {
        "s": s, "actions": actions, "events": events_for("suggestion", s.pk), "updates": s.updates.select_related("author"),
        "duplicates": s.merged.all()}, status=status)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _suggestion_or_404(_user(request), pk))


def _bind(user: User, action: str, data: Any) -> forms.Form:
    prefix = action if action in DECISIONS or action == "implement" else None
    if action == "assign":
        return AssignForm(data, units=units_in_scope(user, OFFICE))
    classes: dict[str, type[forms.Form]] = {"merge": MergeForm, "evaluate": OpinionForm, "report": UpdateForm,
                                            "implement": UpdateForm, **dict.fromkeys(DECISIONS, DecisionForm)}
    return classes[action](data, prefix=prefix)


def _call_service(action: str, pk: int, d: dict[str, Any], user: User) -> Suggestion:
    now = timezone.now()
    if action in DECISIONS:
        return services.decide(pk, action, actor=user, reply=d["reply"], now=now)
    if action == "assign":
        return services.assign(pk, actor=user, unit_id=d["unit"].pk if d["unit"] else 0, note=d["note"], now=now)
    if action == "merge":
        return services.merge(pk, actor=user, into_id=d["into"] or 0, now=now)
    if action == "evaluate":
        return services.evaluate(pk, actor=user, opinion=d["opinion"], now=now)
    update: Callable[..., Suggestion] = services.implement if action == "implement" else services.report
    return update(pk, actor=user, text=d["text"], now=now)


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    s = _suggestion_or_404(user, pk)
    if action not in MOVES:
        raise Http404
    form = _bind(user, action, request.POST)
    if not form.is_valid():
        return _detail(request, s, {action: form}, 422)
    try:
        _call_service(action, pk, form.cleaned_data, user)
    except DomainError as err:
        form.apply_domain_error(err)  # type: ignore[attr-defined]
        messages.error(request, err.message)
        return _detail(request, _suggestion_or_404(user, pk), {action: form}, err.status)
    messages.success(request, _("Done: %(action)s.") % {"action": MOVES[action].label})
    return redirect("suggestions_detail", pk=pk)

