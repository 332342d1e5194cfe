"""Tasks pages and the matter-page forms of multi-unit handling. Thin: parse, call a service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matters.errors import DomainError
from matters.models import Matter
from matters.selectors import get_matter_for, matters_visible_to
from org.models import User
from xinfang.web import request_user as user_of

from . import rules, selectors, services
from .forms import AnswerForm, AssignForm, ConsolidateForm, JointForm, ReturnForm
from .models import Assignment


def params(form: JointForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


@login_required
@require_GET
def my_tasks(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    return render(request, "joint/my_tasks.html", {
        "to_do": list(selectors.tasks_to_do(user)[:200]), "to_judge": list(selectors.answers_to_judge(user)[:200]),
        "today": timezone.localdate()})


def _task_or_404(user: User, pk: int) -> Assignment:
    try:
        return selectors.get_assignment_for(user, pk)
    except Assignment.DoesNotExist:
        raise Http404 from None


def _task_context(user: User, a: Assignment, **forms_: Any) -> dict[str, Any]:
    return {
        "a": a, "matter": a.matter, "today": timezone.localdate(),
        "sees_matter": matters_visible_to(user).filter(pk=a.matter_id).exists(),
        "may_answer": rules.possible("answer", a) and rules.may_act(user, "answer", a),
        "may_judge": rules.possible("accept", a) and rules.may_act(user, "accept", a),
        "answer_form": forms_.get("answer_form") or AnswerForm(),
        "return_form": forms_.get("return_form") or ReturnForm(),
        "error": forms_.get("error", ""),
    }


@login_required
@require_GET
def task(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    return render(request, "joint/task.html", _task_context(user, _task_or_404(user, pk)))


TASK_FORMS: dict[str, type[JointForm] | None] = {"answer": AnswerForm, "return": ReturnForm, "accept": None}
TASK_CALLS: dict[str, Callable[..., Assignment]] = {
    "answer": services.answer_assignment, "return": services.return_assignment, "accept": services.accept_assignment}


@login_required
@require_POST
def task_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = user_of(request)
    a = _task_or_404(user, pk)
    if action not in TASK_CALLS:
        raise Http404
    form_class = TASK_FORMS[action]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return render(request, "joint/task.html", _task_context(user, a, **{f"{action}_form": form}), status=422)
    try:
        TASK_CALLS[action](a.pk, actor=user, now=timezone.now(), **(params(form) if form else {}))
    except DomainError as err:
        if form is not None:
            form.apply_domain_error(err)
        return render(request, "joint/task.html",
                      _task_context(user, _task_or_404(user, pk), error=err.message, **{f"{action}_form": form}),
                      status=err.status)
    messages.success(request, _("Done."))
    return redirect("joint_task", pk=a.pk)


def _matter_or_404(user: User, pk: int) -> Matter:
    try:
        return get_matter_for(user, pk)
    except Matter.DoesNotExist:
        raise Http404 from None


def _matter_form(request: HttpRequest, matter: Matter, form: JointForm, which: str, error: str = "",
                 status: int = 200) -> HttpResponse:
    return render(request, "joint/matter_form.html", {"matter": matter, "form": form, "which": which, "error": error},
                  status=status)


@login_required
@require_http_methods(["GET", "POST"])
def assign(request: HttpRequest, matter_pk: int) -> HttpResponse:
    """The card's form posts here; on a problem this page shows it again with the errors in place."""
    user = user_of(request)
    matter = _matter_or_404(user, matter_pk)
    form = AssignForm(request.POST or None, units=selectors.cooperation_units(matter))
    if request.method == "GET" or not form.is_valid():
        return _matter_form(request, matter, form, "assign", status=200 if request.method == "GET" else 422)
    try:
        services.assign_cooperation(matter.pk, actor=user, now=timezone.now(), **params(form))
    except DomainError as err:
        form.apply_domain_error(err)
        return _matter_form(request, matter, form, "assign", err.message, err.status)
    messages.success(request, _("The cooperating unit has its task."))
    return redirect("matter_detail", pk=matter.pk)


@login_required
@require_http_methods(["GET", "POST"])
def consolidate(request: HttpRequest, matter_pk: int) -> HttpResponse:
    user = user_of(request)
    matter = _matter_or_404(user, matter_pk)
    form = ConsolidateForm(request.POST or None)
    if request.method == "GET" or not form.is_valid():
        return _matter_form(request, matter, form, "consolidate", status=200 if request.method == "GET" else 422)
    try:
        services.consolidate(matter.pk, actor=user, now=timezone.now(), **params(form))
    except DomainError as err:
        form.apply_domain_error(err)
        return _matter_form(request, matter, form, "consolidate", err.message, err.status)
    messages.success(request, _("The answers are consolidated; the matter may be replied."))
    return redirect("matter_detail", pk=matter.pk)
