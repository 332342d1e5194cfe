"""The pools: list with filters and adding a member; a member's page with edit, unavailability, conflicts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit.selectors import events_for
from matters import selectors as matter_selectors
from matters.errors import DomainError, InvalidInput
from org.models import Unit, UnitKind, User
from org.scope import units_in_scope
from xinfang.web import request_user as _user

from . import pools
from .forms import ConflictForm, MemberForm, UnavailabilityForm
from .models import PoolKind, PoolMember
from .selectors import members_visible_to


def _owner_choices(user: User) -> list[tuple[int, str]]:
    """Pools belong to territorial bodies (the city, a district, a street) or petition offices."""
    units = units_in_scope(user, pools.POOL_ROLES).filter(kind__in=[UnitKind.TERRITORIAL, UnitKind.PETITION_OFFICE])
    return [(u.pk, u.name) for u in units]


def _member_form(user: User, data: Any = None, member: PoolMember | None = None, editing: bool = False) -> MemberForm:
    """A member stays in the pool it was added to: editing offers no owner."""
    initial = {}
    if member is not None:
        initial = {"kind": member.kind, "owner": member.owner_id, "name": member.name,
                   "organisation": member.organisation, "specialties": "，".join(member.specialty_list),
                   "active": member.active}
    form = MemberForm(data, initial=initial)
    if member is not None or editing:
        del form.fields["owner"]
    else:
        owner: forms.TypedChoiceField = form.fields["owner"]  # type: ignore[assignment]
        owner.choices = _owner_choices(user)
    return form


def _data(form: MemberForm) -> pools.MemberData:
    d = form.cleaned_data
    return pools.MemberData(kind=d["kind"], name=d["name"], organisation=d["organisation"],
                            specialties=d["specialties"], contact=d["contact"], active=d["active"])


def _list_context(user: User, request: HttpRequest, form: MemberForm | None = None, error: str = "") -> dict[str, Any]:
    kind, specialty = request.GET.get("kind", ""), request.GET.get("specialty", "").strip()
    members = members_visible_to(user)
    if kind in PoolKind.values:
        members = members.filter(kind=kind)
    if specialty:
        members = members.filter(specialties__contains=f",{specialty},")
    return {"members": members[:300], "kinds": PoolKind.choices, "kind": kind, "specialty": specialty,
            "form": form or _member_form(user), "may_add": bool(_owner_choices(user)), "error": error}


@login_required
@require_GET
def pool_list(request: HttpRequest) -> HttpResponse:
    return render(request, "hearings/pools.html", _list_context(_user(request), request))


@login_required
@require_POST
def member_add(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = _member_form(user, request.POST)
    if form.is_valid():
        try:
            member = pools.add_member(_data(form), owner_id=form.cleaned_data["owner"] or 0, actor=user, now=timezone.now())
        except DomainError as err:
            form.apply_domain_error(err)
            return render(request, "hearings/pools.html", _list_context(user, request, form, err.message),
                          status=err.status)
        messages.success(request, _("Added to the pool."))
        return redirect("hearings_member", pk=member.pk)
    return render(request, "hearings/pools.html", _list_context(user, request, form), status=422)


def _member_or_404(user: User, pk: int) -> PoolMember:
    member = members_visible_to(user).filter(pk=pk).first()
    if member is None:
        raise Http404
    return member


def _conflict_form(user: User, data: Any = None) -> ConflictForm:
    form = ConflictForm(data)
    unit: forms.TypedChoiceField = form.fields["unit"]  # type: ignore[assignment]
    unit.choices = [("", "—"), *[(u.pk, u.name) for u in Unit.objects.all()]]
    return form


def _member_context(user: User, member: PoolMember, error: str = "", forms: dict[str, Any] | None = None) -> dict[str, Any]:
    forms = forms or {}
    return {
        "member": member, "may_keep": pools.may_keep(user, member.owner), "error": error,
        "unavailable": member.unavailable.all(), "conflicts": member.conflicts.select_related("unit", "matter"),
        "seats": member.seats.select_related("hearing__matter").filter(hearing__matter__in=matter_selectors.matters_visible_to(user).values("pk")),
        "events": events_for("poolmember", member.pk),
        "edit_form": forms.get("edit_form") or _member_form(user, member=member),
        "unavailable_form": forms.get("unavailable_form") or UnavailabilityForm(),
        "conflict_form": forms.get("conflict_form") or _conflict_form(user),
    }


@login_required
@require_GET
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    return render(request, "hearings/member.html", _member_context(user, _member_or_404(user, pk)))


def _call(action: str, form: Any, member: PoolMember, user: User) -> None:
    now, d = timezone.now(), form.cleaned_data
    if action == "edit":
        pools.update_member(member.pk, _data(form), actor=user, now=now)
    elif action == "unavailable":
        pools.add_unavailability(member.pk, start=d["start"], end=d["end"], note=d["note"], actor=user, now=now)
    else:
        matter_id = None
        if d["matter"].strip():
            found = matter_selectors.get_matter_by_code_for(user, d["matter"])
            if found is None:
                raise InvalidInput(_("No such matter in your scope."), fields={"matter": _("No such matter in your scope.")})
            matter_id = found.pk
        pools.declare_conflict(member.pk, actor=user, now=now, note=d["note"], unit_id=d["unit"], matter_id=matter_id)


@login_required
@require_POST
def member_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    member = _member_or_404(user, pk)
    builders = {"edit": lambda: _member_form(user, request.POST, editing=True), "unavailable": lambda: UnavailabilityForm(request.POST),
                "conflict": lambda: _conflict_form(user, request.POST)}
    if action not in builders:
        raise Http404
    form: Any = builders[action]()
    key = f"{action}_form"
    if not form.is_valid():
        return render(request, "hearings/member.html", _member_context(user, member, forms={key: form}), status=422)
    try:
        _call(action, form, member, user)
    except DomainError as err:
        form.apply_domain_error(err)
        member.refresh_from_db()
        return render(request, "hearings/member.html", _member_context(user, member, err.message, {key: form}),
                      status=err.status)
    messages.success(request, _("Saved."))
    return redirect("hearings_member", pk=member.pk)
