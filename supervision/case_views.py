"""Leader cases: the leader's "my cases" page, a case's page, assigning from the matter page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from matters.errors import DomainError
from matters.forms import unit_choices
from matters.lifecycle import State
from matters.models import Matter
from matters.selectors import get_matter_for
from org.models import Role, RoleAssignment, User
from org.scope import units_in_scope
from xinfang.web import request_user as _user

from . import cases
from .forms import AssignLeaderForm, ProgressForm, SignOffForm
from .models import CaseState, LeaderCase


def assign_form_for(user: User, matter: Matter, data: Any = None) -> AssignLeaderForm:
    """Leaders who hold the role over the handling unit; members from the user's scope."""
    leader_ids = [a.user_id for a in RoleAssignment.objects.filter(role=Role.LEADER).select_related("scope")
                  if matter.handling_unit.path.startswith(a.scope.path)]
    leaders = list(User.objects.filter(pk__in=leader_ids, is_active=True).select_related("unit"))
    members = list(User.objects.filter(unit__in=units_in_scope(user), is_active=True).select_related("unit").order_by("unit__path", "username"))
    units = unit_choices(units_in_scope(user)) if matter.state == State.REGISTERED else []
    return AssignLeaderForm(data, leaders=leaders, members=members, units=units)


@login_required
@require_GET
def my_cases(request: HttpRequest) -> HttpResponse:
    rows = cases.cases_of(_user(request)).order_by("state", "-assigned_at")
    return render(request, "supervision/my_cases.html", {"cases": rows, "today": timezone.localdate()})


def _case_or_404(user: User, pk: int) -> LeaderCase:
    try:
        return cases._case_for(user, pk)
    except Matter.DoesNotExist:
        raise Http404


def _case_context(user: User, case: LeaderCase, **forms: Any) -> dict[str, Any]:
    is_member = case.leader_id == user.pk or case.members.filter(pk=user.pk).exists()
    return {
        "case": case, "matter": case.matter, "members": case.members.select_related("unit"),
        "progress": case.progress.select_related("author"), "open": case.state == CaseState.OPEN,
        "may_record": is_member and case.state == CaseState.OPEN,
        "may_sign_off": case.leader_id == user.pk and case.state == CaseState.OPEN and case.matter.state in cases.ANSWERED_STATES,
        "progress_form": forms.get("progress_form") or ProgressForm(), "sign_off_form": forms.get("sign_off_form") or SignOffForm(),
        "error": forms.get("error", ""),
    }


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    return render(request, "supervision/case.html", _case_context(user, _case_or_404(user, pk)))


@login_required
@require_POST
def case_progress(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = _case_or_404(user, pk)
    form = ProgressForm(request.POST)
    form.is_valid()
    try:
        cases.add_progress(case.pk, actor=user, text=form.cleaned_data.get("text", ""), now=timezone.now())
    except DomainError as err:
        form.apply_domain_error(err)
        return render(request, "supervision/case.html", _case_context(user, case, progress_form=form, error=err.message), status=err.status)
    return redirect("supervision_case", pk=case.pk)


@login_required
@require_POST
def case_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = _case_or_404(user, pk)
    form = SignOffForm(request.POST)
    form.is_valid()
    try:
        cases.sign_off(case.pk, actor=user, note=form.cleaned_data.get("note", ""), now=timezone.now())
    except DomainError as err:
        form.apply_domain_error(err)
        return render(request, "supervision/case.html", _case_context(user, case, sign_off_form=form, error=err.message), status=err.status)
    return redirect("supervision_case", pk=case.pk)


@login_required
@require_POST
def assign_for_matter(request: HttpRequest, matter_pk: int) -> HttpResponse:
    user = _user(request)
    try:
        matter = get_matter_for(user, matter_pk)
    except Matter.DoesNotExist:
        raise Http404
    form = assign_form_for(user, matter, request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("matter_detail", pk=matter.pk)
    d = form.cleaned_data
    try:
        case = cases.assign_leader(matter.pk, actor=user, leader_id=d["leader_id"], plan=d["plan"],
                                   member_ids=d["member_ids"], to_unit_id=d.get("to_unit_id"), now=timezone.now())
    except Matter.DoesNotExist:
        raise Http404
    except DomainError as err:
        messages.error(request, " ".join([err.message, *[str(v) for v in err.fields.values()]]))
        return redirect("matter_detail", pk=matter.pk)
    messages.success(request, _("The matter is under leader ownership."))
    return redirect("supervision_case", pk=case.pk)
