"""The supervisor's board, an order's page and its actions. Thin: parse, call a service, render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
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
from org.models import Role, User
from org.scope import holds_role_over
from xinfang.web import request_user as _user

from . import selectors, services
from .forms import AcceptForm, AnswerForm, IssueOrderForm, ReturnForm
from .models import OrderState, SupervisionOrder

ABOVE_LEVEL_DAYS = 90  # the board's window for visits beyond the proper level



@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    user, today = _user(request), timezone.localdate()
    orders = selectors.orders_visible_to(user).prefetch_related("matters")
    state = request.GET.get("state") or ""
    shown = orders.filter(state=state) if state in OrderState.values else orders.exclude(state__in=[OrderState.CLOSED, OrderState.ESCALATED])
    return render(request, "supervision/board.html", {
        "counts": selectors.order_counts(user), "orders": shown[:200], "state": state, "states": OrderState.choices,
        "overdue_units": selectors.overdue_by_unit(user, today), "today": today,
        "above_level": selectors.above_level_by_unit(user, today - timedelta(days=ABOVE_LEVEL_DAYS)),
        "above_level_days": ABOVE_LEVEL_DAYS,
    })


def _order_or_404(user: User, pk: int) -> SupervisionOrder:
    order = selectors.orders_visible_to(user).filter(pk=pk).first()
    if order is None:
        raise Http404
    return order


def _order_context(user: User, order: SupervisionOrder, **forms: Any) -> dict[str, Any]:
    may_answer = order.state in (OrderState.OPEN, OrderState.RETURNED) and holds_role_over(
        user, order.handling_unit, services.HANDLERS)
    may_decide = order.state == OrderState.ANSWERED and holds_role_over(user, order.supervising_unit, [Role.SUPERVISOR])
    return {
        "order": order, "matters": order.matters.all(), "events": events_for("supervisionorder", order.pk),
        "may_answer": may_answer, "may_decide": may_decide, "today": timezone.localdate(),
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "return_form": forms.get("return_form") or ReturnForm(),
        "accept_form": forms.get("accept_form") or AcceptForm(),
        "error": forms.get("error", ""),
    }


@login_required
@require_GET
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    return render(request, "supervision/order.html", _order_context(user, _order_or_404(user, pk)))


FORMS: dict[str, type[AnswerForm | ReturnForm | AcceptForm]] = {"answer": AnswerForm, "return": ReturnForm, "accept": AcceptForm}
CALLS: dict[str, Callable[..., SupervisionOrder]] = {
    "answer": services.answer_order, "return": services.return_order, "accept": services.accept_order}


@login_required
@require_POST
def order_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    order = _order_or_404(user, pk)
    if action not in FORMS:
        raise Http404
    form = FORMS[action](request.POST)
    status = 422
    if form.is_valid():
        params = {k: v for k, v in form.cleaned_data.items() if v not in (None,)}
        try:
            CALLS[action](order.pk, actor=user, now=timezone.now(), **params)
        except DomainError as err:
            form.apply_domain_error(err)
            order.refresh_from_db()
            return render(request, "supervision/order.html",
                          _order_context(user, order, error=err.message, **{f"{action}_form": form}), status=err.status)
        messages.success(request, _("Done."))
        return redirect("supervision_order", pk=order.pk)
    return render(request, "supervision/order.html", _order_context(user, order, **{f"{action}_form": form}), status=status)


@login_required
@require_POST
def issue_for_matter(request: HttpRequest, matter_pk: int) -> HttpResponse:
    user = _user(request)
    form = IssueOrderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The order has errors; nothing was saved."))
        return redirect("matter_detail", pk=matter_pk)
    d = form.cleaned_data
    try:
        order = services.issue_order(actor=user, matter_ids=[matter_pk], kind=d["kind"], requirement=d["requirement"],
                                     suggestion=d["suggestion"], due=d["due"], now=timezone.now())
    except Matter.DoesNotExist:
        raise Http404
    except DomainError as err:
        detail = "; ".join(str(v) for v in err.fields.values())
        messages.error(request, f"{err.message} {detail}".strip())
        return redirect("matter_detail", pk=matter_pk)
    return redirect("supervision_order", pk=order.pk)
