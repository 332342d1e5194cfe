"""The lawyers' duty roster and consultations recorded from a matter."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matters import selectors as matter_selectors
from matters.errors import DomainError
from matters.models import Matter
from org.models import UnitKind, User
from org.scope import units_in_scope
from xinfang.web import request_user as _user

from . import reception
from .forms import ConsultationForm, ShiftForm
from .models import PoolKind
from .selectors import consultations_for, members_visible_to, roster


def _choices(form: forms.Form, name: str, choices: list[tuple[Any, str]]) -> None:
    field: forms.TypedChoiceField = form.fields[name]  # type: ignore[assignment]
    field.choices = [("", "—"), *choices]


def _shift_form(user: User, data: Any = None) -> ShiftForm:
    form = ShiftForm(data)
    lawyers = members_visible_to(user).filter(kind=PoolKind.LAWYER, active=True)
    _choices(form, "lawyer", [(m.pk, m.name) for m in lawyers])
    offices = units_in_scope(user, reception.ROSTER_ROLES).filter(kind=UnitKind.PETITION_OFFICE)
    _choices(form, "unit", [(u.pk, u.name) for u in offices])
    return form


def _roster_context(user: User, form: ShiftForm | None = None, error: str = "") -> dict[str, Any]:
    return {"shifts": roster(user, timezone.localdate())[:300], "form": form or _shift_form(user), "error": error,
            "may_add": units_in_scope(user, reception.ROSTER_ROLES).exists()}


@login_required
@require_GET
def duty_roster(request: HttpRequest) -> HttpResponse:
    return render(request, "hearings/duty.html", _roster_context(_user(request)))


@login_required
@require_POST
def duty_add(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = _shift_form(user, request.POST)
    if not form.is_valid():
        return render(request, "hearings/duty.html", _roster_context(user, form), status=422)
    d = form.cleaned_data
    try:
        reception.add_shift(actor=user, now=timezone.now(), lawyer_id=d["lawyer"] or 0, unit_id=d["unit"] or 0, day=d["day"],
                            session=d["session"], place=d["place"])
    except DomainError as err:
        form.apply_domain_error(err)
        return render(request, "hearings/duty.html", _roster_context(user, form, err.message), status=err.status)
    messages.success(request, _("Added to the roster."))
    return redirect("hearings_duty")


def _consultation_form(user: User, day: date, data: Any = None) -> ConsultationForm:
    suggested = reception.suggested_lawyers(user, day)
    first_on_duty = next((m.pk for m, duty in suggested if duty), None)
    form = ConsultationForm(data, initial={"consulted_on": day, "lawyer": first_on_duty})
    on_duty = _("on duty today")
    _choices(form, "lawyer", [(m.pk, f"{m.name} · {on_duty}" if duty else m.name) for m, duty in suggested])
    return form


def _consultation_context(user: User, matter: Matter, form: ConsultationForm | None = None,
                          error: str = "") -> dict[str, Any]:
    today = timezone.localdate()
    return {"matter": matter, "consultations": consultations_for(user, matter.pk), "error": error,
            "form": form or _consultation_form(user, today), "may_record": reception.may_record_consultation(user, matter)}


@login_required
@require_http_methods(["GET", "POST"])
def consultation(request: HttpRequest, matter_pk: int) -> HttpResponse:
    user = _user(request)
    try:
        matter = matter_selectors.get_matter_for(user, matter_pk)
    except Matter.DoesNotExist:
        raise Http404 from None
    if request.method == "GET":
        return render(request, "hearings/consultation.html", _consultation_context(user, matter))
    form = _consultation_form(user, timezone.localdate(), request.POST)
    if not form.is_valid():
        return render(request, "hearings/consultation.html", _consultation_context(user, matter, form), status=422)
    d = form.cleaned_data
    try:
        reception.record_consultation(matter.pk, actor=user, now=timezone.now(), lawyer_id=d["lawyer"] or 0,
                                      consulted_on=d["consulted_on"], summary=d["summary"], advice=d["advice"])
    except DomainError as err:
        form.apply_domain_error(err)
        return render(request, "hearings/consultation.html", _consultation_context(user, matter, form, err.message),
                      status=err.status)
    messages.success(request, _("The consultation is recorded on the matter."))
    return redirect("hearings_consultation", matter_pk=matter.pk)
